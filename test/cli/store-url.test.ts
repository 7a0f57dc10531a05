import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/stores/open-store.js';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The example project, discovered, with nothing else in it. */
async function project() {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
  return cwd;
}

describe('a mistyped store URL', () => {
  it.each([
    [
      'redis:/127.0.0.1:6390',
      'is not a Redis URL: "redis:" must be followed by two slashes (redis://127.0.0.1:6390).',
    ],
    ['htp://x', 'is not a store URL: "htp:" is not a store scheme.'],
    ['rediss:x', '"rediss:" must be followed by two slashes (rediss://x).'],
    ['redis://host:p/99', 'Redis port "p" is not a port number (1 to 65535).'],
    ['redis://127.0.0.1:abc', 'Redis port "abc" is not a port number'],
    ['redis://127.0.0.1:70000', 'Redis port "70000" is not a port number'],
    ['redis://127.0.0.1:1/abc', '"/abc" is not a Redis database'],
    ['redis://127.0.0.1:1/1/2', '"/1/2" is not a Redis database'],
    ['redis://127.0.0.1:1/99999999999', '"/99999999999" is not a Redis database'],
    ['redis://', 'names no host'],
    [
      'redis://127.0.0.1:1?prefx=app:',
      'unknown parameter "prefx"; it may have prefix and seeds. Did you mean "prefix"?',
    ],
    ['redis://127.0.0.1:1?prefix=a&prefix=b', 'gives "prefix" twice'],
    ['redis://127.0.0.1:1#top', 'it has a fragment ("#top")'],
  ])('%s is exit 2 naming the bad part, and creates nothing', async (store, why) => {
    const cwd = await project();
    const before = await readdir(cwd);
    for (const args of [
      ['enable', 'acme', 'crm', '--with-deps', '--store', store],
      ['status', 'acme', '--json'],
    ]) {
      const run = await runCli(args, { cwd, env: { MODREG_STORE: store } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(why);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await readdir(cwd)).toEqual(before);
  });

  it('is refused by openStore, which the runtime uses too', async () => {
    await expect(openStore('htp://x')).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining('for a JSON store directory of that name, ./htp://x.'),
    });
  });

  it('lets a valid URL through to connecting, Cluster seeds included', async () => {
    const cwd = await project();
    const store = 'redis://127.0.0.1:1/0?prefix=app:&seeds=127.0.0.1:2';
    const run = await runCli(['status', 'acme', '--store', store], { cwd });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('127.0.0.1:1');
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

describeWithRedis('a store URL naming a database the server lacks', (redis) => {
  it('is exit 2 naming the database, and nothing is written to database 0', async () => {
    const cwd = await project();
    const store = `${redis().url}/99`;
    const run = await runCli(['enable', 'acme', 'crm', '--with-deps', '--store', store], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('names database 99, which that server does not have');
    const zero = await runCli(['tenants', '--json', '--store', redis().url], { cwd });
    expect(JSON.parse(zero.stdout).tenants).toEqual([]);
  });
});
