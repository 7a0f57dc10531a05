import { dirname, resolve } from 'node:path';
import { ModregError } from '../../errors.js';
import { checkedConfig, loadConfigFile, storeLocation } from '../../project-config.js';
import { openStore } from '../../stores/open-store.js';
import type { Store } from '../../stores/types.js';
import type { ModregOptions } from '../options.js';

/** The options with what a config file gives filled in (explicit options win). */
export async function withConfig(options: ModregOptions, root: string): Promise<ModregOptions> {
  if (options.config === undefined) return options;
  const found =
    typeof options.config === 'object'
      ? {
          // Checked as a file is: a wrong type here would otherwise surface later as a TypeError.
          config: checkedConfig(options.config, '(options.config)'),
          filepath: resolve(root, 'modreg.config.json'),
        }
      : await loadConfigFile(root, options.config === true ? undefined : options.config);
  if (found === undefined) return options;
  const dir = dirname(found.filepath);
  const { config } = found;
  return {
    ...options,
    registry: options.registry ?? resolve(dir, config.registry ?? '.modreg/registry.json'),
    store: options.store ?? storeLocation(dir, config.store ?? '.modreg/state'),
    ...(options.historyLimit === undefined && config.historyLimit !== undefined
      ? { historyLimit: config.historyLimit }
      : {}),
  };
}

/** The store the options name, and whether this instance opened it (and so closes it). */
export async function resolveStore(
  options: ModregOptions,
  root: string,
): Promise<{ store: Store; owned: boolean }> {
  const given = options.store ?? '.modreg/state';
  const limit = options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit };
  if (typeof given === 'string') {
    return { store: await openStore(storeLocation(root, given), limit), owned: true };
  }
  if (typeof given !== 'object' || given === null) {
    throw new ModregError(
      'usage',
      'options.store must be a path, a redis:// URL, { redis: client } or a Store.',
    );
  }
  if ('redis' in given) {
    const client = given.redis as { duplicate?: unknown; options?: unknown } | null;
    if (typeof client !== 'object' || client === null || typeof client.duplicate !== 'function') {
      throw new ModregError(
        'usage',
        'options.store.redis must be an ioredis client (new Redis(…) or new Cluster(…)).',
      );
    }
    const { createRedisStore } = await import('../../stores/redis.js');
    const prefix = given.prefix === undefined ? {} : { prefix: given.prefix };
    return {
      store: await createRedisStore({ client: given.redis as never, ...prefix, ...limit }),
      owned: true,
    };
  }
  if (typeof given.update !== 'function' || typeof given.read !== 'function') {
    throw new ModregError(
      'usage',
      'options.store must be a path, a redis:// URL, { redis: client } or a Store.',
    );
  }
  return { store: given, owned: false };
}
