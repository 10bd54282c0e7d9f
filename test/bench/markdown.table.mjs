// @ts-check
// The few Markdown table helpers the report's sections share.

/** @param {unknown[]} cells */
export const row = (cells) => `| ${cells.map((c) => String(c ?? '')).join(' | ')} |`;
/** @param {string[]} headers */
export const head = (headers) => [row(headers), row(headers.map(() => '---'))];
/** @param {number} part @param {number} whole */
export const pct = (part, whole) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);
/**
 * @param {number} n
 * @param {number} [digits]
 */
export const fixed = (n, digits = 2) => n.toFixed(digits);
/** A whole number as it is, any other to one decimal (a knee of 30, a rate of 62.6). @param {number} n */
export const brief = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
