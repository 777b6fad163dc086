/**
 * The cart's limits, as plain numbers with no dependency (the storefront imports them from
 * `@orderflow/contracts/limits` without taking zod into its bundle); http.ts builds its
 * schemas on them.
 */
export const MAX_CART_LINES = 50;
export const MAX_LINE_QUANTITY = 100;
