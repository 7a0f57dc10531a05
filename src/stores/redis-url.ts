import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';
import { didYouMean } from '../suggest.js';

/** A node: host and port. */
export interface RedisAddress {
  host: string;
  port: number;
}

/** What a `redis://` or `rediss://` URL says. */
export interface RedisUrl {
  /** The node it names. */
  node: RedisAddress;
  /** More nodes of the same Cluster (`?seeds=host:port,host:port`), to start from. */
  seeds: RedisAddress[];
  username?: string;
  password?: string;
  /** The database (`/3`); a Cluster has only 0. */
  db: number;
  /** `rediss://`: TLS. */
  tls: boolean;
  /** The `?prefix=` parameter, when there is one. */
  prefix?: string;
  /** The URL without its password, for messages. */
  shown: string;
}

/** The query parameters a Redis URL may carry here. */
const PARAMETERS = ['prefix', 'seeds'];

/**
 * Reads `redis[s]://[user:password@]host[:port][/db][?prefix=…][&seeds=host:port,…]`;
 * anything else is a `usage` error naming the part that is wrong.
 */
export function parseRedisUrl(text: string): RedisUrl {
  checkShape(text);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`${shownText(text)} is not a Redis URL; write redis://host:port.`);
  }
  if (!/^rediss?:$/.test(url.protocol)) {
    throw usage(
      `"${url.protocol}//…" is not a Redis URL; write redis://host:port or rediss://host:port.`,
    );
  }
  if (url.hostname === '')
    throw usage(`${shownText(text)} names no host; write redis://host:port.`);
  for (const name of url.searchParams.keys()) {
    if (url.searchParams.getAll(name).length > 1) {
      throw usage(`The Redis URL gives ${shownText(name)} twice; keep one.`);
    }
    if (!PARAMETERS.includes(name)) {
      throw usage(
        `The Redis URL has an unknown parameter ${shownText(name)}; it may have ${PARAMETERS.join(' and ')}.${didYouMean(name, PARAMETERS)}`,
      );
    }
  }
  const seeds = url.searchParams.get('seeds');
  const prefix = url.searchParams.get('prefix');
  const shown = new URL(url.href);
  shown.password = '';
  return {
    node: { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: portOf(url.port || '6379') },
    seeds: seeds === null || seeds === '' ? [] : seeds.split(',').map(parseAddress),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    db: dbOf(url.pathname),
    tls: url.protocol === 'rediss:',
    ...(prefix === null ? {} : { prefix }),
    shown: shown.href,
  };
}

/** `host:port` (`[::1]:7000` for IPv6), checked. */
export function parseAddress(text: string): RedisAddress {
  const match = /^(\[[^\]]+\]|[^:\s/]+):(\d+)$/.exec(text.trim());
  if (match === null) {
    throw usage(`The Redis node ${shownText(text)} is not host:port (e.g. 10.0.0.2:6379).`);
  }
  return {
    host: (match[1] as string).replace(/^\[(.*)\]$/, '$1'),
    port: portOf(match[2] as string),
  };
}

/** `host:port`, for messages. */
export function addressText({ host, port }: RedisAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * What `new URL` would only call invalid, said precisely: the two slashes after the
 * scheme, and a port that is not a number.
 */
function checkShape(text: string): void {
  const scheme = /^(rediss?):(.*)$/is.exec(text);
  if (scheme === null) return;
  const [, name, rest] = scheme as unknown as [string, string, string];
  if (!rest.startsWith('//')) {
    throw usage(
      `${shownText(text)} is not a Redis URL: "${name}:" must be followed by two slashes (${name}://${rest.replace(/^\/*/, '')}).`,
    );
  }
  const fragment = rest.indexOf('#');
  if (fragment >= 0) {
    throw usage(
      `${shownText(text)} is not a Redis URL: it has a fragment (${shownText(rest.slice(fragment))}), which means nothing to a store; remove it.`,
    );
  }
  const hostPort = (/^\/\/([^/?#]*)/.exec(rest)?.[1] ?? '').replace(/^.*@/, '');
  const colon = hostPort.lastIndexOf(':');
  if (colon > hostPort.lastIndexOf(']') && !hostPort.includes(',')) {
    portOf(hostPort.slice(colon + 1));
  }
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65_535) {
    throw usage(`Redis port ${shownText(text)} is not a port number (1 to 65535).`);
  }
  return port;
}

function dbOf(path: string): number {
  if (path === '' || path === '/') return 0;
  const match = /^\/(\d{1,5})$/.exec(path);
  if (match === null) {
    throw usage(`${shownText(path)} is not a Redis database; write /0, /1 … after host:port.`);
  }
  return Number(match[1]);
}

function usage(message: string): ModregError {
  return new ModregError('usage', message);
}
