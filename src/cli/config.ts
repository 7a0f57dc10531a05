import { dirname, relative, resolve } from 'node:path';
import { ModregError } from '../errors.js';
import { loadConfigFile, storeLocation } from '../project-config.js';
import { readRegistryFile } from '../registry/registry-file.js';
import type { CommandContext } from './context.js';

/** The project settings after config file, environment and flags are combined. */
export interface ResolvedConfig {
  /** The directory paths are shown relative to (the working directory). */
  root: string;
  /** Absolute modules directory. */
  modules: string;
  /**
   * Where `modules` came from: `--modules`, `MODREG_MODULES`, the config file, the registry
   * file (the directory discover scanned), or the default `modules`.
   */
  modulesFrom: 'flag' | 'env' | 'file' | 'registry' | 'default';
  /** Absolute registry file path. */
  registry: string;
  ignore: string[];
  jsonOnly: boolean;
  /** A redis:// URL, or the absolute directory of the JSON store. */
  store: string;
  /** True when `--store`, `MODREG_STORE` or the config file named the store. */
  storeGiven: boolean;
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

/**
 * Settings for a command: the config file (found by cosmiconfig from the working directory
 * up to the project's package.json, or `--config`), overridden by `MODREG_*` variables,
 * overridden by flags. Paths in the file are relative to the file. When none of them names
 * the modules directory, it is the one the registry file records (so that after `discover
 * --modules x` every command knows x), else `modules`.
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
  const registryGiven = flags.registry ?? env.MODREG_REGISTRY;
  const registry =
    registryGiven !== undefined
      ? resolve(cwd, registryGiven)
      : resolve(fileDir, fromFile.registry ?? '.modreg/registry.json');
  const store = flags.store ?? env.MODREG_STORE;
  return {
    root: cwd,
    ...(await modulesDirectory(flags, env, fromFile, { cwd, fileDir, registry })),
    registry,
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
    storeGiven: store !== undefined || fromFile.store !== undefined,
    ...(fromFile.historyLimit === undefined ? {} : { historyLimit: fromFile.historyLimit }),
    ...(found === undefined ? {} : { file: relative(cwd, found.filepath) || found.filepath }),
  };
}

/** The modules directory and where it came from (see {@link ResolvedConfig.modulesFrom}). */
async function modulesDirectory(
  flags: ConfigFlags,
  env: CommandContext['io']['env'],
  fromFile: { modules?: string },
  paths: { cwd: string; fileDir: string; registry: string },
): Promise<Pick<ResolvedConfig, 'modules' | 'modulesFrom'>> {
  if (flags.modules !== undefined) {
    return { modules: resolve(paths.cwd, flags.modules), modulesFrom: 'flag' };
  }
  if (env.MODREG_MODULES !== undefined && env.MODREG_MODULES !== '') {
    return { modules: resolve(paths.cwd, env.MODREG_MODULES), modulesFrom: 'env' };
  }
  if (fromFile.modules !== undefined) {
    return { modules: resolve(paths.fileDir, fromFile.modules), modulesFrom: 'file' };
  }
  // A missing or unreadable registry file only means there is nothing to take it from.
  const recorded = await readRegistryFile(paths.registry).catch(() => undefined);
  if (recorded !== undefined && typeof recorded.modulesDir === 'string') {
    const root = resolve(dirname(paths.registry), recorded.root ?? '.');
    return { modules: resolve(root, recorded.modulesDir), modulesFrom: 'registry' };
  }
  return { modules: resolve(paths.cwd, 'modules'), modulesFrom: 'default' };
}

function parseBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ModregError('usage', `${name}=${value} is not a boolean; use 1/true or 0/false.`);
}
