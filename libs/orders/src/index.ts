// Public API of @orderflow/orders: filled in by its issue.
export {};
