import type { IncomingMessage } from 'node:http';
import { AdminRequestError, badRequest } from './request-error.js';

/** Content types the API takes: JSON, with or without a charset of UTF-8. */
const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * The request's JSON body, at most `limit` bytes: 415 unless the content type is JSON, 413
 * past the limit (reading stops there: the connection is closed once the answer is sent),
 * 400 for text that is not JSON. A body a framework has already parsed (Express's
 * `express.json()` before the handler) is taken as it is, its size checked the same way.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (typeof type !== 'string' || !JSON_TYPE.test(type.trim())) {
    throw new AdminRequestError(
      415,
      'unsupported-media-type',
      `The API takes JSON: send the body with "Content-Type: application/json"${type === undefined ? '' : `, not "${type.slice(0, 60)}"`}.`,
    );
  }
  const parsed = alreadyParsed(req);
  if (parsed !== undefined) {
    if (Buffer.byteLength(JSON.stringify(parsed.body) ?? '') > limit) throw tooLarge(limit);
    return parsed.body;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const text = await readText(req, limit);
  if (text.trim() === '') throw badRequest('The request body is empty; send a JSON object.');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}.`);
  }
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(badRequest(`The request body could not be read: ${error.message}.`));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** A body another parser read already: the stream is consumed and `body` holds it. */
function alreadyParsed(req: IncomingMessage): { body: unknown } | undefined {
  const withBody = req as IncomingMessage & { body?: unknown };
  if (!req.readableEnded || withBody.body === undefined) return undefined;
  return { body: withBody.body };
}

function tooLarge(limit: number): AdminRequestError {
  return new AdminRequestError(
    413,
    'too-large',
    `The request body is larger than ${limit} bytes; send less (a bulk change of fewer tenants, smaller flag values).`,
    { Connection: 'close' },
  );
}
