// Builds the web console into dist/console/, where the admin handler serves it at `/`: the
// static files of console/ (HTML, CSS) are copied, and console/src/*.ts is compiled for the
// browser with its own tsconfig (lib dom). Run by `npm run build`, after tsc.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../console/', import.meta.url));
const target = fileURLToPath(new URL('../dist/console/', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

/** Sources and build settings stay out of the package: the browser gets only what it runs. */
const NOT_SHIPPED = new Set(['src', 'tsconfig.json']);

rmSync(target, { recursive: true, force: true });
if (existsSync(source)) {
  cpSync(source, target, {
    recursive: true,
    filter: (path) => path === source || !NOT_SHIPPED.has(basename(path)),
  });
  execFileSync(process.execPath, [tsc, '-p', join(source, 'tsconfig.json')], {
    stdio: 'inherit',
  });
}
