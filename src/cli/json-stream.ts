/**
 * `{ ...head, [key]: [...every item], ...tail() }` as JSON text indented by two spaces —
 * the text `JSON.stringify(value, null, 2)` gives — made a batch of items at a time, so
 * that the whole array is never held. Nothing comes out before the first batch is in (a
 * failure while reading it leaves no output at all); `tail` is called after the last batch.
 */
export async function* streamedJson(
  head: Record<string, unknown>,
  key: string,
  batches: AsyncIterable<readonly unknown[]>,
  tail: () => Record<string, unknown> = () => ({}),
): AsyncGenerator<string> {
  let pending = `${members(head, '{\n')}  ${JSON.stringify(key)}: [`;
  let empty = true;
  for await (const items of batches) {
    if (items.length === 0) continue;
    yield `${pending}${empty ? '\n' : ',\n'}${itemsText(items)}`;
    pending = '';
    empty = false;
  }
  yield `${pending}${empty ? ']' : '\n  ]'}${members(tail(), ',\n', true)}\n}\n`;
}

/**
 * `items` as the lines they take inside the document's array (indented by four spaces, joined
 * by commas): one JSON.stringify of the array where the document has it, cut out of its
 * wrapping, rather than a text per item indented again.
 */
function itemsText(items: readonly unknown[]): string {
  const text = JSON.stringify({ items }, null, 2);
  return text.slice(text.indexOf('[') + 2, text.lastIndexOf(']') - 3);
}

/**
 * The members of `value` as lines of an object indented by two spaces, after `before`;
 * nothing for an empty object. `leading`: the separator comes first, else last.
 */
function members(value: Record<string, unknown>, before: string, leading = false): string {
  const text = JSON.stringify(value, null, 2);
  if (text === '{}') return leading ? '' : before;
  const inner = text.slice(2, -2);
  return leading ? `${before}${inner}` : `${before}${inner},\n`;
}
