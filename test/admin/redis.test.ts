import { expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { describeWithRedis, testPrefix } from '../helpers/redis-server.js';
import { send } from './helpers/admin-server.js';
import { openEvents } from './helpers/event-stream.js';
import { saasProject } from './helpers/project.js';
import { spawnServe } from './helpers/serve-process.js';

const TOKEN = 'redis-test-token-0123456789';

describeWithRedis('the admin server on Redis', (redis) => {
  it('modreg serve over Redis: API changes the CLI sees, CLI and other-instance changes streamed, If-Match', async () => {
    const project = await saasProject();
    const store = `${redis().url}?prefix=${encodeURIComponent(testPrefix())}`;
    const serve = await spawnServe(project.cwd, ['--store', store], { MODREG_ADMIN_TOKEN: TOKEN });
    const stream = await openEvents(serve.url, TOKEN);

    const enabled = await send(serve.url, 'POST', 'api/tenants/acme/enable', {
      token: TOKEN,
      body: { modules: ['invoicing'], withDeps: true },
    });
    expect(enabled).toMatchObject({ status: 200, body: { revision: 1 } });
    const status = await runCli(['status', 'acme', '--json', '--store', store], {
      cwd: project.cwd,
    });
    expect(JSON.parse(status.stdout)).toMatchObject({
      modules: expect.arrayContaining(['billing', 'invoicing', 'users']),
      revision: 1,
    });

    expect(
      (await spawnCli(['disable', 'acme', 'invoicing', '--store', store], { cwd: project.cwd }))
        .code,
    ).toBe(0);
    const other = await project.instance({ store });
    await other.enable('globex', 'users');
    await stream.next(
      (e) => e.event === 'change' && (e.data as { tenant: string }).tenant === 'globex',
    );
    expect(stream.events.filter((e) => e.event === 'change').map((e) => e.data)).toEqual([
      { tenant: 'acme', revision: 1 },
      { tenant: 'acme', revision: 2 },
      { tenant: 'globex', revision: 1 },
    ]);

    const stale = await send(serve.url, 'POST', 'api/tenants/acme/enable', {
      token: TOKEN,
      body: { modules: ['invoicing'] },
      headers: { 'if-match': '"1"' },
    });
    expect(stale).toMatchObject({ status: 412, body: { error: { code: 'conflict' } } });
    const view = await send(serve.url, 'GET', 'api/tenants/acme', { token: TOKEN });
    expect(view).toMatchObject({ status: 200, body: { revision: 2 } });
    expect(view.headers.get('etag')).toBe('"2"');
    const tenants = await send(serve.url, 'GET', 'api/tenants', { token: TOKEN });
    expect(
      (tenants.body as { tenants: { tenant: string }[] }).tenants.map((t) => t.tenant).sort(),
    ).toEqual(['acme', 'globex']);
    expect((await send(serve.url, 'GET', 'api/health', { token: TOKEN })).body).toMatchObject({
      store: { kind: 'redis' },
      doctor: { ok: true, tenants: 2 },
    });
    expect(await serve.stop()).toEqual({ code: 0, signal: null });
  });
});
