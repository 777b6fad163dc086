// Public API of @orderflow/local: filled in by its issue.
export {};
