// Public API of @orderflow/infra: filled in by its issue.
export {};
