import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenSha256 } from '../../src/admin/tokens.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { send } from './helpers/admin-server.js';
import { openEvents } from './helpers/event-stream.js';
import { saasProject } from './helpers/project.js';
import { ServeExit, spawnServe } from './helpers/serve-process.js';

const ENV_TOKEN = 'env-write-token-0123456789';
const ENV_READ = 'env-read-token-0123456789';

describe('modreg serve', () => {
  it('with no token configured, makes one and prints it once on stderr with the URL; SIGTERM closes it (exit 0)', async () => {
    const { cwd } = await saasProject();
    const serve = await spawnServe(cwd);
    expect(serve.stdout()).toBe(`modreg admin listening on ${serve.url}\n`);
    await expect.poll(() => serve.stderr()).toContain('Access token');
    const printed = /Access token for (\S+) .*\n(\S+)\n/.exec(serve.stderr());
    expect(printed?.[1]).toBe(serve.url);
    const token = printed?.[2] as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(serve.stderr().split(token)).toHaveLength(2);
    expect((await send(serve.url, 'GET', 'api/tenants', { token: null })).status).toBe(401);
    expect((await send(serve.url, 'GET', 'api/modules', { token })).status).toBe(200);
    expect((await send(serve.url, 'GET', '', { token: null })).text).toContain('modreg admin');
    const stream = await openEvents(serve.url, token);
    expect(await serve.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await stream.ended;
  });

  it('takes MODREG_ADMIN_TOKEN (write) and MODREG_ADMIN_READ_TOKEN (read), prints none; the history records the token actor', async () => {
    const { cwd } = await saasProject();
    const serve = await spawnServe(cwd, [], {
      MODREG_ADMIN_TOKEN: ENV_TOKEN,
      MODREG_ADMIN_READ_TOKEN: ENV_READ,
    });
    expect(serve.stderr()).toBe('');
    const change = { body: { modules: ['billing'], withDeps: true } };
    expect(
      (await send(serve.url, 'POST', 'api/tenants/acme/enable', { ...change, token: ENV_READ }))
        .status,
    ).toBe(403);
    expect(
      (await send(serve.url, 'POST', 'api/tenants/acme/enable', { ...change, token: ENV_TOKEN }))
        .status,
    ).toBe(200);
    const history = await spawnCli(['history', 'acme', '--json'], { cwd });
    expect(JSON.parse(history.stdout)).toMatchObject({
      history: [{ actor: 'admin-token', operation: 'enable billing (with dependencies)' }],
    });
    expect(await serve.stop('SIGINT')).toEqual({ code: 0, signal: null });
  });

  it('takes --token-file (tokens or their SHA-256, each with its actor), and streams a change the CLI makes', async () => {
    const { cwd } = await saasProject();
    const alice = 'alice-token-0123456789abcdef';
    await writeFile(
      join(cwd, 'tokens.json'),
      JSON.stringify({
        tokens: [
          { actor: 'alice', access: 'write', token: alice },
          { actor: 'dashboard', access: 'read', sha256: tokenSha256('dashboard-token-0123456789') },
        ],
      }),
    );
    const serve = await spawnServe(cwd, ['--token-file', 'tokens.json', '--json']);
    expect(JSON.parse(serve.stdout())).toEqual({ url: serve.url });
    expect(
      (await send(serve.url, 'GET', 'api/tenants', { token: 'dashboard-token-0123456789' })).status,
    ).toBe(200);
    await send(serve.url, 'POST', 'api/tenants/acme/enable', {
      token: alice,
      body: { modules: ['users'] },
    });
    const stream = await openEvents(serve.url, alice);
    expect((await spawnCli(['enable', 'acme', 'billing'], { cwd })).code).toBe(0);
    expect(await stream.next((e) => e.event === 'change')).toEqual({
      event: 'change',
      data: { tenant: 'acme', revision: 2 },
    });
    const history = (await send(serve.url, 'GET', 'api/tenants/acme/history', { token: alice }))
      .body;
    expect((history as { history: { actor: string }[] }).history.map((e) => e.actor)).toEqual([
      expect.any(String),
      'alice',
    ]);
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  });

  it('refuses a short token, a bad token file, a bad port (exit 2) and a port in use (exit 3)', async () => {
    const { cwd } = await saasProject();
    const failure = async (args: string[], env: Record<string, string> = {}) => {
      const error = await spawnServe(cwd, args, env).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ServeExit);
      return error as ServeExit;
    };
    expect(await failure([], { MODREG_ADMIN_TOKEN: 'secret' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('shorter than 16 characters'),
    });
    await writeFile(
      join(cwd, 'bad.json'),
      '{"tokens": [{"actor": "a", "acces": "read", "token": "x"}]}',
    );
    expect(await failure(['--token-file', 'bad.json'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown key "acces". Did you mean "access"?'),
    });
    expect(await failure(['--token-file', 'missing.json'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Cannot read the token file missing.json'),
    });
    const badPort = await runCli(['serve', '--port', 'http'], { cwd });
    expect(badPort).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--port http is not a port'),
    });
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = String((taken.address() as AddressInfo).port);
    const inUse = await runCli(['serve', '--port', port], {
      cwd,
      env: { MODREG_ADMIN_TOKEN: ENV_TOKEN },
    });
    taken.close();
    expect(inUse).toMatchObject({
      code: 3,
      stderr: expect.stringContaining(`port ${port} is in use`),
    });
    const noRegistry = await runCli(['serve', '--registry', 'nope.json'], {
      cwd,
      env: { MODREG_ADMIN_TOKEN: ENV_TOKEN },
    });
    expect(noRegistry).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('Run "modreg discover"'),
    });
  });
});
