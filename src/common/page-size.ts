/** Largest page a Relay connection returns (DESIGN.md: page sizes go up to 100). */
export const MAX_PAGE_SIZE = 100;

/** Page size of a connection asked without `first`. */
export const DEFAULT_PAGE_SIZE = 20;
