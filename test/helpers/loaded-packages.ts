import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './cli.js';

const run = promisify(execFile);

/**
 * The npm packages a fresh Node process has loaded after running `code` (an ES module body,
 * e.g. `await import('modreg/express')`) from the repository root: every module resolved
 * through the ES module loader (a resolve hook records it) and every CommonJS module in the
 * require cache, reduced to package names (`ioredis`, `@openfeature/server-sdk`).
 */
export async function loadedPackages(code: string): Promise<string[]> {
  const names = new Set<string>();
  for (const file of await loadedFiles(code)) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) names.add((match[1] as string).replace('\\', '/'));
  }
  return [...names].sort();
}

/** Every file (URL or path, decoded) a fresh Node process has loaded after running `code`. */
export async function loadedFiles(code: string): Promise<string[]> {
  const hooks = `
    export async function initialize({ port }) { globalThis.port = port; }
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      globalThis.port.postMessage(result.url);
      return result;
    }`;
  const script = `
    import { register, createRequire } from 'node:module';
    import { MessageChannel } from 'node:worker_threads';
    const { port1, port2 } = new MessageChannel();
    const urls = [];
    port1.on('message', (url) => urls.push(url));
    port1.unref();
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), {
      data: { port: port2 }, transferList: [port2],
    });
    ${code}
    await new Promise((resolve) => setTimeout(resolve, 50));
    const files = [...urls, ...Object.keys(createRequire(import.meta.url).cache)];
    console.log(JSON.stringify(files.map((file) => decodeURIComponent(file))));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}
