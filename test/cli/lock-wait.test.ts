import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

describe('a change waiting for a lock left by a process that died', () => {
  it('says on stderr why it waits, then goes through', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
    expect((await runCli(['enable', 'acme', 'users'], { cwd })).code).toBe(0);
    // What a holder killed mid-change leaves: the lock directory proper-lockfile made.
    await mkdir(join(cwd, '.modreg/state/locks/acme.lock'), { recursive: true });
    const run = await runCli(['enable', 'acme', 'crm'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('modreg: waiting for the lock of tenant "acme"');
    expect(run.stderr.match(/waiting for the lock/g)).toHaveLength(1);
  }, 60_000);
});
