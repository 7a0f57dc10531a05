import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../runtime/types.js';

/** What an authenticated caller may do: `read` (lookups, dry runs) or `write` (changes too). */
export type AdminAccess = 'read' | 'write';

/** Who is calling, as `authorize` tells it: the actor the history records, and the access. */
export interface AdminIdentity {
  /** Recorded in the history of every change the caller makes. */
  actor: string;
  access: AdminAccess;
}

/**
 * Decides who a request comes from: an identity, or `null` (answered 401). Sync or async;
 * it sees the raw request, so it can read the host app's session, a header or a client
 * certificate. A throw is answered 500 and logged.
 */
export type AdminAuthorize = (
  req: IncomingMessage,
) => AdminIdentity | null | undefined | Promise<AdminIdentity | null | undefined>;

/** A bearer token the admin server accepts. Give `token`, or its `sha256` (hex) instead. */
export interface AdminToken {
  /** The token itself: at least 16 characters. */
  token?: string;
  /** The SHA-256 of the token, 64 hex digits, so the token need not be stored in clear. */
  sha256?: string;
  /** Recorded in the history of the changes made with it. */
  actor: string;
  access: AdminAccess;
}

/** Options of `createAdminHandler` and `modreg.admin()`. */
export interface AdminOptions {
  /** Who a request comes from; give this or `tokens` (no anonymous access). */
  authorize?: AdminAuthorize;
  /** Bearer tokens accepted (in the `Authorization` header), when `authorize` is not given. */
  tokens?: readonly AdminToken[];
  /**
   * The path the handler is mounted under when the framework leaves it in `req.url` (a Fastify
   * catch-all route): `/admin`. Express strips its mount path itself. @default ''
   */
  basePath?: string;
  /**
   * The web console's files, served at `/` without authentication (the page asks for the
   * token); `false` for none. @default the package's dist/console
   */
  consoleDir?: string | false;
  /**
   * The modules directory the health endpoint compares the registry with (doctor's
   * registry check); without it that check is left out.
   */
  doctor?: {
    modulesDir: string;
    /** Paths in module records are relative to it. @default the parent of modulesDir */
    root?: string;
    ignore?: string[];
    jsonOnly?: boolean;
  };
  /** Largest request body, in bytes (413 past it). @default 65536 */
  maxBodyBytes?: number;
  /** Most tenants one bulk change may touch. @default 1000 */
  maxBulkTenants?: number;
  /** Most tenants the health endpoint checks for modules that will not load. @default 1000 */
  healthTenantLimit?: number;
  /** How often an event stream gets a heartbeat comment. @default 15000 */
  heartbeatMs?: number;
  /** Where internal errors go; `false` for nowhere. @default errors on the console */
  logger?: Logger | false;
  /** How the OFREP routes (`/ofrep/v1/…`) find the tenant in an evaluation context. */
  ofrep?: AdminOfrepOptions;
}

/**
 * Where the OFREP routes take the tenant from: the same rule as the OpenFeature provider's
 * options of the same names.
 */
export interface AdminOfrepOptions {
  /**
   * The context attribute that names the tenant, read before `targetingKey`.
   * @default 'tenant'
   */
  tenantAttribute?: string;
  /** Take the tenant from `targetingKey` when the attribute is absent. @default true */
  targetingKeyIsTenant?: boolean;
}

/** What a framework passes on when a request is not the handler's (Express's `next`). */
export type AdminNext = (error?: unknown) => void;

/**
 * A node:http request handler: `http.createServer(handler)`, `app.use('/admin', handler)`.
 * With `next`, a request outside the API and the console's files goes on to it.
 */
export interface AdminHandler {
  (req: IncomingMessage, res: ServerResponse, next?: AdminNext): void;
  /** Ends the event streams and stops their heartbeats, so the server can close. */
  close(): Promise<void>;
}
