import type { Redis } from 'ioredis';
import { ModregError } from '../errors.js';

/** A client the store talks through, and how to explain its failures. */
export interface RedisConnection {
  client: Redis;
  /** The server, for messages: a URL without its password. */
  location: string;
  /** True when the store made the client, and so closes it. */
  owned: boolean;
  /** The failure of a command as a ModregError; `doing` says what was being done. */
  failure(error: unknown, doing: string): ModregError;
}

/** How to reach the server: a URL, or an existing client. */
export interface ConnectionOptions {
  url?: string | undefined;
  client?: Redis | undefined;
  connectTimeoutMs: number;
}

/**
 * Connects to Redis, or takes the client given (connected by its owner, or lazily on first
 * use). A client made here fails fast instead of waiting: the first connection must be ready
 * within `connectTimeoutMs` or the store is not made; later, while Redis is away, commands
 * fail at once (no offline queue) and an unanswered command is never sent again, since
 * resending a commit whose reply was lost could apply it twice. It reconnects in the background.
 */
export async function openConnection(options: ConnectionOptions): Promise<RedisConnection> {
  const given = options.client;
  if (given !== undefined) {
    const location = clientLocation(given);
    return { client: given, location, owned: false, failure: failureOf(location, () => undefined) };
  }
  const url = options.url ?? 'redis://127.0.0.1:6379';
  const location = redactUrl(url);
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  const lastError = recordErrors(client);
  await connect(client, location, options.connectTimeoutMs, lastError);
  return { client, location, owned: true, failure: failureOf(location, lastError) };
}

/**
 * A second connection to the same server for pub/sub (a subscribed connection can do nothing
 * else), ready within `timeoutMs`.
 */
export async function duplicateConnection(
  connection: RedisConnection,
  timeoutMs: number,
): Promise<Redis> {
  const client = connection.client.duplicate({ lazyConnect: true });
  const lastError = recordErrors(client);
  await connect(client, connection.location, timeoutMs, lastError);
  return client;
}

/** Closes a client politely, or at once when it is not connected. */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}

/** `url` without its password, for messages. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ModregError('usage', `"${url}" is not a Redis URL; write redis://host:port.`);
  }
  if (!/^rediss?:$/.test(parsed.protocol)) {
    throw new ModregError(
      'usage',
      `"${parsed.protocol}//…" is not a Redis URL; write redis://host:port or rediss://host:port.`,
    );
  }
  if (parsed.password !== '') parsed.password = '';
  return parsed.href;
}

function clientLocation(client: Redis): string {
  const { host, port, path, db, tls } = client.options;
  if (path) return `unix:${path}`;
  const base = `${tls ? 'rediss' : 'redis'}://${host ?? '127.0.0.1'}:${port ?? 6379}`;
  return db ? `${base}/${db}` : base;
}

/**
 * Keeps the latest connection error of a client made here. Listening also stops ioredis from
 * printing each one as an "Unhandled error event": failures reach callers as rejected commands.
 */
function recordErrors(client: Redis): () => Error | undefined {
  let last: Error | undefined;
  client.on('error', (error: Error) => {
    last = error;
  });
  client.on('ready', () => {
    last = undefined;
  });
  return () => last;
}

async function connect(
  client: Redis,
  location: string,
  timeoutMs: number,
  lastError: () => Error | undefined,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // connectTimeout covers the TCP connection only; a server that accepts and never answers
  // would otherwise hold the handshake forever.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), timeout]);
  } catch (error) {
    client.disconnect();
    throw unreachable(location, lastError() ?? error);
  } finally {
    clearTimeout(timer);
  }
}

function failureOf(location: string, lastError: () => Error | undefined) {
  return (error: unknown, doing: string): ModregError => {
    if (error instanceof ModregError) return error;
    if (error instanceof Error && error.name === 'ReplyError') {
      return new ModregError(
        'environment',
        `Redis at ${location} refused ${doing}: ${error.message}.`,
        { cause: error },
      );
    }
    return unreachable(location, lastError() ?? error, doing);
  };
}

function unreachable(location: string, cause: unknown, doing?: string): ModregError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const during = doing === undefined ? '' : ` (while ${doing})`;
  return new ModregError(
    'environment',
    `Cannot reach Redis at ${location}${during}: ${reason}. Start Redis, or point --store / MODREG_STORE at it.`,
    { cause },
  );
}
