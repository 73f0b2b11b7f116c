/** @dusk/dataframe: see docs/design.md. */
export {};
