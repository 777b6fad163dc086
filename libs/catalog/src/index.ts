// Public API of @orderflow/catalog: filled in by its issue.
export {};
