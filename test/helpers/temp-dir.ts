import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh directory removed when the current test finishes. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modreg-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of a fixture tree in a fresh directory (tests never write into fixtures/). */
export async function copyFixture(source: string): Promise<string> {
  const dir = await tempDir();
  await cp(source, join(dir, 'modules'), { recursive: true });
  return dir;
}
