// Public API of @orderflow/payments: filled in by its issue.
export {};
