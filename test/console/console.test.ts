import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium } from './helpers/chromium.js';
import { type ConsoleServer, startConsoleServer } from './helpers/console-server.js';

interface Status {
  modules: string[];
  flags: Record<string, unknown>;
  revision: number;
}

// One server and one page for the file: the tests run in order, each going on from the
// state the one before left (acme starts with users and billing).
describeWithChromium('web console', (browser) => {
  let server: ConsoleServer;
  let page: Page;
  /** What the page broke: CSP violations and uncaught errors, over every test of the file. */
  const pageProblems: string[] = [];
  const status = async (tenant: string) => (await server.cli(['status', tenant])) as Status;
  const moduleSwitch = (name: string) => page.getByRole('switch', { name, exact: true });

  beforeAll(async () => {
    server = await startConsoleServer([
      ['enable', 'acme', 'billing', '--with-deps'],
      ['enable', 'globex', 'crm', '--with-deps'],
      ['enable', 'constructor', 'search', '--with-deps'],
    ]);
    page = await browser().newPage();
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) pageProblems.push(message.text());
    });
    page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
    page.setDefaultTimeout(8000);
  });
  afterAll(async () => {
    await page?.close();
    await server?.stop();
  });

  it('asks for the access token; a refused one returns to the form with a message; the token stays out of the URL', async () => {
    await page.goto(server.url);
    await page.getByLabel('Access token').fill('not-the-token-0123456789');
    await page.getByLabel('Access token').press('Enter');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('The access token was refused');
    await expect.poll(() => page.getByLabel('Access token').getAttribute('type')).toBe('password');
    await page.getByLabel('Access token').fill(server.token);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.getByRole('link', { name: 'acme', exact: true }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('modreg-admin-token')")).toBe(server.token);
    expect(page.url()).not.toContain(server.token);
  });

  it('lists tenants with their revision, searches them, and links each by its encoded id', async () => {
    const link = page.getByRole('link', { name: 'constructor', exact: true });
    expect(await link.getAttribute('href')).toBe('#/tenants/constructor');
    const acme = page.getByRole('row', { name: /^acme\b/ });
    expect(await acme.getByRole('cell').first().textContent()).toBe('1');
    await page.getByLabel('Search tenants').fill('glo');
    await expect.poll(() => page.getByRole('link', { name: 'acme', exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: 'globex', exact: true }).waitFor();
    await page.getByLabel('Search tenants').fill('');
  });

  it('shows each module with a switch and why; flipping one plans it, shows the plan, and Apply writes it', async () => {
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await expect.poll(() => moduleSwitch('billing').getAttribute('aria-checked')).toBe('true');
    const users = moduleSwitch('users');
    expect(await users.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => accessibleDescription(page, 'users')).toBe('required by billing');
    expect(await accessibleDescription(page, 'admin')).toBe('needs audit-log');
    expect(await accessibleDescription(page, 'billing')).toBe('switched on for this tenant');
    expect(await accessibleDescription(page, 'files')).toBe('off for this tenant');
    expect(await moduleSwitch('core').isDisabled()).toBe(true);

    await moduleSwitch('crm').click();
    const dialog = page.getByRole('dialog', { name: 'Enable crm for acme' });
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual(['+ crm requested']);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => moduleSwitch('crm').getAttribute('aria-checked')).toBe('true');
    expect((await status('acme')).modules).toContain('crm');
  });

  it('a refused enable offers withDeps, which plans the dependencies with their reasons', async () => {
    await moduleSwitch('admin').click();
    const dialog = page.getByRole('dialog', { name: 'Enable admin for acme' });
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('Refused');
    expect(await dialog.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: /withDeps/ }).click();
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual([
      '+ audit-log required by admin',
      '+ admin requested',
    ]);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await status('acme')).modules).toEqual(expect.arrayContaining(['admin', 'audit-log']));
  });

  it('a refused disable shows its dependency paths and offers cascade; Escape cancels and writes nothing', async () => {
    const before = await status('acme');
    await moduleSwitch('users').click();
    const dialog = page.getByRole('dialog', { name: 'Disable users for acme' });
    const paths = dialog.getByRole('list', { name: 'Dependency paths' });
    await paths.waitFor();
    expect(await paths.getByRole('listitem').allTextContents()).toEqual(
      expect.arrayContaining(['billing → users', 'crm → users', 'admin → users']),
    );
    await dialog.getByRole('button', { name: /cascade/ }).click();
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    const planned = await dialog.getByRole('listitem').allTextContents();
    expect(planned).toContain('− users requested');
    expect(planned.some((line) => /^− billing requires users/.test(line))).toBe(true);
    // The focus is in the dialog: Escape cancels it.
    expect(await page.evaluate("document.activeElement?.closest('dialog') !== null")).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate("document.activeElement?.getAttribute('role')")).toBe('switch');
    expect(await status('acme')).toEqual(before);
  });

  it('a plan made on a revision the tenant has left is refused (412) and planned again', async () => {
    await moduleSwitch('files').click();
    const dialog = page.getByRole('dialog', { name: 'Enable files for acme' });
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    await server.cli(['flags', 'set', 'acme', 'search.fuzzy=false']);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => dialog.getByRole('status').first().textContent())
      .toContain('The tenant changed since this plan was made');
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await status('acme')).modules).toContain('files');
  });

  it('works from the keyboard: Space on a switch plans, the focus is on Apply, Enter applies and the focus returns', async () => {
    await moduleSwitch('payments').focus();
    await page.keyboard.press('Space');
    const dialog = page.getByRole('dialog', { name: 'Enable payments for acme' });
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Apply');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => moduleSwitch('payments').getAttribute('aria-checked')).toBe('true');
    await expect
      .poll(() => page.evaluate("document.activeElement?.getAttribute('data-module')"))
      .toBe('payments');
    expect((await status('acme')).modules).toContain('payments');
  });

  it('edits flags by their declared type; a wrong type is the API error next to the field', async () => {
    const seats = page.getByLabel('users.max-seats', { exact: true });
    await seats.fill('plenty');
    await page.getByRole('button', { name: 'Save users.max-seats' }).click();
    await expect.poll(() => seats.getAttribute('aria-invalid')).toBe('true');
    const error = await accessibleDescriptionOf(page, 'users.max-seats');
    expect(error).toMatch(/users\.max-seats.*number/);
    await seats.fill('40');
    await seats.press('Enter');
    await expect.poll(async () => (await status('acme')).flags['users.max-seats']).toBe(40);
    const checkout = page.getByRole('switch', { name: 'billing.new-checkout', exact: true });
    expect(await checkout.getAttribute('aria-checked')).toBe('false');
    await checkout.click();
    await expect.poll(async () => (await status('acme')).flags['billing.new-checkout']).toBe(true);
    await expect
      .poll(() =>
        page
          .getByRole('switch', { name: 'billing.new-checkout', exact: true })
          .getAttribute('aria-checked'),
      )
      .toBe('true');
  });

  it('shows the history with a diff per change, and rolls back after a preview', async () => {
    const history = page.getByRole('list', { name: 'Changes, newest first' });
    await expect
      .poll(() => history.getByRole('list', { name: 'What revision 2 changed' }).textContent())
      .toBe('+ crm');
    await page.getByRole('button', { name: 'Roll back to revision 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll acme back to revision 1' });
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    const planned = await dialog.getByRole('listitem').allTextContents();
    expect(planned.some((line) => line.startsWith('− crm'))).toBe(true);
    expect((await status('acme')).modules).toContain('crm');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    const after = await status('acme');
    expect(after.modules).toEqual(['core', 'auth', 'users', 'billing']);
    expect(after.flags['users.max-seats']).toBe(25);
  });

  it('shows a change made with the CLI without a reload, keeping a flag value being typed', async () => {
    // A mark on the window: a reload would lose it.
    await page.evaluate('window.notReloaded = true');
    await expect.poll(() => moduleSwitch('search').getAttribute('aria-checked')).toBe('false');
    const seats = page.getByLabel('users.max-seats', { exact: true });
    await seats.fill('60');
    await server.cli(['enable', 'acme', 'search']);
    await expect.poll(() => moduleSwitch('search').getAttribute('aria-checked')).toBe('true');
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await seats.inputValue()).toBe('60');
    expect(await page.evaluate("document.activeElement?.getAttribute('data-flag')")).toBe(
      'users.max-seats',
    );
    expect((await status('acme')).flags['users.max-seats']).toBe(25);
    await seats.fill('25');
  });

  it('draws the dependency graph with the tenant’s modules marked', async () => {
    const graph = page.getByRole('img', { name: /^Dependency graph of 16 modules/ });
    expect(await graph.getAttribute('aria-label')).toBeNull();
    const titles = await graph.locator('g > title').allTextContents();
    expect(titles).toContain('search: enabled for this tenant');
    expect(titles).toContain('reports: off');
  });

  it('is readable at phone width: nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await moduleSwitch('billing').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows the health: store, registry, doctor’s findings', async () => {
    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByText('Status: ok').waitFor();
    expect(await page.getByText(/^json store at /).count()).toBe(1);
    expect(await page.getByText(/No findings over 3 tenants/).count()).toBe(1);
  });

  it('shows a hostile id from the address bar as text, and the API’s refusal of it', async () => {
    for (const id of ['<img src=x onerror="window.pwned=1">', '__proto__']) {
      await page.goto(`${server.url}#/tenants/${encodeURIComponent(id)}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(id);
      await page.getByText(/^Cannot read tenant/).waitFor();
    }
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    expect(await page.locator('main img').count()).toBe(0);
  });

  it('adds a tenant the CLI writes to the list live', async () => {
    await page.getByRole('link', { name: 'Tenants', exact: true }).click();
    await page.getByRole('link', { name: 'acme', exact: true }).waitFor();
    await server.cli(['enable', 'initech', 'crm', '--with-deps']);
    await page.getByRole('link', { name: 'initech', exact: true }).waitFor();
  });

  it('with a read-only token, previews a change and shows the 403 of its Apply; Sign out forgets the token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate("sessionStorage.getItem('modreg-admin-token')")).toBeNull();
    await page.getByLabel('Access token').fill(server.readToken);
    await page.getByLabel('Access token').press('Enter');
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    const before = await status('acme');
    await moduleSwitch('webhooks').click();
    const dialog = page.getByRole('dialog', { name: 'Enable webhooks for acme' });
    await dialog.getByRole('list', { name: 'Planned changes' }).waitFor();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => dialog.getByRole('alert').textContent())
      .toContain('has read-only access');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await status('acme')).toEqual(before);
  });

  it('broke no rule of the Content-Security-Policy and threw nothing uncaught, in all of the above', () => {
    expect(pageProblems).toEqual([]);
  });
});

/** The accessible description of a module's switch: the line saying why. */
async function accessibleDescription(page: Page, name: string): Promise<string | null> {
  return accessibleDescriptionOf(page, name, 'switch');
}

/** The text of the element aria-describedby names, for the control labelled `name`. */
async function accessibleDescriptionOf(
  page: Page,
  name: string,
  role?: 'switch',
): Promise<string | null> {
  const control =
    role === undefined
      ? page.getByLabel(name, { exact: true })
      : page.getByRole(role, { name, exact: true });
  const id = await control.getAttribute('aria-describedby');
  return id === null ? null : page.locator(`[id="${id}"]`).textContent();
}
