// Public API of @orderflow/order-workflow: filled in by its issue.
export {};
