import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/stores/open-store.js';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The example project, discovered, with nothing else in it. */
async function project() {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
  return cwd;
}

describe('a mistyped store URL', () => {
  it.each([
    ['redis:/127.0.0.1:6390', '"redis:" must be followed by two slashes (redis://127.0.0.1:6390)'],
    ['htp://x', '"htp:" is not a store scheme.'],
    ['rediss:x', '"rediss:" must be followed by two slashes'],
    ['redis://host:p/99', 'the port "p" is not a number'],
    ['redis://127.0.0.1:abc', 'the port "abc" is not a number'],
    ['redis://127.0.0.1:70000', 'the port "70000" is not a number from 1 to 65535'],
    ['redis://127.0.0.1:6379/abc', 'the database "abc" is not a number'],
    ['redis://127.0.0.1:6379/1/2', 'the database "1/2" is not a number'],
    ['redis://127.0.0.1:6379/99999999999', 'the database 99999999999 is out of range'],
    ['redis://', 'it names no host'],
    ['redis://user:pw@:6379', 'it names no host'],
    [
      'redis://127.0.0.1:6379?prefx=app:',
      '"prefx" is not a query parameter it takes. Did you mean "prefix"?',
    ],
    ['redis://127.0.0.1:6379?prefix=a&prefix=b', '"prefix" is given twice'],
    ['redis://127.0.0.1:6379?prefix=', '"prefix" takes a key prefix'],
    ['redis://127.0.0.1:6379#top', 'a store URL has no fragment'],
  ])('%s is exit 2 naming the bad part, and creates nothing', async (store, why) => {
    const cwd = await project();
    const before = await readdir(cwd);
    for (const args of [
      ['enable', 'acme', 'crm', '--with-deps', '--store', store],
      ['status', 'acme', '--json'],
    ]) {
      const run = await runCli(args, { cwd, env: { MODREG_STORE: store } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`is not a store URL: ${why}`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await readdir(cwd)).toEqual(before);
  });

  it('is refused by openStore, which the runtime uses too', async () => {
    await expect(openStore('htp://x')).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('or, for a JSON store directory of that name, ./htp://x.'),
    });
  });

  it('leaves a drive letter or a relative directory a path', async () => {
    const cwd = await project();
    const run = await runCli(['enable', 'acme', 'crm', '--with-deps', '--store', './state:2'], {
      cwd,
    });
    expect(run.code).toBe(0);
    expect(await readdir(join(cwd, 'state:2', 'tenants'))).toEqual(['acme.json']);
  });
});
