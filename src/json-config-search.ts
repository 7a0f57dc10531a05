import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isObject } from './registry/normalize.js';

/** A config found as cosmiconfig would find it, read with plain fs. */
export interface FoundJsonConfig {
  /** The config, or undefined when there is none (or the file named is empty). */
  found: { config: unknown; filepath: string } | undefined;
}

/**
 * Finds and reads the modreg config as cosmiconfig does (same places, same order, the same
 * `project` walk up to the directory holding package.json, empty files skipped) as long as
 * what it meets is JSON: `package.json#modreg` and `*.json` files. Loading cosmiconfig costs a
 * command several milliseconds and a dozen files, for what is nearly always one JSON file.
 * Returns undefined wherever cosmiconfig must answer instead: a YAML or JavaScript config, a
 * file that does not parse (for cosmiconfig's error message), `$import`, a meta config
 * (`.config/`, `package.json#cosmiconfig`), an unreadable directory.
 */
export async function searchJsonConfig(
  cwd: string,
  explicit: string | undefined,
  places: readonly string[],
): Promise<FoundJsonConfig | undefined> {
  if (explicit !== undefined) return readExplicit(resolve(cwd, explicit));
  if (await mayHaveMetaConfig(cwd)) return undefined;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const names = await readdir(dir).catch(() => undefined);
    if (names === undefined) return undefined;
    const present = new Set(names);
    for (const place of places) {
      if (!present.has(place)) continue;
      const read = await readPlace(join(dir, place));
      if (read === 'cosmiconfig') return undefined;
      if (read !== 'skip') return { found: read };
    }
    if (present.has('package.json') || present.has('package.yaml') || dirname(dir) === dir) {
      return { found: undefined };
    }
  }
}

/** The file `--config` names: JSON read here, anything else left to cosmiconfig. */
async function readExplicit(filepath: string): Promise<FoundJsonConfig | undefined> {
  if (extname(filepath) !== '.json') return undefined;
  const text = await readFile(filepath, 'utf8').catch(() => undefined);
  // A missing file is cosmiconfig's to report, in the words the CLI documents.
  if (text === undefined) return undefined;
  if (text.trim() === '') return { found: undefined };
  const config = parsed(filepath, text);
  if (config === 'cosmiconfig') return undefined;
  return { found: config === undefined || config === null ? undefined : { config, filepath } };
}

/** One search place: its config, `skip` (absent, empty, no `modreg` key) or `cosmiconfig`. */
async function readPlace(
  filepath: string,
): Promise<{ config: unknown; filepath: string } | 'skip' | 'cosmiconfig'> {
  if (extname(filepath) !== '.json') return 'cosmiconfig';
  let text: string;
  try {
    text = await readFile(filepath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The errors cosmiconfig's search steps over.
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EACCES') {
      return 'skip';
    }
    return 'cosmiconfig';
  }
  if (text.trim() === '') return 'skip';
  const config = parsed(filepath, text);
  if (config === 'cosmiconfig') return config;
  return config === undefined || config === null ? 'skip' : { config, filepath };
}

/** The config a JSON file holds (package.json: its `modreg` key); undefined when it has none. */
function parsed(filepath: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'cosmiconfig';
  }
  if (basename(filepath) === 'package.json') {
    return isObject(value) ? value.modreg : undefined;
  }
  return isObject(value) && '$import' in value ? 'cosmiconfig' : value;
}

/** cosmiconfig reads a meta config from these; with one, it may search other places. */
async function mayHaveMetaConfig(cwd: string): Promise<boolean> {
  const names = await readdir(cwd).catch(() => undefined);
  if (names === undefined) return true;
  if (names.includes('.config') || names.includes('package.yaml')) return true;
  if (!names.includes('package.json')) return false;
  const text = await readFile(join(cwd, 'package.json'), 'utf8').catch(() => '');
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) && 'cosmiconfig' in value;
  } catch {
    return true;
  }
}
