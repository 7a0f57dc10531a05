import { spawnSync } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { binPath, fixturesDir, runCli } from '../helpers/cli.js';
import { describeWithRedis, testPrefix } from '../helpers/redis-server.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The uid of `nobody`, for running as a user that file permissions apply to. */
const NOBODY = 65_534;

/**
 * `modreg doctor --json` in `cwd` as a user file permissions apply to: this process when it
 * is not root, else the built CLI as `nobody` (root writes through any permission).
 */
async function doctorAsUser(cwd: string) {
  if (process.getuid?.() !== 0) return runCli(['doctor', '--json'], { cwd });
  const run = spawnSync(process.execPath, [binPath, 'doctor', '--json'], {
    cwd,
    uid: NOBODY,
    gid: NOBODY,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

describe('modreg doctor on a store it cannot write', () => {
  it('finds a read-only JSON store directory', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
    expect((await runCli(['enable', 'acme', 'users'], { cwd })).code).toBe(0);
    const store = join(cwd, '.modreg/state');
    await mkdir(join(store, 'locks'), { recursive: true });
    await chmod(cwd, 0o755);
    const dirs = [store, join(store, 'tenants'), join(store, 'locks')];
    for (const dir of dirs) await chmod(dir, 0o555);
    onTestFinished(async () => {
      for (const dir of dirs) await chmod(dir, 0o755);
    });
    const run = await doctorAsUser(cwd);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      tenants: 1,
      findings: [
        {
          check: 'store',
          subject: store,
          message: expect.stringMatching(/is not writable \(EACCES\), so every change would fail/),
        },
      ],
    });
  });

  it('finds nothing on a writable one, and leaves nothing behind', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
    expect((await runCli(['enable', 'acme', 'users'], { cwd })).code).toBe(0);
    const run = await runCli(['doctor', '--json'], { cwd });
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, findings: [] });
    const files = spawnSync('find', [join(cwd, '.modreg/state'), '-name', '*.tmp'], {
      encoding: 'utf8',
    });
    expect(files.stdout).toBe('');
  });
});

describeWithRedis('modreg doctor on a Redis that takes no writes', (redis) => {
  it('finds a read-only replica', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const env = { MODREG_STORE: `${redis().url}?prefix=${testPrefix()}` };
    expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
    expect((await runCli(['enable', 'acme', 'users'], { cwd, env })).code).toBe(0);
    expect(JSON.parse((await runCli(['doctor', '--json'], { cwd, env })).stdout).ok).toBe(true);
    const admin = new Redis(redis().url);
    onTestFinished(async () => {
      await admin.replicaof('NO', 'ONE');
      admin.disconnect();
    });
    // A replica of a primary that is not there: it answers reads, and refuses writes.
    await admin.replicaof('127.0.0.1', 1);
    const run = await runCli(['doctor', '--json'], { cwd, env });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).findings).toEqual([
      {
        check: 'store',
        subject: expect.stringContaining('redis://127.0.0.1'),
        message: expect.stringContaining('takes no writes ("READONLY'),
      },
    ]);
  });
});
