// For the end-to-end tests: a module that says its own URL.
export const url = import.meta.url;
