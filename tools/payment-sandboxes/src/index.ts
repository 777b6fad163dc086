// Public API of @orderflow/payment-sandboxes: filled in by its issue.
export {};
