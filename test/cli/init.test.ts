import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createExpressMiddleware, tenantFromHeader } from '../../src/express.js';
import { createModreg } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('modreg init', () => {
  it('writes a config and an example module that discover accepts', async () => {
    const cwd = await tempDir();
    const run = await runCli(['init'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      'created modreg.config.json\ncreated modules/hello/module.config.json\ncreated modules/hello/index.js\n',
    );
    const discover = await runCli(['discover', '--json'], { cwd });
    expect(discover.code).toBe(0);
    expect(JSON.parse(discover.stdout).modules.map((m: { name: string }) => m.name)).toEqual([
      'hello',
    ]);
    const entry = await import(join(cwd, 'modules/hello/index.js'));
    expect(typeof entry.setup).toBe('function');
  });

  it('honours --modules', async () => {
    const cwd = await tempDir();
    expect((await runCli(['init', '--modules', 'src/modules'], { cwd })).code).toBe(0);
    expect(JSON.parse(await readFile(join(cwd, 'modreg.config.json'), 'utf8')).modules).toBe(
      'src/modules',
    );
    expect((await runCli(['validate'], { cwd })).code).toBe(0);
  });

  it('refuses to overwrite anything, and writes nothing then', async () => {
    const cwd = await tempDir();
    await runCli(['init'], { cwd });
    await writeFile(join(cwd, 'modules/hello/index.js'), '// mine\n');
    const again = await runCli(['init'], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'Not initialising: modreg.config.json, modules/hello/module.config.json, modules/hello/index.js already exist,',
    );
    expect(await readFile(join(cwd, 'modules/hello/index.js'), 'utf8')).toBe('// mine\n');
  });

  it('refuses when package.json already configures modreg', async () => {
    const cwd = await tempDir();
    await writeFile(
      join(cwd, 'package.json'),
      JSON.stringify({ name: 'app', modreg: { modules: 'x' } }),
    );
    const run = await runCli(['init', '--json'], { cwd });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.message).toContain('package.json#modreg');
    await expect(readFile(join(cwd, 'modreg.config.json'))).rejects.toThrow();
  });
});

describe('the starter module', () => {
  it("greets with the tenant's flag through the Express adapter", async () => {
    const cwd = await tempDir();
    expect((await runCli(['init'], { cwd })).code).toBe(0);
    expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
    expect((await runCli(['enable', 'acme', 'hello'], { cwd })).code).toBe(0);
    expect((await runCli(['enable', 'globex', 'hello'], { cwd })).code).toBe(0);
    expect((await runCli(['flags', 'set', 'acme', 'hello.greeting=Howdy'], { cwd })).code).toBe(0);
    const modreg = createModreg({ root: cwd, logger: false });
    onTestFinished(() => modreg.close());
    await modreg.ready();
    const app = express();
    app.use(createExpressMiddleware(modreg, { resolveTenant: tenantFromHeader('x-tenant-id') }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hello/`;
    const greet = async (tenant: string) =>
      (await fetch(url, { headers: { 'x-tenant-id': tenant } })).json();
    expect(await greet('acme')).toEqual({ message: 'Howdy from tenant acme' });
    expect(await greet('globex')).toEqual({ message: 'Hello from tenant globex' });
  });
});
