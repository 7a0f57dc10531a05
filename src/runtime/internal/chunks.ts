/** `items` in arrays of `size` (the last one shorter), as they come. */
export function* chunks(items: Iterable<string>, size: number): Generator<string[]> {
  let chunk: string[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
