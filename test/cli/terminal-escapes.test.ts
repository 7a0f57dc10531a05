import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';

/** A tree whose names, ranges, paths, flag keys and reasons carry terminal escapes. */
async function hostileTree(): Promise<string> {
  const root = await tempDir();
  const write = async (dir: string, config: unknown) => {
    await mkdir(join(root, 'modules', dir), { recursive: true });
    await writeFile(join(root, 'modules', dir, 'module.config.json'), JSON.stringify(config));
  };
  await write('users', { name: 'users', version: '1.8.0' });
  await write('billing', {
    name: 'billing',
    version: '2.0.0',
    dependencies: { [`${TITLE}${CLEAR}`]: `^1.0.0 \u009b31m`, users: '\u202e^1' },
    flags: { [`x${CLEAR}`]: { type: 'boolean' } },
  });
  await write(`dir${CLEAR}`, { name: `evil${TITLE}`, version: `1.0.0${CLEAR}` });
  await write('a', { name: 'a', version: '1.0.0', dependencies: [`b${TITLE}`] });
  await write('b', { name: `b${TITLE}`, version: '1.0.0', dependencies: ['a'] });
  return root;
}

/** What a terminal would act on, once chalk's own colour codes are taken out. */
function rawEscapes(text: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: chalk's colour codes
  const uncoloured = text.replace(/\u001b\[[0-9;]*m/g, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must never be printed
  return uncoloured.match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/g) ?? [];
}

describe('human output never prints a config’s escape sequences raw', () => {
  it.each([
    [['discover']],
    [['discover', '--force']],
    [['validate']],
    [['graph']],
    [['graph', '--format', 'dot']],
    [['graph', '--format', 'mermaid']],
    [['graph', 'billing']],
    [['graph', `nope${TITLE}`]],
  ])('modreg %j', async (args) => {
    const cwd = await hostileTree();
    const run = await runCli(args, { cwd, tty: true });
    expect(run.code).toBe(1);
    expect(rawEscapes(run.stdout + run.stderr)).toEqual([]);
  });

  it('shows escaped text rather than dropping it', async () => {
    const cwd = await hostileTree();
    const discover = await runCli(['discover', '--force'], { cwd });
    expect(discover.stdout).toContain('\\u001b]0;pwned\\u0007\\u001b[2J ^1.0.0 \\u009b31m');
    const validate = await runCli(['validate'], { cwd });
    expect(validate.stderr).toContain('modules/dir\\u001b[2J/module.config.json');
    expect(validate.stderr).toContain('cycle a → b\\u001b]0;pwned\\u0007 → a');
  });
});
