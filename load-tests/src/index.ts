// Public API of @orderflow/load-tests: filled in by its issue.
export {};
