import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';

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
    if (!PARAMETERS.includes(name)) {
      throw usage(
        `The Redis URL has an unknown parameter ${shownText(name)}; it may have ${PARAMETERS.join(' and ')}.`,
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
