// Public API of @orderflow/events: filled in by its issue.
export {};
