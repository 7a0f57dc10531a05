import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ModregError } from '../errors.js';
import type { AdminAuthorize, AdminIdentity, AdminToken } from './types.js';

/** Shortest token accepted: a guessable token is no protection. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * An `authorize` for bearer tokens (`Authorization: Bearer <token>`). The token given is
 * hashed and compared with every known token's hash by `timingSafeEqual`, all of them every
 * time, so neither the length nor the position of a match shows in the time taken.
 * Throws a `usage` error for a token shorter than 16 characters, a bad hash, no actor, or
 * an access other than `read` / `write`.
 */
export function createTokenAuthorizer(tokens: readonly AdminToken[]): AdminAuthorize {
  const known = tokens.map((token, index) => ({ digest: digestOf(token, index), token }));
  if (known.length === 0) {
    throw new ModregError(
      'usage',
      'No admin tokens given: the admin API allows no anonymous access.',
    );
  }
  return (req: IncomingMessage): AdminIdentity | null => {
    const given = bearerToken(req);
    if (given === undefined) return null;
    const digest = sha256(given);
    let match: AdminToken | undefined;
    for (const entry of known) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry.token;
    }
    return match === undefined ? null : { actor: match.actor, access: match.access };
  };
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const found = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
  return found?.[1];
}

/** The SHA-256 of a token, hex, as a token file may hold it instead of the token. */
export function tokenSha256(token: string): string {
  return sha256(token).toString('hex');
}

function digestOf(token: AdminToken, index: number): Buffer {
  const which = `Admin token ${index + 1}${typeof token?.actor === 'string' ? ` ("${token.actor}")` : ''}`;
  if (typeof token?.actor !== 'string' || token.actor.trim() === '') {
    throw new ModregError('usage', `${which} has no actor: name who uses it, for the history.`);
  }
  if (token.access !== 'read' && token.access !== 'write') {
    throw new ModregError(
      'usage',
      `${which} has access ${JSON.stringify(token.access)}; use "read" or "write".`,
    );
  }
  if (token.token !== undefined && token.sha256 !== undefined) {
    throw new ModregError('usage', `${which} gives both token and sha256; give one.`);
  }
  if (typeof token.sha256 === 'string') {
    if (!/^[0-9a-f]{64}$/i.test(token.sha256)) {
      throw new ModregError(
        'usage',
        `${which}: sha256 must be 64 hex digits (the SHA-256 of the token).`,
      );
    }
    return Buffer.from(token.sha256, 'hex');
  }
  if (typeof token.token !== 'string' || token.token.length < MIN_TOKEN_LENGTH) {
    throw new ModregError(
      'usage',
      `${which} is shorter than ${MIN_TOKEN_LENGTH} characters; use a long random one (e.g. openssl rand -base64 32).`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token.token)) {
    throw new ModregError(
      'usage',
      `${which} holds spaces or characters outside printable ASCII, which a bearer header cannot carry.`,
    );
  }
  return sha256(token.token);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
