// Public API of @orderflow/state-machine-runtime: filled in by its issue.
export {};
