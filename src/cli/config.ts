import { dirname, relative, resolve } from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { ModregError } from '../errors.js';
import { isObject } from '../registry/normalize.js';
import { modregConfigSchemaPath, readSchema } from '../registry/schema.js';
import { createSchemaValidator } from '../registry/schema-validator.js';
import type { CommandContext } from './context.js';

/** The project settings after config file, environment and flags are combined. */
export interface ResolvedConfig {
  /** The directory paths are shown relative to (the working directory). */
  root: string;
  /** Absolute modules directory. */
  modules: string;
  /** Absolute registry file path. */
  registry: string;
  ignore: string[];
  jsonOnly: boolean;
  /** A redis:// URL, or the absolute directory of the JSON store. */
  store: string;
  /** Changes kept per tenant; undefined for the store's default. */
  historyLimit?: number;
  /** The config file used, relative to `root`, if any. */
  file?: string;
}

/** Settings given on the command line; each overrides the environment and the config file. */
export interface ConfigFlags {
  modules?: string;
  registry?: string;
  ignore?: string[];
  jsonOnly?: boolean;
  store?: string;
}

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

/**
 * Settings for a command: the config file (found by cosmiconfig from the working directory
 * up to the project's package.json, or `--config`), overridden by `MODREG_*` variables,
 * overridden by flags. Paths in the file are relative to the file.
 */
export async function resolveConfig(
  ctx: CommandContext,
  flags: ConfigFlags,
): Promise<ResolvedConfig> {
  const { cwd, env } = ctx.io;
  const found = await loadConfigFile(cwd, ctx.global.config ?? env.MODREG_CONFIG);
  const fileDir = found === undefined ? cwd : dirname(found.filepath);
  const fromFile = found?.config ?? {};
  const envIgnore = env.MODREG_IGNORE?.split(',')
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '');
  const modules = flags.modules ?? env.MODREG_MODULES;
  const registry = flags.registry ?? env.MODREG_REGISTRY;
  const store = flags.store ?? env.MODREG_STORE;
  return {
    root: cwd,
    modules:
      modules !== undefined
        ? resolve(cwd, modules)
        : resolve(fileDir, fromFile.modules ?? 'modules'),
    registry:
      registry !== undefined
        ? resolve(cwd, registry)
        : resolve(fileDir, fromFile.registry ?? '.modreg/registry.json'),
    ignore: flags.ignore ?? envIgnore ?? fromFile.ignore ?? [],
    jsonOnly:
      flags.jsonOnly ??
      parseBoolean('MODREG_JSON_ONLY', env.MODREG_JSON_ONLY) ??
      fromFile.jsonOnly ??
      false,
    store:
      store !== undefined
        ? storeLocation(cwd, store)
        : storeLocation(fileDir, fromFile.store ?? '.modreg/state'),
    ...(fromFile.historyLimit === undefined ? {} : { historyLimit: fromFile.historyLimit }),
    ...(found === undefined ? {} : { file: relative(cwd, found.filepath) || found.filepath }),
  };
}

interface ConfigFile {
  modules?: string;
  registry?: string;
  ignore?: string[];
  jsonOnly?: boolean;
  store?: string;
  historyLimit?: number;
}

/** A Redis URL as given; a JSON store directory resolved against `base`. */
function storeLocation(base: string, store: string): string {
  return /^rediss?:\/\//i.test(store) ? store : resolve(base, store);
}

async function loadConfigFile(
  cwd: string,
  explicit: string | undefined,
): Promise<{ config: ConfigFile; filepath: string } | undefined> {
  const explorer = cosmiconfig('modreg', {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'project',
    cache: false,
  });
  let result: Awaited<ReturnType<typeof explorer.search>>;
  try {
    result =
      explicit === undefined
        ? await explorer.search(cwd)
        : await explorer.load(resolve(cwd, explicit));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModregError(
      'usage',
      missing
        ? `Config file ${explicit} does not exist. Check the path given to --config or MODREG_CONFIG.`
        : `Cannot read the modreg config: ${(error as Error).message}. Fix the file's syntax.`,
      { cause: error },
    );
  }
  if (result === null || result.isEmpty === true) return undefined;
  const config: unknown = result.config;
  const issues = createSchemaValidator(readSchema(modregConfigSchemaPath)).validate(config);
  if (issues.length > 0 || !isObject(config)) {
    const where = relative(cwd, result.filepath) || result.filepath;
    const lines = issues.map((issue) => `  ${issue.pointer || '/'}: ${issue.message}`).join('\n');
    throw new ModregError(
      'usage',
      `The modreg config ${where} is invalid:\n${lines || '  it must be an object.'}`,
    );
  }
  return { config: config as ConfigFile, filepath: result.filepath };
}

function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ModregError('usage', `${name}=${value} is not a boolean; use 1/true or 0/false.`);
}
