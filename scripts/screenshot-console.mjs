// Takes the README's screenshot of the console's tenant page, docs/console-tenant.png, at
// 1280×800: a temp copy of the example project (fixtures/saas) with one tenant written
// through the CLI, `modreg serve` on a free port, Debian's Chromium driven by playwright-core.
// Run after `npm run build`: node scripts/screenshot-console.mjs [output.png]
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'modreg.js');
const output = resolve(process.argv[2] ?? join(root, 'docs', 'console-tenant.png'));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const token = 'screenshot-token-0123456789';

const cwd = await mkdtemp(join(tmpdir(), 'modreg-screenshot-'));
const profile = await mkdtemp(join(tmpdir(), 'modreg-screenshot-profile-'));
let serve;
let context;
try {
  await cp(join(root, 'fixtures', 'saas'), join(cwd, 'modules'), { recursive: true });
  cli(['discover']);
  cli(['enable', 'acme', 'invoicing', 'reports', '--with-deps', '--actor', 'alice']);
  cli(['flags', 'set', 'acme', 'billing.new-checkout=true', 'users.max-seats=40']);
  cli(['enable', 'acme', 'search', '--actor', 'bob']);
  serve = spawn(process.execPath, [bin, 'serve', '--port', '0', '--json'], {
    cwd,
    env: { PATH: process.env.PATH, MODREG_ADMIN_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await listeningUrl(serve);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.getByLabel('Access token').fill(token);
  await page.getByLabel('Access token').press('Enter');
  await page.getByRole('link', { name: 'acme', exact: true }).click();
  await page.getByRole('switch', { name: 'invoicing', exact: true }).waitFor();
  await page.getByRole('img', { name: /^Dependency graph/ }).waitFor();
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await context?.close();
  serve?.kill('SIGTERM');
  await rm(cwd, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
}

/** Runs the built CLI in the temp project; a failure stops the script with its output. */
function cli(args) {
  execFileSync(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** The URL `modreg serve --json` prints (`{ "url" }`, maybe over several lines) once it listens. */
function listeningUrl(child) {
  return new Promise((done, fail) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      try {
        done(JSON.parse(stdout).url);
      } catch {
        // not all of it yet
      }
    });
    child.once('exit', (code) => fail(new Error(`modreg serve exited ${code} before listening`)));
  });
}
