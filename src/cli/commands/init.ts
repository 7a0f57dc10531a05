import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { ModregError } from '../../errors.js';
import { CONFIG_SEARCH_PLACES } from '../../project-config.js';
import { type CommandContext, ExitCode } from '../context.js';
import { createOutput } from '../render.js';

/** `modreg init`: a config file and one example module; never overwrites anything. */
export default async function init(
  ctx: CommandContext,
  _args: string[],
  flags: { modules: string },
): Promise<number> {
  const out = createOutput(ctx);
  const { cwd } = ctx.io;
  const modulesDir = resolve(cwd, flags.modules);
  const files = starterFiles(cwd, modulesDir);
  // A set: modreg.config.json is both a config file modreg reads and one init writes.
  const existing = new Set(await existingConfig(cwd));
  for (const file of files) if (await exists(file.path)) existing.add(relative(cwd, file.path));
  if (existing.size > 0) {
    const one = existing.size === 1;
    throw new ModregError(
      'refused',
      `Not initialising: ${[...existing].join(', ')} already exist${one ? 's' : ''}, and init never overwrites. Remove ${one ? 'it' : 'them'} first, or edit ${one ? 'it' : 'them'} by hand.`,
    );
  }
  const written: string[] = [];
  try {
    for (const file of files) {
      await mkdir(dirname(file.path), { recursive: true });
      await writeFile(file.path, file.content, { flag: 'wx' });
      written.push(file.path);
    }
  } catch (error) {
    // All or nothing: take back what this run wrote (the other file appeared meanwhile).
    await Promise.all(written.map((path) => rm(path, { force: true })));
    throw new ModregError(
      'environment',
      `Cannot write the starter files: ${(error as Error).message}. Nothing was written.`,
      { cause: error },
    );
  }
  const created = written.map((path) => relative(cwd, path));
  if (ctx.global.json) out.json({ created });
  else {
    for (const file of created) out.result(`created ${file}`);
    out.note(
      `\nNext: add modules under ${relative(cwd, modulesDir) || '.'}/, then run "modreg discover".`,
    );
  }
  return ExitCode.ok;
}

interface StarterFile {
  path: string;
  content: string;
}

function starterFiles(cwd: string, modulesDir: string): StarterFile[] {
  const schemas = join(cwd, 'node_modules', 'modreg', 'schemas');
  const hello = join(modulesDir, 'hello');
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return [
    {
      path: join(cwd, 'modreg.config.json'),
      content: json({
        $schema: `./${relative(cwd, join(schemas, 'modreg.config.schema.json'))}`,
        modules: relative(cwd, modulesDir) || '.',
        registry: '.modreg/registry.json',
      }),
    },
    {
      path: join(hello, 'module.config.json'),
      content: json({
        $schema: relative(hello, join(schemas, 'module.config.schema.json')),
        name: 'hello',
        version: '0.1.0',
        description: 'An example module: one route and one flag.',
        entry: 'index.js',
        dependencies: {},
        routes: { prefix: '/hello', paths: ['GET /'] },
        flags: {
          'hello.greeting': {
            type: 'string',
            default: 'Hello',
            description: 'How the module greets.',
          },
        },
      }),
    },
    {
      path: join(hello, 'index.js'),
      content: `/** Runs once per process: register the module's routes. */
export function setup({ router }) {
  // req.tenant: the tenant the request is for, with its flags (declared defaults included).
  router.get('/', (req, res) => {
    res.json({ message: \`\${req.tenant.flags['hello.greeting']} from tenant \${req.tenant.id}\` });
  });
}

/** Runs when the module is enabled for a tenant. */
export async function activate({ tenant, flags }) {}

/** Runs when the module is disabled for a tenant. */
export async function deactivate({ tenant }) {}
`,
    },
  ];
}

/** Config files modreg would already read in `cwd`. */
async function existingConfig(cwd: string): Promise<string[]> {
  const found: string[] = [];
  for (const place of CONFIG_SEARCH_PLACES) {
    const path = join(cwd, place);
    if (place === 'package.json') {
      const manifest = await readFile(path, 'utf8').then(JSON.parse, () => undefined);
      if (typeof manifest === 'object' && manifest !== null && Object.hasOwn(manifest, 'modreg')) {
        found.push('package.json#modreg');
      }
    } else if (await exists(path)) {
      found.push(place);
    }
  }
  return found;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
