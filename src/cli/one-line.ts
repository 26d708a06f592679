// Line breaks as a reader meets them: CR, LF, CRLF, vertical tab, form feed, NEL, and the
// Unicode line and paragraph separators. Spaces around one go with it.
const LINE_BREAKS = /[^\S\n\r\v\f\u0085\u2028\u2029]*(?:\r\n|[\n\r\v\f\u0085\u2028\u2029])\s*/g
// Other control characters (ESC would let quoted agency bytes drive the terminal).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g
// eslint-disable-next-line no-control-regex
const NEEDS_CHANGE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/**
 * Text for one field of a tab-separated output line: the commands promise a line per item,
 * and reasons quote what they refused (a JSON parser's message carries the document's own
 * lines). Line breaks become " / ", a tab a space, other control characters a \xNN escape.
 * Only what is printed changes: the quarantine keeps the full text.
 */
export function oneLine(text: string): string {
  // Most fields (URLs, file names, guids) have nothing to change: one test instead of four passes.
  if (!NEEDS_CHANGE.test(text)) return text
  return text
    .replace(LINE_BREAKS, ' / ')
    .replace(/\t/g, ' ')
    .replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)
}
