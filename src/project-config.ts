import { relative, resolve } from 'node:path';
import { ModregError } from './errors.js';
import { searchJsonConfig } from './json-config-search.js';
import { createModregConfigValidator } from './registry/modreg-config-validator.js';
import { isObject } from './registry/normalize.js';
import { looksLikeUrl } from './stores/store-url.js';

/** Config files searched, in order; TypeScript configs are left out on purpose. */
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  '.modregrc',
  '.modregrc.json',
  '.modregrc.yaml',
  '.modregrc.yml',
  '.modregrc.js',
  '.modregrc.mjs',
  '.modregrc.cjs',
  'modreg.config.json',
  'modreg.config.js',
  'modreg.config.mjs',
  'modreg.config.cjs',
];

/** The settings a modreg config file holds (schemas/modreg.config.schema.json). */
export interface ConfigFile {
  modules?: string;
  registry?: string;
  ignore?: string[];
  jsonOnly?: boolean;
  store?: string;
  historyLimit?: number;
}

/**
 * A URL as given (checked when the store is opened: a mistyped one must never become a
 * directory); a JSON store directory resolved against `base`.
 */
export function storeLocation(base: string, store: string): string {
  return looksLikeUrl(store) ? store : resolve(base, store);
}

/**
 * The modreg config: the file `explicit` names (relative to `cwd`), or the first found by
 * cosmiconfig from `cwd` up to the project's package.json; undefined when there is none.
 * A file that does not parse or does not match the schema is a usage error.
 */
export async function loadConfigFile(
  cwd: string,
  explicit: string | undefined,
): Promise<{ config: ConfigFile; filepath: string } | undefined> {
  const json = await searchJsonConfig(cwd, explicit, CONFIG_SEARCH_PLACES);
  const result = json === undefined ? await searchWithCosmiconfig(cwd, explicit) : json.found;
  if (result === undefined) return undefined;
  const where = relative(cwd, result.filepath) || result.filepath;
  return { config: checkedConfig(result.config, where), filepath: result.filepath };
}

/**
 * `config` as a {@link ConfigFile}, checked against schemas/modreg.config.schema.json; one
 * that does not match is a usage error naming `where` it came from (a file, or
 * `(options.config)`) and every problem at its JSON pointer.
 */
export function checkedConfig(config: unknown, where: string): ConfigFile {
  const issues = createModregConfigValidator().validate(config);
  if (issues.length > 0 || !isObject(config)) {
    const lines = issues.map((issue) => `  ${issue.pointer || '/'}: ${issue.message}`).join('\n');
    throw new ModregError(
      'usage',
      `The modreg config ${where} is invalid:\n${lines || '  it must be an object.'}`,
    );
  }
  return config as ConfigFile;
}

/** The config as cosmiconfig finds it: YAML, JavaScript, and every error's wording. */
async function searchWithCosmiconfig(
  cwd: string,
  explicit: string | undefined,
): Promise<{ config: unknown; filepath: string } | undefined> {
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig('modreg', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'project',
    cache: false,
  });
  try {
    const result =
      explicit === undefined
        ? await explorer.search(cwd)
        : await explorer.load(resolve(cwd, explicit));
    return result === null || result.isEmpty === true ? undefined : result;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModregError(
      'usage',
      missing
        ? `Config file ${explicit} does not exist. Check the path given (--config, MODREG_CONFIG or the config option).`
        : `Cannot read the modreg config: ${(error as Error).message}. Fix the file's syntax.`,
      { cause: error },
    );
  }
}
