import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { describe, expect, it } from 'vitest';
import { searchJsonConfig } from '../src/json-config-search.js';
import { CONFIG_SEARCH_PLACES } from '../src/project-config.js';
import { tempDir } from './helpers/temp-dir.js';

/** Writes `files` (path → content) under a fresh directory; the search starts in `a/b`. */
async function layout(files: Record<string, string>): Promise<string> {
  const root = await tempDir();
  await mkdir(join(root, 'a', 'b'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  // The walk stops at the first directory holding a package.json: the temp directory's own.
  await writeFile(join(root, 'package.json'), '{}');
  return root;
}

async function byCosmiconfig(cwd: string, explicit?: string) {
  const explorer = cosmiconfig('modreg', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'project',
    cache: false,
  });
  const result =
    explicit === undefined ? await explorer.search(cwd) : await explorer.load(explicit);
  return result === null || result.isEmpty === true
    ? undefined
    : { config: result.config as unknown, filepath: result.filepath };
}

const modules = (dir: string) => JSON.stringify({ modules: dir });

describe('searchJsonConfig finds what cosmiconfig finds', () => {
  it.each<[string, Record<string, string>]>([
    ['nothing', {}],
    ['package.json#modreg two levels up', { 'a/package.json': `{"modreg":${modules('p')}}` }],
    [
      'a package.json without modreg, then a file beside it',
      { 'a/package.json': '{"name":"x"}', 'a/modreg.config.json': modules('f') },
    ],
    [
      'a package.json without modreg ends the walk',
      { 'a/b/package.json': '{"name":"x"}', 'a/modreg.config.json': modules('f') },
    ],
    [
      'an empty file is skipped for the next place',
      { 'a/b/.modregrc.json': ' \n', 'a/b/modreg.config.json': modules('n') },
    ],
    [
      'a file of null is skipped',
      { 'a/b/.modregrc.json': 'null', 'a/modreg.config.json': modules('u') },
    ],
    [
      'the first place wins',
      { 'a/b/.modregrc.json': modules('1'), 'a/b/modreg.config.json': modules('2') },
    ],
    ['a config that is not an object is found as it is', { 'a/modreg.config.json': '[1]' }],
  ])('%s', async (_name, files) => {
    const root = await layout(files);
    const cwd = join(root, 'a', 'b');
    const fast = await searchJsonConfig(cwd, undefined, CONFIG_SEARCH_PLACES);
    expect(fast).toBeDefined();
    expect(fast?.found).toEqual(await byCosmiconfig(cwd));
  });

  it.each<[string, Record<string, string>]>([
    ['a YAML .modregrc', { 'a/.modregrc': 'modules: y\n' }],
    ['a JavaScript config', { 'a/b/modreg.config.mjs': 'export default {};' }],
    ['a JSON file that does not parse', { 'a/modreg.config.json': '{ modules: x' }],
    ['$import', { 'a/modreg.config.json': '{"$import":"other.json"}' }],
    ['a meta config', { 'a/b/.config/config.json': '{}' }],
  ])('leaves %s to cosmiconfig', async (_name, files) => {
    const root = await layout(files);
    expect(await searchJsonConfig(join(root, 'a', 'b'), undefined, CONFIG_SEARCH_PLACES)).toBe(
      undefined,
    );
  });

  it('reads a JSON file given as --config, and leaves a missing one to cosmiconfig', async () => {
    const root = await layout({ 'conf/modreg.json': modules('c'), 'conf/empty.json': '' });
    const cwd = join(root, 'a', 'b');
    const given = await searchJsonConfig(cwd, '../../conf/modreg.json', CONFIG_SEARCH_PLACES);
    expect(given?.found).toEqual(await byCosmiconfig(cwd, join(root, 'conf/modreg.json')));
    const empty = await searchJsonConfig(cwd, '../../conf/empty.json', CONFIG_SEARCH_PLACES);
    expect(empty).toEqual({ found: undefined });
    expect(await searchJsonConfig(cwd, 'missing.json', CONFIG_SEARCH_PLACES)).toBe(undefined);
  });
});
