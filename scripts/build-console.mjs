// Copies the web console's files (console/) into dist/console/, where the admin handler
// serves them at `/`. Run by `npm run build`, after tsc.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../console/', import.meta.url));
const target = fileURLToPath(new URL('../dist/console/', import.meta.url));

rmSync(target, { recursive: true, force: true });
if (existsSync(source)) cpSync(source, target, { recursive: true });
