import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { createAdminHandler } from '../../../src/admin/create-admin-handler.js';
import type { AdminHandler, AdminOptions } from '../../../src/admin/types.js';
import type { Modreg } from '../../../src/runtime/modreg.js';
import { repoRoot } from '../../helpers/cli.js';
import { checkResponse } from './openapi-check.js';

/** A read-write token the test servers accept (actor `admin-token`). */
export const WRITE_TOKEN = 'write-token-for-tests-0123456789';
/** A read-only token the test servers accept (actor `reader`). */
export const READ_TOKEN = 'read-token-for-tests-0123456789';

/** The tokens of a test server. */
export const TEST_TOKENS: AdminOptions['tokens'] = [
  { token: WRITE_TOKEN, actor: 'admin-token', access: 'write' },
  { token: READ_TOKEN, actor: 'reader', access: 'read' },
];

/** What one request got back. */
export interface ApiReply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** Options of one request. */
export interface ApiRequestOptions {
  /** The bearer token; `null` for none. @default WRITE_TOKEN */
  token?: string | null;
  /** Sent as JSON (with its content type) unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** An admin handler on a real HTTP server on 127.0.0.1. */
export interface AdminTestServer {
  base: string;
  server: Server;
  handler: AdminHandler;
  /**
   * One request; its answer is checked against the OpenAPI document and for the security
   * headers every response carries before it is returned.
   */
  request(method: string, path: string, options?: ApiRequestOptions): Promise<ApiReply>;
}

/** The placeholder console of the repository, as the tests serve it. */
export const consoleSource = join(repoRoot, 'console');

/**
 * `createAdminHandler(modreg, options)` on `http.createServer`, listening on a free port of
 * 127.0.0.1; closed (handler first, then the server) when the test finishes.
 */
export async function startAdmin(
  modreg: Modreg,
  options: AdminOptions = {},
): Promise<AdminTestServer> {
  const handler = createAdminHandler(modreg, {
    ...(options.authorize === undefined ? { tokens: TEST_TOKENS } : {}),
    consoleDir: consoleSource,
    logger: false,
    ...options,
  });
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(async () => {
    await handler.close();
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });
  return {
    base,
    server,
    handler,
    request: (method, path, given) => send(base, method, path, given),
  };
}

/** One request to `base`, checked as {@link AdminTestServer.request} says. */
export async function send(
  base: string,
  method: string,
  path: string,
  options: ApiRequestOptions = {},
): Promise<ApiReply> {
  const token = options.token === undefined ? WRITE_TOKEN : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
  const reply = {
    status: response.status,
    headers: response.headers,
    body: json ? JSON.parse(text) : text,
    text,
  };
  expectSecurityHeaders(reply.headers);
  // Relative to where the handler is mounted (`http://host/admin/`).
  const mount = new URL(base).pathname.replace(/\/$/, '');
  const apiPath = new URL(path, base).pathname.slice(mount.length);
  if (apiPath.startsWith('/api') || apiPath.startsWith('/ofrep/')) {
    expect(reply.headers.get('cache-control')).toBe('no-store');
    checkResponse({
      method,
      path: apiPath,
      status: reply.status,
      headers: reply.headers,
      body: reply.body,
    });
  }
  return reply;
}

/** The headers every response of the admin handler carries. */
export function expectSecurityHeaders(headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
}
