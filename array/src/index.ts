/** @dusk/array: see docs/design.md. */
export {};
