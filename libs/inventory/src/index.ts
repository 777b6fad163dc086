// Public API of @orderflow/inventory: filled in by its issue.
export {};
