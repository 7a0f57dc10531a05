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
