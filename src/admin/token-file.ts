import { ModregError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { AdminToken } from './types.js';

const TOKEN_KEYS = ['token', 'sha256', 'actor', 'access'];

/**
 * The tokens of a token file (`modreg serve --token-file`): JSON,
 * `{ "tokens": [{ "actor": "alice", "access": "write", "token": "…" },
 * { "actor": "dashboard", "access": "read", "sha256": "<hex SHA-256 of the token>" }] }`.
 * Throws a `usage` error naming the file and the entry for anything else; the tokens
 * themselves are checked by `createTokenAuthorizer`.
 */
export function parseTokenFile(text: string, file: string): AdminToken[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ModregError(
      'usage',
      `The token file ${file} is not valid JSON (${(error as Error).message}). Write { "tokens": [{ "actor": "alice", "access": "write", "token": "…" }] }.`,
    );
  }
  const tokens = (document as { tokens?: unknown } | null)?.tokens;
  if (typeof document !== 'object' || document === null || !Array.isArray(tokens)) {
    throw new ModregError(
      'usage',
      `The token file ${file} must hold { "tokens": [ … ] }, a list of { "actor", "access", "token" or "sha256" }.`,
    );
  }
  return tokens.map((entry: unknown, index) => {
    const where = `Entry ${index + 1} of the token file ${file}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ModregError('usage', `${where} is not an object { "actor", "access", "token" }.`);
    }
    const unknown = Object.keys(entry).find((key) => !TOKEN_KEYS.includes(key));
    if (unknown !== undefined) {
      throw new ModregError(
        'usage',
        `${where} has an unknown key "${unknown}".${didYouMean(unknown, TOKEN_KEYS)} Allowed: ${TOKEN_KEYS.join(', ')}.`,
      );
    }
    return entry as AdminToken;
  });
}
