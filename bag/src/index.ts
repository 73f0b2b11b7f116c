/** @dusk/bag: see docs/design.md. */
export {};
