import htm from 'htm';
import { h } from 'preact';

/** Preact's `h` behind tagged templates: no JSX build step, and still a small bundle. */
export const html = htm.bind(h);
