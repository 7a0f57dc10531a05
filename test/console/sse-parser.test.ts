import { describe, expect, it } from 'vitest';
import { createSseParser, type ServerEvent } from '../../console/src/sse-parser.js';

/** The events a parser dispatches when fed `chunks` one after the other. */
function parse(chunks: readonly string[]): ServerEvent[] {
  const events: ServerEvent[] = [];
  const feed = createSseParser((event) => events.push(event));
  for (const chunk of chunks) feed(chunk);
  return events;
}

const CHANGE = 'event: change\ndata: {"tenant":"acme","revision":3}\n\n';

describe('the console’s event-stream parser', () => {
  it('reads what the admin API sends: retry, comments, named events', () => {
    expect(parse([`retry: 2000\n: connected\n\n${CHANGE}: heartbeat\n\n`])).toEqual([
      { event: 'change', data: '{"tenant":"acme","revision":3}' },
    ]);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const whole = parse([CHANGE + CHANGE]);
    const text = CHANGE + CHANGE;
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(parse([...text])).toEqual(whole);
  });

  it('takes LF, CR and CRLF line ends, a CRLF split across chunks included', () => {
    const expected = [{ event: 'reset', data: '{"reason":"x"}' }];
    expect(parse(['event: reset\r\ndata: {"reason":"x"}\r\n\r\n'])).toEqual(expected);
    expect(parse(['event: reset\rdata: {"reason":"x"}\r\r'])).toEqual(expected);
    expect(parse(['event: reset\r', '\ndata: {"reason":"x"}\r', '\n\r', '', '\n'])).toEqual(
      expected,
    );
  });

  it('joins data lines with LF, names an unnamed event "message", drops one without data', () => {
    expect(parse(['data: a\ndata:b\n\nevent: health\n\n'])).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('holds an event back until its blank line arrives', () => {
    expect(parse(['event: change\ndata: {}\n'])).toEqual([]);
  });
});
