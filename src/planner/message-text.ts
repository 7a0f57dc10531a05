/**
 * Wording shared by the planner's refusals: quoted lists, and untrusted text (tenant ids,
 * module names and flag keys as typed, flag values) shown safely and briefly.
 */

/** Characters JSON.stringify leaves as they are but a terminal would act on or hide. */
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function quotedList(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
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

/** Untrusted prose (an error message quoting input) escaped and cut to `max` characters. */
export function shownProse(text: string, max = 100): string {
  const escaped = escapeInvisible(JSON.stringify(text).slice(1, -1));
  return escaped.length <= max ? escaped : `${escaped.slice(0, max)}…`;
}

function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
