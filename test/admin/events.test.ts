import { describe, expect, it } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createTestRegistry } from '../../src/runtime/testing.js';
import { createMemoryStore } from '../../src/stores/memory.js';
import type { ChangeListener, Store } from '../../src/stores/types.js';
import { spawnCli } from '../helpers/cli.js';
import { startAdmin } from './helpers/admin-server.js';
import { openEvents } from './helpers/event-stream.js';
import { saasProject } from './helpers/project.js';
import { SHOP_MODULES, shopModreg } from './helpers/shop.js';

describe('GET /api/events', () => {
  it('streams a change made through the API, with heartbeats', async () => {
    const admin = await startAdmin(await shopModreg(), { heartbeatMs: 50 });
    const stream = await openEvents(admin.base);
    await admin.request('POST', '/api/tenants/acme/enable', { body: { modules: ['users'] } });
    expect(await stream.next((e) => e.event === 'change')).toEqual({
      event: 'change',
      data: { tenant: 'acme', revision: 1 },
    });
    await expect
      .poll(() => stream.comments.filter((c) => c === 'heartbeat').length)
      .toBeGreaterThan(1);
    expect(stream.comments[0]).toBe('connected');
    const head = await admin.request('HEAD', '/api/events');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  });

  it('streams changes made by the CLI in another process and by another instance (JSON store)', async () => {
    const { cwd, instance } = await saasProject();
    const admin = await startAdmin(await instance());
    const stream = await openEvents(admin.base);
    const cli = await spawnCli(['enable', 'acme', 'billing', '--with-deps'], { cwd });
    expect(cli.code).toBe(0);
    expect(await stream.next((e) => e.event === 'change')).toEqual({
      event: 'change',
      data: { tenant: 'acme', revision: 1 },
    });
    const other = await instance();
    await other.updateFlags('globex', { set: { 'billing.new-checkout': true } });
    await stream.next(
      (e) => e.event === 'change' && (e.data as { tenant: string }).tenant === 'globex',
    );
    // Each commit once, however often the store announced it.
    await admin.request('GET', '/api/health');
    expect(stream.events.filter((e) => e.event === 'change')).toEqual([
      { event: 'change', data: { tenant: 'acme', revision: 1 } },
      { event: 'change', data: { tenant: 'globex', revision: 1 } },
    ]);
  });

  it('streams reset when the store cannot say what changed', async () => {
    const memory = createMemoryStore();
    const listeners: ChangeListener[] = [];
    const store: Store = {
      ...memory,
      subscribe: async (listener) => {
        listeners.push(listener);
        return memory.subscribe(listener);
      },
    };
    const modreg = createModreg({
      registry: createTestRegistry(SHOP_MODULES),
      store,
      logger: false,
    });
    await modreg.ready();
    const admin = await startAdmin(modreg);
    const stream = await openEvents(admin.base);
    for (const listener of listeners) listener.onReset?.('the store was emptied');
    expect(await stream.next((e) => e.event === 'reset')).toEqual({
      event: 'reset',
      data: { reason: 'the store was emptied' },
    });
    await modreg.close();
  });

  it('ends every stream when the handler closes, so the server closes; a closed client is let go', async () => {
    const admin = await startAdmin(await shopModreg());
    const first = await openEvents(admin.base);
    const second = await openEvents(admin.base);
    second.close();
    await admin.handler.close();
    await first.ended;
    const late = await admin.request('GET', '/api/events');
    expect(late).toMatchObject({ status: 503, body: { error: { code: 'environment' } } });
    await new Promise<void>((done) => admin.server.close(() => done()));
    expect(admin.server.listening).toBe(false);
  });
});
