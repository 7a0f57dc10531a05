import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { loadedPackages } from '../helpers/loaded-packages.js';

const openFeature = (names: readonly string[]) =>
  names.filter((n) => n.startsWith('@openfeature/'));

describe('the modreg/openfeature entry', () => {
  it('is the only entry that loads @openfeature/*', async () => {
    const { exports } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const entries = Object.keys(exports)
      .filter((key) => !key.includes('*') && !key.endsWith('.json'))
      .map((key) => key.replace(/^\./, 'modreg'));
    expect(entries).toContain('modreg/openfeature');
    for (const entry of entries) {
      const loaded = await loadedPackages(`await import(${JSON.stringify(entry)});`);
      if (entry === 'modreg/openfeature') {
        expect(openFeature(loaded)).toContain('@openfeature/server-sdk');
      } else {
        expect(openFeature(loaded), entry).toEqual([]);
      }
    }
  });

  it('is not loaded by the admin server answering OFREP, which evaluates without the SDK', async () => {
    const loaded = await loadedPackages(
      [
        "const { createTestModreg } = await import('modreg/testing');",
        "const { createAdminHandler } = await import('modreg/admin');",
        "const { createServer } = await import('node:http');",
        'const modreg = await createTestModreg({',
        "  modules: [{ name: 'billing', flags: { 'billing.seats': { type: 'number', default: 5 } } }],",
        "  tenants: { acme: { modules: ['billing'], flags: { 'billing.seats': 9 } } },",
        '});',
        "const token = 'token-0123456789abcdef';",
        "const handler = createAdminHandler(modreg, { tokens: [{ token, actor: 'a', access: 'read' }], consoleDir: false });",
        'const server = createServer(handler);',
        "await new Promise((done) => server.listen(0, '127.0.0.1', done));",
        'const base = "http://127.0.0.1:" + server.address().port + "/ofrep/v1/evaluate/flags";',
        "const init = { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' }, body: JSON.stringify({ context: { targetingKey: 'acme' } }) };",
        "const one = await (await fetch(base + '/billing.seats', init)).json();",
        "if (one.value !== 9) throw new Error('OFREP answered ' + JSON.stringify(one));",
        'const bulk = await fetch(base, init);',
        "if (bulk.status !== 200) throw new Error('OFREP bulk answered ' + bulk.status);",
        'await handler.close();',
        'server.closeAllConnections();',
        'await new Promise((done) => server.close(done));',
        'await modreg.close();',
      ].join('\n'),
    );
    expect(openFeature(loaded)).toEqual([]);
  });

  it('exports the provider, its factory and the module key prefix', async () => {
    const entry = await import('modreg/openfeature');
    expect(Object.keys(entry).sort()).toEqual([
      'MODULE_KEY_PREFIX',
      'ModregProvider',
      'createModregProvider',
    ]);
    expect(entry.MODULE_KEY_PREFIX).toBe('module:');
  });
});
