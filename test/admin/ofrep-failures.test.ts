import { describe, expect, it } from 'vitest';
import { controlledShopModreg, waitFor } from '../openfeature/helpers.js';
import { startAdmin } from './helpers/admin-server.js';
import { OFREP_FLAGS as FLAG, shopAdmin } from './helpers/ofrep-admin.js';

describe('OFREP while the store is away', () => {
  it('serves the last known state as STALE while the feed is away; the bulk ETag changes with it', async () => {
    const { control, modreg } = controlledShopModreg();
    await modreg.ready();
    const admin = await startAdmin(modreg);
    const context = { targetingKey: 'acme' };
    await admin.request('POST', `${FLAG}/billing.currency`, { body: { context } });
    const before = await admin.request('POST', FLAG, { body: { context } });
    for (const listener of control.listeners) listener.onPause?.('the change feed is away');
    expect(modreg.health().status).toBe('stale');
    expect(
      (await admin.request('POST', `${FLAG}/billing.currency`, { body: { context } })).body,
    ).toMatchObject({ value: 'USD', reason: 'STALE' });
    const stale = await admin.request('POST', FLAG, {
      body: { context },
      headers: { 'if-none-match': before.headers.get('etag') as string },
    });
    expect(stale.status).toBe(200);
    expect((stale.body as { flags: unknown[] }).flags).toContainEqual(
      expect.objectContaining({ key: 'module:users', value: true, reason: 'STALE' }),
    );
    for (const listener of control.listeners) listener.onResume?.();
    await waitFor(() => modreg.health().status !== 'stale');
    await modreg.close();
  });

  it('500 GENERAL with Retry-After for a tenant not held when the store does not answer', async () => {
    const { control, modreg } = controlledShopModreg();
    await modreg.ready();
    const admin = await startAdmin(modreg);
    control.down = true;
    const { status, body, headers } = await admin.request('POST', `${FLAG}/billing.currency`, {
      body: { context: { targetingKey: 'globex' } },
    });
    expect(status).toBe(500);
    expect(headers.get('retry-after')).toBe('1');
    expect(body).toEqual({
      key: 'billing.currency',
      errorCode: 'GENERAL',
      errorDetails: expect.stringContaining('globex'),
    });
    control.down = false;
    await modreg.close();
  });
});

describe('OFREP: what the protocol lacks', () => {
  it("answers a path or method OFREP lacks, and a body it cannot take (415, 413), with OFREP's general error body", async () => {
    const { admin } = await shopAdmin();
    const missing = await admin.request('POST', '/ofrep/v1/evaluate/nothing', {
      body: { context: { targetingKey: 'acme' } },
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errorDetails: expect.any(String) });
    const method = await admin.request('GET', `${FLAG}/billing.currency`);
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('POST');
    expect(method.body).toEqual({ errorDetails: expect.any(String) });
    const type = await admin.request('POST', `${FLAG}/billing.currency`, {
      body: '{"context":{"targetingKey":"acme"}}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(type.status).toBe(415);
    expect(type.body).toEqual({ errorDetails: expect.stringContaining('application/json') });
    const large = await admin.request('POST', FLAG, {
      body: { context: { targetingKey: 'acme', padding: 'x'.repeat(70_000) } },
    });
    expect(large.status).toBe(413);
    expect(large.body).toEqual({
      errorDetails: expect.stringContaining('larger than 65536 bytes'),
    });
  });
});
