import type { ServerResponse } from 'node:http';
import { errorReply } from './request-error.js';

/** Sends `body` as JSON with `status`; the API's responses are never cached. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(text);
}

/** How an error is answered: the API's error bodies, or OFREP's. */
export type ErrorRenderer = (error: unknown) => {
  status: number;
  body: unknown;
  headers: Readonly<Record<string, string>>;
};

/**
 * Answers `error` as `render` makes it, unless a response is already under way (an event
 * stream): then the connection is ended. Returns the status sent, for the caller to log.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  render: ErrorRenderer = errorReply,
): number {
  const reply = render(error);
  if (res.headersSent) {
    res.destroy();
    return reply.status;
  }
  sendJson(res, reply.status, reply.body, reply.headers);
  return reply.status;
}
