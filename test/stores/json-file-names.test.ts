import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import { fileNameOf, legacyFileNameOf, tenantOf } from '../../src/stores/json-names.js';
import { TENANT_ID_PATTERN } from '../../src/tenant/tenant-id.js';
import { tempDir } from '../helpers/temp-dir.js';
import { counter } from './conformance.js';

const idChars = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-'];
const first = fc.constantFrom(...idChars.slice(0, 62));
const rest = fc.constantFrom(...idChars);
/** Valid tenant ids, weighted towards the awkward ones (devices, dots, capitals). */
const tenantIds = fc.oneof(
  fc.tuple(first, fc.array(rest, { maxLength: 127 })).map(([head, tail]) => head + tail.join('')),
  fc
    .tuple(
      fc.constantFrom('con', 'PRN', 'aux', 'Nul', 'com0', 'COM9', 'lpt1', 'Lpt9'),
      fc.constantFrom('', '.', '.json', '.x', '..', '.a.b'),
    )
    .map(([device, suffix]) => device + suffix),
  fc
    .tuple(fc.array(fc.constantFrom('A', 'Z', 'q', '.'), { maxLength: 127 }))
    .map(([tail]) => `X${tail.join('')}`),
);

/** What Windows refuses as a file name: a device name before the first dot. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

describe('json store: file names', () => {
  it('maps every valid id to a name safe on every OS, and back exactly', () => {
    fc.assert(
      fc.property(tenantIds, (id) => {
        expect(TENANT_ID_PATTERN.test(id)).toBe(true);
        const name = fileNameOf(id);
        expect(tenantOf(name)).toBe(id);
        expect(name).toMatch(/^[a-z0-9._^-]+\.json$/);
        expect(name).not.toMatch(WINDOWS_DEVICE);
        expect(name).not.toMatch(/[. ]$/);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
        expect(Buffer.byteLength(name.replace(/\.json$/, '.lock'))).toBeLessThanOrEqual(255);
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives two ids two names, also on a case-insensitive file system', () => {
    fc.assert(
      fc.property(tenantIds, tenantIds, (a, b) => {
        fc.pre(a !== b);
        expect(fileNameOf(a).toLowerCase()).not.toBe(fileNameOf(b).toLowerCase());
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps the names modreg always wrote, and reads nothing else as a tenant', () => {
    expect(fileNameOf('acme')).toBe('acme.json');
    expect(fileNameOf('Acme')).toBe('^acme.json');
    expect(fileNameOf('a.')).toBe('a..json');
    expect(fileNameOf('con')).toBe('^_con.json');
    expect(fileNameOf('aux.json')).toBe('^_aux.json.json');
    expect(fileNameOf('lpt9.x')).toBe('^_lpt9.x.json');
    expect(fileNameOf('CON')).toBe('^c^o^n.json');
    expect(legacyFileNameOf('con')).toBe('con.json');
    expect(legacyFileNameOf('acme')).toBeUndefined();
    expect(tenantOf('con.json')).toBe('con');
    expect(tenantOf('^acme.json')).toBe('Acme');
    for (const other of [
      'Acme.json',
      '^_acme.json',
      'a^.json',
      '.acme.json',
      'acme.json.tmp',
      '^-acme.json',
    ]) {
      expect(tenantOf(other)).toBeUndefined();
    }
  });

  it('stores an id of 128 capitals, which the old names made too long', async () => {
    const path = join(await tempDir(), 'state');
    const store = await createJsonFileStore({ path });
    const id = 'A'.repeat(128);
    try {
      await store.update(id, counter());
      expect((await store.read(id)).revision).toBe(1);
      expect((await store.list()).tenants).toEqual([id]);
    } finally {
      await store.close();
    }
  });

  it('reads a device-named tenant from its old file, and moves it to the new name at its next change', async () => {
    const path = join(await tempDir(), 'state');
    await mkdir(join(path, 'tenants'), { recursive: true });
    const old = {
      format: 1,
      tenant: 'con',
      revision: 3,
      updatedAt: '2026-01-01T00:00:00.000Z',
      modules: ['billing'],
      flags: {},
      history: [],
    };
    await writeFile(join(path, 'tenants', 'con.json'), JSON.stringify(old));
    const store = await createJsonFileStore({ path });
    try {
      expect(await store.read('con')).toMatchObject({ revision: 3, modules: ['billing'] });
      expect((await store.list()).tenants).toEqual(['con']);
      await store.update('con', counter());
      expect(await readdir(join(path, 'tenants'))).toEqual(['^_con.json']);
      expect(JSON.parse(await readFile(join(path, 'tenants', '^_con.json'), 'utf8'))).toMatchObject(
        {
          tenant: 'con',
          revision: 4,
          modules: ['billing'],
        },
      );
      expect((await store.list()).tenants).toEqual(['con']);
    } finally {
      await store.close();
    }
  });
});
