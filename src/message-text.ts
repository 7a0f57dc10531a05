/**
 * Wording shared by the planner's refusals: quoted lists, and untrusted text (tenant ids,
 * module names and flag keys as typed, flag values) shown safely and briefly.
 */

/** Characters JSON.stringify leaves as they are but a terminal would act on or hide. */
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** C0 controls (newline and tab included): a name or path shown on one line has none. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters escaped
const CONTROL = /[\u0000-\u001f]/g;

/** Most names or paths a message lists before it says how many more there are. */
export const MAX_LISTED = 10;

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`; past {@link MAX_LISTED}, `"a", … and 3 more`. */
export function quotedList(names: readonly string[]): string {
  return listed(names.map((name) => `"${name}"`));
}

/** `a`, `a and b`, `a, b and c`; past {@link MAX_LISTED} items, `a, …, j and 3 more`. */
export function listed(items: readonly string[]): string {
  if (items.length > MAX_LISTED) {
    return `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more`;
  }
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Dependency paths as `a → b, c → d`; past {@link MAX_LISTED}, `…, and 3 more`. */
export function pathList(paths: readonly (readonly string[])[]): string {
  const shown = paths.slice(0, MAX_LISTED).map((path) => path.join(' → '));
  if (paths.length > MAX_LISTED) shown.push(`and ${paths.length - MAX_LISTED} more`);
  return shown.join(', ');
}

/** `it` or `them`, for a fix naming one or several things. */
export function itOrThem(count: number): string {
  return count === 1 ? 'it' : 'them';
}

/**
 * `text` as a JSON string literal with every control or invisible character escaped, cut to
 * `max` characters (the full length then follows: `"aaaa"… (10240 characters)`).
 */
export function shownText(text: string, max = 40): string {
  if (text.length <= max) return escapeInvisible(JSON.stringify(text));
  let head = text.slice(0, max);
  // Do not leave half of a surrogate pair at the cut.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${escapeInvisible(JSON.stringify(head))}… (${text.length} characters)`;
}

/** A JSON value as JSON text, escaped like {@link shownText} and cut to `max` characters. */
export function shownValue(value: unknown, max = 60): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) text = String(value);
  text = escapeInvisible(text);
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Untrusted prose (an error message quoting input) with its control and invisible
 * characters escaped — quotes and backslashes stay as they are, since prose is not a
 * string literal — cut to `max` characters.
 */
export function shownProse(text: string, max = 100): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  const controls = text.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1));
  const escaped = escapeInvisible(controls);
  return escaped.length <= max ? escaped : `${escaped.slice(0, max)}…`;
}

/**
 * `text` as it is, but with every control or invisible character written as `\uXXXX`, cut
 * to `max` characters: for names, paths and messages printed on a terminal, where a JSON
 * string literal would be noise but an escape sequence must never reach the terminal.
 */
export function shownPlain(text: string, max = Number.POSITIVE_INFINITY): string {
  // Cut before escaping: the text may be megabytes long and shown many times.
  const head = text.length <= max ? text : text.slice(0, max);
  const escaped = escapeInvisible(head.replace(CONTROL, hexEscape));
  return escaped.length <= max && head === text ? escaped : `${escaped.slice(0, max)}…`;
}

function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, hexEscape);
}

function hexEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
