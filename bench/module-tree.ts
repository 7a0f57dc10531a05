import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRandom, pickDistinct, type Random, randomInt } from './random.js';

/**
 * Writes `count` valid modules under `modulesDir`, one directory each with a
 * module.config.json and its index.js entry. Each module depends on 0–5 earlier ones through
 * ranges their versions satisfy, so the tree validates clean and orders without a cycle.
 */
export async function writeModuleTree(modulesDir: string, count: number, seed: number) {
  const random = createRandom(seed);
  const modules: { name: string; version: string }[] = [];
  for (let i = 0; i < count; i++) {
    const area = pick(random, AREAS);
    modules.push({ name: `${area}-${String(i).padStart(4, '0')}`, version: randomVersion(random) });
  }
  const configs = modules.map((m, i) => moduleConfig(random, m, modules.slice(0, i), i));
  await mkdir(modulesDir, { recursive: true });
  for (let start = 0; start < count; start += WRITE_BATCH) {
    const batch = configs.slice(start, start + WRITE_BATCH);
    await Promise.all(
      batch.map(async (config) => {
        const dir = join(modulesDir, config.name);
        await mkdir(dir);
        await writeFile(join(dir, 'module.config.json'), `${JSON.stringify(config, null, 2)}\n`);
        await writeFile(join(dir, 'index.js'), ENTRY_SOURCE);
      }),
    );
  }
}

const WRITE_BATCH = 100;
const AREAS = ['billing', 'users', 'auth', 'crm', 'reports', 'files', 'search', 'audit', 'notify'];
const MODELS = ['Invoice', 'Customer', 'Payment', 'Report', 'Session', 'Document', 'Event'];
const ENTRY_SOURCE = 'export async function setup() {}\nexport async function teardown() {}\n';

function moduleConfig(
  random: Random,
  module: { name: string; version: string },
  earlier: readonly { name: string; version: string }[],
  index: number,
) {
  const dependencies: Record<string, string> = {};
  for (const d of pickDistinct(random, earlier.length, randomInt(random, 6))) {
    const dep = earlier[d] as { name: string; version: string };
    dependencies[dep.name] = satisfiedRange(random, dep.version);
  }
  const flags: Record<string, { type: string; default: unknown; description: string }> = {};
  for (let f = randomInt(random, 3); f > 0; f--) {
    const type = pick(random, ['boolean', 'string', 'number'] as const);
    const value = type === 'boolean' ? false : type === 'string' ? 'standard' : 10 * f;
    flags[`${module.name}.option-${f}`] = { type, default: value, description: `Option ${f}.` };
  }
  return {
    name: module.name,
    version: module.version,
    description: `The ${module.name.split('-')[0]} features of tenant workspace ${index}.`,
    entry: 'index.js',
    dependencies,
    routes: { prefix: `/${module.name}`, paths: ['GET /', 'GET /:id', 'POST /', 'DELETE /:id'] },
    models: pickDistinct(random, MODELS.length, randomInt(random, 3)).map((m) => MODELS[m]),
    flags,
  };
}

/** A range `version` satisfies, in one of the forms people write. */
function satisfiedRange(random: Random, version: string): string {
  const [major, minor] = version.split('.');
  switch (randomInt(random, 5)) {
    case 0:
      return `^${version}`;
    case 1:
      return `~${major}.${minor}.0`;
    case 2:
      return `>=${major}.0.0 <${Number(major) + 1}.0.0`;
    case 3:
      return `^${major}.${minor}`;
    default:
      return '*';
  }
}

function randomVersion(random: Random): string {
  return `${1 + randomInt(random, 4)}.${randomInt(random, 12)}.${randomInt(random, 20)}`;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[randomInt(random, items.length)] as T;
}
