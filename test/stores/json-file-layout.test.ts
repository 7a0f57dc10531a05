import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { describeFileSystemError } from '../../src/stores/json-errors.js';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import { tempDir } from '../helpers/temp-dir.js';
import { counter } from './conformance.js';

/** Mounts a small tmpfs at a fresh directory, when this process may (root on Linux). */
async function smallFileSystem(options: string): Promise<string | undefined> {
  const dir = await tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  onTestFinished(() => void spawnSync('umount', ['-l', dir]));
  return dir;
}

const canMount = process.platform === 'linux' && process.getuid?.() === 0;

describe('json store: directories and errors', () => {
  it('retries a directory creation that failed, once its cause is fixed', async () => {
    const path = join(await tempDir(), 'state');
    await mkdir(path);
    await writeFile(join(path, 'tenants'), 'not a directory');
    const store = await createJsonFileStore({ path });
    try {
      await expect(store.update('acme', counter())).rejects.toMatchObject({
        code: 'environment',
        message: expect.stringContaining(`${join(path, 'tenants')} is a file, not a directory`),
      });
      await rm(join(path, 'tenants'));
      expect((await store.update('acme', counter())).state.revision).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('names a file in the way of the store directory itself', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'parent'), '');
    const store = await createJsonFileStore({ path: join(dir, 'parent', 'state') });
    try {
      await expect(store.update('acme', counter())).rejects.toMatchObject({
        code: 'environment',
        message: expect.stringContaining(`${join(dir, 'parent')} is a file, not a directory`),
      });
    } finally {
      await store.close();
    }
  });

  it.each([
    ['ENOSPC', 'the disk is full'],
    ['EDQUOT', 'the disk quota is exceeded'],
    ['EROFS', 'the file system is read-only'],
    ['EACCES', 'permission denied'],
    ['EIO', 'input/output error'],
  ])('says what %s means', (code, words) => {
    const text = describeFileSystemError(Object.assign(new Error(`${code}: raw`), { code }));
    expect(text).toContain(words);
    expect(text).not.toContain('raw');
  });

  it.skipIf(!canMount)('says the disk is full when it is (needs root: a small tmpfs)', async () => {
    const disk = await smallFileSystem('size=64k');
    if (disk === undefined) return;
    const store = await createJsonFileStore({ path: join(disk, 'state') });
    try {
      await store.update('acme', counter());
      await writeFile(join(disk, 'filler'), Buffer.alloc(60_000)).catch(() => undefined);
      const big = {
        apply: () => ({ modules: [], flags: { big: 'x'.repeat(40_000) } }),
        actor: 't',
        operation: 'big',
      };
      await expect(store.update('acme', big)).rejects.toMatchObject({
        code: 'environment',
        message: expect.stringContaining('the disk is full'),
      });
      expect((await store.read('acme')).revision).toBe(1);
    } finally {
      await store.close();
    }
  });

  it.skipIf(!canMount)(
    'says the file system is read-only, and so does inspect (needs root)',
    async () => {
      const disk = await smallFileSystem('size=1m');
      if (disk === undefined) return;
      const path = join(disk, 'state');
      const store = await createJsonFileStore({ path });
      try {
        await store.update('acme', counter());
        execFileSync('mount', ['-o', 'remount,ro', disk]);
        await expect(store.update('acme', counter())).rejects.toMatchObject({
          code: 'environment',
          message: expect.stringContaining('the file system is read-only'),
        });
        const inspection = await store.inspect();
        expect(inspection).toMatchObject({ exists: true, writable: false });
        expect(inspection.problems.join(' ')).toContain('read-only');
      } finally {
        await store.close();
      }
    },
  );

  it('tells a store directory that does not exist from an empty store', async () => {
    const path = join(await tempDir(), 'typo', 'state');
    const store = await createJsonFileStore({ path });
    try {
      expect(await store.inspect()).toEqual({ exists: false, writable: true, problems: [] });
      expect((await store.list()).tenants).toEqual([]);
      await store.update('acme', counter());
      const inspection = await store.inspect();
      expect(inspection).toMatchObject({ exists: true, writable: true, problems: [] });
      expect(inspection.generation).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await store.close();
    }
  });

  it('reports a corrupt generation file', async () => {
    const path = join(await tempDir(), 'state');
    await mkdir(path);
    await writeFile(join(path, 'store.json'), 'nonsense');
    const store = await createJsonFileStore({ path });
    try {
      const { problems } = await store.inspect();
      expect(problems).toEqual([expect.stringContaining(`${join(path, 'store.json')} is corrupt`)]);
    } finally {
      await store.close();
    }
  });

  it('gives a store one generation at its first change, whoever races to make it', async () => {
    const path = join(await tempDir(), 'state');
    const stores = await Promise.all(
      Array.from({ length: 8 }, () => createJsonFileStore({ path })),
    );
    try {
      await Promise.all(stores.map((store, i) => store.update(`t${i}`, counter())));
      const generation = await readFile(join(path, 'store.json'), 'utf8');
      expect(JSON.parse(generation)).toMatchObject({
        format: 1,
        generation: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      await stores[0]?.update('t0', counter());
      expect(await readFile(join(path, 'store.json'), 'utf8')).toBe(generation);
      expect(await readdir(join(path, 'tmp'))).toEqual([]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('removes the temporary files of writers that died, and no live writer’s', async () => {
    const path = join(await tempDir(), 'state');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    const temp = join(path, 'tmp');
    const tenants = join(path, 'tenants');
    await mkdir(temp, { recursive: true });
    await mkdir(tenants, { recursive: true });
    const files: [string, string, number][] = [
      [temp, `.acme.json.${dead}.0123456789ab.tmp`, 120], // dead writer, 2 min: removed
      [temp, `.acme.json.${dead}.0123456789ac.tmp`, 5], // dead writer, 5 s: kept
      [temp, `.acme.json.${process.pid}.0123456789ad.tmp`, 120], // a live writer: kept
      [temp, `.acme.json.${process.pid}.0123456789ae.tmp`, 7_200], // 2 h: that pid was reused
      [tenants, `.beta.json.${dead}.0123456789af.tmp`, 120], // left by modreg before tmp/
    ];
    for (const [dir, name, age] of files) {
      await writeFile(join(dir, name), '{');
      const at = new Date(Date.now() - age * 1000);
      await utimes(join(dir, name), at, at);
    }
    const store = await createJsonFileStore({ path });
    try {
      await store.update('acme', counter());
      await store.list();
      await store.close();
      expect((await readdir(temp)).sort()).toEqual([files[1]?.[1], files[2]?.[1]].sort());
      expect(await readdir(tenants)).toEqual(['acme.json']);
    } finally {
      await store.close();
    }
  });
});
