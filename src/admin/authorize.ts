import type { IncomingMessage } from 'node:http';
import { ModregError } from '../errors.js';
import { AdminRequestError } from './http/request-error.js';
import { bearerToken, createTokenAuthorizer } from './tokens.js';
import type { AdminIdentity, AdminOptions } from './types.js';

/** Longest actor name taken from `authorize`. */
const MAX_ACTOR_LENGTH = 200;

/**
 * Who a request comes from, by the options' `authorize` or `tokens`: the identity, or a 401
 * (`WWW-Authenticate: Bearer`). Throws a `usage` error when the options give neither: the
 * admin API has no anonymous access.
 */
export function resolveAuthorize(
  options: AdminOptions,
): (req: IncomingMessage) => Promise<AdminIdentity> {
  if (options.authorize !== undefined && options.tokens !== undefined) {
    throw new ModregError('usage', 'Give the admin handler authorize or tokens, not both.');
  }
  if (options.authorize === undefined && options.tokens === undefined) {
    throw new ModregError(
      'usage',
      'The admin handler needs authorize(req) or tokens: it allows no anonymous access.',
    );
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw new ModregError('usage', 'authorize is a function (req) => ({ actor, access }) or null.');
  }
  const authorize = options.authorize ?? createTokenAuthorizer(options.tokens ?? []);
  return async (req) => {
    const identity = await authorize(req);
    if (identity === null || identity === undefined) {
      const given = bearerToken(req) !== undefined || req.headers.authorization !== undefined;
      throw new AdminRequestError(
        401,
        'unauthorized',
        given
          ? 'The access token is not valid: send a valid one as "Authorization: Bearer <token>".'
          : 'The admin API needs an access token: send it as "Authorization: Bearer <token>".',
        {
          'WWW-Authenticate': given
            ? 'Bearer realm="modreg", error="invalid_token"'
            : 'Bearer realm="modreg"',
        },
      );
    }
    const { actor, access } = identity;
    if (
      typeof actor !== 'string' ||
      actor.trim() === '' ||
      actor.length > MAX_ACTOR_LENGTH ||
      (access !== 'read' && access !== 'write')
    ) {
      // A bug in the host's authorize, not the caller's: answered 500 and logged.
      throw new Error(
        `authorize(req) returned ${JSON.stringify(identity).slice(0, 200)}; it must return { actor: a name of 1 to ${MAX_ACTOR_LENGTH} characters, access: 'read' | 'write' } or null.`,
      );
    }
    return { actor, access };
  };
}
