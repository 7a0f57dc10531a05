import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isModregError } from '../errors.js';
import { describeFileSystemError, errorCode } from './json-errors.js';
import { readGeneration } from './json-generation.js';
import type { JsonStoreLayout } from './json-layout.js';

/** What `modreg doctor` needs to know about a JSON store beyond its tenants. */
export interface JsonStoreInspection {
  /**
   * Whether the store directory exists. A store that does not is not an empty store: no
   * change was ever written there (a mistyped path, or one relative to another directory).
   */
  exists: boolean;
  /** The store's generation id (store.json); absent when none was written yet. */
  generation?: string;
  /**
   * Whether this process can write changes: the store directory and its subdirectories (or,
   * when it does not exist, the nearest directory above it) accept new files.
   */
  writable: boolean;
  /** What is wrong, one sentence each naming the path and the fix; empty when nothing is. */
  problems: string[];
}

/** Looks at a JSON store's directory without changing anything in it. */
export async function inspectJsonStore(layout: JsonStoreLayout): Promise<JsonStoreInspection> {
  const problems: string[] = [];
  const root = await stat(layout.root).catch(() => undefined);
  if (root === undefined) {
    const parent = await nearestExisting(dirname(layout.root));
    const writable = await writableProblem(parent);
    if (writable !== undefined) problems.push(writable);
    return { exists: false, writable: writable === undefined, problems };
  }
  let generation: string | undefined;
  try {
    generation = await readGeneration(layout.root);
  } catch (error) {
    problems.push(isModregError(error) ? error.message : String(error));
  }
  let writable = true;
  for (const dir of [layout.root, layout.tenants, layout.locks, layout.journal, layout.temp]) {
    const info = await stat(dir).catch(() => undefined);
    if (info === undefined) continue;
    if (!info.isDirectory()) {
      writable = false;
      problems.push(
        `${dir} is a file, not a directory: move it out of the store directory ${layout.root}, which holds only modreg's files.`,
      );
      continue;
    }
    const problem = await writableProblem(dir);
    if (problem !== undefined) {
      writable = false;
      problems.push(problem);
      break;
    }
  }
  return { exists: true, ...(generation === undefined ? {} : { generation }), writable, problems };
}

async function writableProblem(dir: string): Promise<string | undefined> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    return `Changes cannot be written in ${dir}: ${describeFileSystemError(error)}`;
  }
}

async function nearestExisting(dir: string): Promise<string> {
  for (let path = dir; ; path = dirname(path)) {
    const found = await stat(path).then(
      () => true,
      (error: unknown) => errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR',
    );
    if (found || dirname(path) === path) return path;
  }
}
