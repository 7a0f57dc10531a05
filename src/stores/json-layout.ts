import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModregError } from '../errors.js';
import { errorCode, fileSystemError } from './json-errors.js';
import { ensureGeneration } from './json-generation.js';

/** Where everything of one JSON store lives, under its directory. */
export interface JsonStoreLayout {
  root: string;
  /** One file per tenant. */
  tenants: string;
  /** One lock directory per tenant being written. */
  locks: string;
  /** The change journal's segments. */
  journal: string;
  /** Temporary files of writes in progress (same file system as `tenants`). */
  temp: string;
}

/** The layout of the store in `root` (an absolute path). */
export function layoutOf(root: string): JsonStoreLayout {
  return {
    root,
    tenants: join(root, 'tenants'),
    locks: join(root, 'locks'),
    journal: join(root, 'journal'),
    temp: join(root, 'tmp'),
  };
}

/**
 * Makes the store's directories and its generation file, for a write. Each failure is an
 * `environment` error saying what happened and the fix ("tenants is a file", "the disk is
 * full"); nothing is remembered, so the next write tries again once the cause is fixed.
 */
export async function ensureLayout(layout: JsonStoreLayout): Promise<void> {
  await makeDirectory(layout.root, layout.root);
  await makeDirectory(layout.temp, layout.root);
  // Before any tenant file: a store holding tenants always has a generation.
  await ensureGeneration(layout.root, layout.temp);
  for (const dir of [layout.tenants, layout.locks, layout.journal]) {
    await makeDirectory(dir, layout.root);
  }
}

async function makeDirectory(dir: string, root: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      const blocker = await fileInTheWay(dir);
      if (blocker !== undefined) {
        throw new ModregError(
          'environment',
          `Cannot create the store directory ${dir}: ${blocker} is a file, not a directory. ${
            blocker.startsWith(root) && blocker !== root
              ? `Move it out of the store directory ${root}, which holds only modreg's files.`
              : 'Move it away, or point the store (--store or MODREG_STORE) at another directory.'
          }`,
          { cause: error },
        );
      }
    }
    throw fileSystemError(`Cannot create the store directory ${dir}`, error);
  }
}

/** The first path on the way to `dir` that exists and is not a directory (links followed). */
async function fileInTheWay(dir: string): Promise<string | undefined> {
  const chain: string[] = [];
  for (let path = dir; dirname(path) !== path; path = dirname(path)) chain.unshift(path);
  for (const path of chain) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) return undefined;
    if (!info.isDirectory()) return path;
  }
  return undefined;
}
