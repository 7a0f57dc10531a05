import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot, runCli } from '../helpers/cli.js';
import { loadedFiles } from '../helpers/loaded-packages.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The files the built CLI loads to run `args` in `cwd`, in a fresh process. */
async function filesLoadedBy(args: readonly string[], cwd: string): Promise<string[]> {
  const main = pathToFileURL(join(repoRoot, 'dist', 'cli', 'main.js')).href;
  return loadedFiles(
    `process.chdir(${JSON.stringify(cwd)});
    const { main } = await import(${JSON.stringify(main)});
    if (await main(${JSON.stringify(args)}) !== 0) throw new Error('the command failed');`,
  );
}

function packagesOf(files: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) names.add(match[1] as string);
  }
  return [...names].sort();
}

describe('what the everyday tenant commands load', () => {
  it.each([[['status', 'acme']], [['enable', 'acme', 'crm', '--dry-run']]])(
    'modreg %j on a JSON store with a JSON config: no compiler, no cosmiconfig, no lock',
    async (args) => {
      const cwd = await copyFixture(join(fixturesDir, 'saas'));
      await writeFile(join(cwd, 'modreg.config.json'), '{ "modules": "modules" }\n');
      expect((await runCli(['discover'], { cwd })).code).toBe(0);
      expect((await runCli(['enable', 'acme', 'billing', '--with-deps'], { cwd })).code).toBe(0);
      const files = await filesLoadedBy(args, cwd);
      expect(packagesOf(files)).toEqual(['ajv', 'chalk', 'commander']);
      // Of ajv, only a run-time helper the compiled schemas call, never its compiler.
      const ajv = files.filter((file) => file.includes('node_modules/ajv/'));
      expect(ajv.every((file) => file.includes('ajv/dist/runtime/'))).toBe(true);
    },
  );
});
