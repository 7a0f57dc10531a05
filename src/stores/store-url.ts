import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';
import { didYouMean } from '../suggest.js';
import type { RedisStoreOptions } from './redis.js';

/** A store URL taken apart: the server to connect to, and the store options its query set. */
export interface RedisLocation {
  /** `redis://…` or `rediss://…` without the query modreg reads. */
  url: string;
  /** What the query parameters set. */
  options: RedisUrlOptions;
}

/** The store options a URL's query can set. */
export type RedisUrlOptions = Pick<RedisStoreOptions, 'prefix'>;

/** One query parameter of a store URL: what it takes, and how it sets the options. */
interface QueryParameter {
  /** What a value must be, for the message when it is not. */
  takes: string;
  /** Sets the option, or returns false when `value` is not what it takes. */
  apply(value: string, options: RedisUrlOptions): boolean;
}

/** The query parameters a store URL may carry; any other is refused. */
const QUERY_PARAMETERS: ReadonlyMap<string, QueryParameter> = new Map([
  [
    'prefix',
    {
      takes: 'a key prefix such as "app:"',
      apply(value, options) {
        options.prefix = value;
        return value !== '';
      },
    },
  ],
]);

/** Store URL schemes, by name. */
const SCHEMES = ['redis', 'rediss'];

/** How a store URL is written, for every refusal. */
const FORM = 'Write redis://host:port[/db][?prefix=app:] (rediss:// for TLS).';

/** Highest database number Redis can be configured with (`databases` is an int). */
const MAX_DATABASE = 2_147_483_647;

/**
 * True when `location` reads as a URL (a scheme of two or more letters, then a colon) rather
 * than a directory: `redis://…`, but also `htp://x` or `redis:/host`, which must be refused
 * and never become a directory. `C:\state` (a drive letter) is a path.
 */
export function looksLikeUrl(location: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(location);
}

/**
 * Checks a store URL and takes it apart: `redis://[user:password@]host[:port][/db][?prefix=…]`
 * or `rediss://…`. Anything wrong — an unknown scheme, a missing `//` or host, a port or
 * database that is not a number, an unknown or repeated query parameter — is a usage error
 * naming the part and the fix.
 */
export function parseStoreUrl(location: string): RedisLocation {
  const fail = (why: string, fix = FORM) =>
    new ModregError('usage', `${shownText(location, 80)} is not a store URL: ${why}. ${fix}`);
  const colon = location.indexOf(':');
  const scheme = location.slice(0, colon).toLowerCase();
  if (!SCHEMES.includes(scheme)) {
    throw fail(
      `"${location.slice(0, colon)}:" is not a store scheme.${didYouMean(scheme, SCHEMES)}`,
      `${FORM.slice(0, -1)}, or, for a JSON store directory of that name, ./${location}.`,
    );
  }
  const rest = location.slice(colon + 1);
  if (!rest.startsWith('//')) {
    throw fail(
      `"${scheme}:" must be followed by two slashes (${scheme}://${rest.replace(/^\/*/, '')})`,
    );
  }
  const parts = /^\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?(#.*)?$/.exec(rest) as RegExpExecArray;
  const [, authority = '', path = '', query = '', fragment] = parts;
  if (fragment !== undefined) throw fail(`a store URL has no fragment (${shownText(fragment)})`);
  checkAuthority(authority.slice(authority.lastIndexOf('@') + 1), fail);
  checkDatabase(path, fail);
  const options: RedisUrlOptions = {};
  readQuery(query.slice(1), options, fail);
  return { url: `${scheme}://${authority}${path}`, options };
}

/** The host must be there; a port, when given, is a number from 1 to 65535. */
function checkAuthority(hostPort: string, fail: (why: string) => ModregError): void {
  const portAt = hostPort.lastIndexOf(':');
  const hasPort = portAt > hostPort.lastIndexOf(']');
  const host = hasPort ? hostPort.slice(0, portAt) : hostPort;
  if (host === '') throw fail('it names no host');
  if (!hasPort) return;
  const port = hostPort.slice(portAt + 1);
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    throw fail(`the port ${shownText(port)} is not a number from 1 to 65535`);
  }
}

/** The path is empty, `/`, or `/<database number>`. */
function checkDatabase(path: string, fail: (why: string) => ModregError): void {
  if (path === '' || path === '/') return;
  const db = path.slice(1);
  if (!/^\d+$/.test(db)) {
    throw fail(`the database ${shownText(db)} is not a number (the path is /0, /1, …)`);
  }
  if (Number(db) > MAX_DATABASE) {
    throw fail(`the database ${db} is out of range (0 to ${MAX_DATABASE})`);
  }
}

/** Applies each `name=value` of the query; unknown, repeated or empty ones are refused. */
function readQuery(
  query: string,
  options: RedisUrlOptions,
  fail: (why: string) => ModregError,
): void {
  if (query === '') return;
  const seen = new Set<string>();
  for (const pair of query.split('&')) {
    const at = pair.indexOf('=');
    const name = decode(at < 0 ? pair : pair.slice(0, at), fail);
    const parameter = QUERY_PARAMETERS.get(name);
    if (parameter === undefined) {
      const known = [...QUERY_PARAMETERS.keys()];
      throw fail(
        `${shownText(name)} is not a query parameter it takes.${didYouMean(name, known)} The parameters are ${known.join(', ')}`,
      );
    }
    if (seen.has(name)) throw fail(`"${name}" is given twice`);
    seen.add(name);
    if (at < 0 || !parameter.apply(decode(pair.slice(at + 1), fail), options)) {
      throw fail(`"${name}" takes ${parameter.takes}`);
    }
  }
}

function decode(text: string, fail: (why: string) => ModregError): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    throw fail(`${shownText(text)} is not valid percent-encoding`);
  }
}
