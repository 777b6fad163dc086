// Public API of @orderflow/api: filled in by its issue.
export {};
