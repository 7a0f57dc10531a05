/** One Server-Sent Event. */
export interface ServerEvent {
  event: string;
  data: string;
}

/**
 * A parser of the text/event-stream format fed chunks of text as they arrive: lines end in
 * LF, CR or CRLF (even split across chunks), a blank line dispatches, `:` lines are comments,
 * `data` lines join with LF, an event without a name is `message`.
 */
export function createSseParser(dispatch: (event: ServerEvent) => void): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0)
        dispatch({ event: event === '' ? 'message' : event, data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  // A chunk that ended in CR: an LF starting the next one is the rest of that CRLF.
  let afterCr = false;
  return (chunk) => {
    if (chunk === '') return;
    buffer += afterCr && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
    afterCr = false;
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      if (end === -1) return;
      const size = buffer.startsWith('\r\n', end) ? 2 : 1;
      if (size === 1 && buffer[end] === '\r' && end === buffer.length - 1) afterCr = true;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + size);
    }
  };
}
