// Public API of @orderflow/seed: filled in by its issue.
export {};
