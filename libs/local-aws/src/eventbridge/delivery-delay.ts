/**
 * EventBridge delivers an event to its targets some tens to hundreds of milliseconds after
 * PutEvents; the local stack's bus waits this long by default before a first delivery.
 * (A module of its own: the options parser reads it before the heavy modules load.)
 */
export const DEFAULT_EVENT_DELIVERY_DELAY_MS = 100;
