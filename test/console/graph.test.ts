import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium } from './helpers/chromium.js';
import { type ConsoleServer, startConsoleServer } from './helpers/console-server.js';

// The example with a cycle added (a → b → c → a, fixtures/invalid/cycle): the blocked
// modules, their reasons and the graph's red.
describeWithChromium('web console over a registry with a cycle', (browser) => {
  let server: ConsoleServer;
  let page: Page;

  beforeAll(async () => {
    server = await startConsoleServer([['enable', 'acme', 'crm', '--with-deps']], {
      extraModules: ['invalid/cycle/a', 'invalid/cycle/b', 'invalid/cycle/c'],
    });
    page = await browser().newPage();
    page.setDefaultTimeout(8000);
    await page.goto(server.url);
    await page.getByLabel('Access token').fill(server.token);
    await page.getByLabel('Access token').press('Enter');
    await page.getByRole('link', { name: 'acme', exact: true }).click();
  });
  afterAll(async () => {
    await page?.close();
    await server?.stop();
  });

  it('shows a module of the cycle as blocked, its switch disabled, with the cycle as the reason', async () => {
    const a = page.getByRole('switch', { name: 'a', exact: true });
    await a.waitFor();
    expect(await a.isDisabled()).toBe(true);
    expect(await a.getAttribute('aria-checked')).toBe('false');
    const reasonId = (await a.getAttribute('aria-describedby')) as string;
    expect(await page.locator(`[id="${reasonId}"]`).textContent()).toMatch(
      /^blocked: .*a → b → c → a/,
    );
  });

  it('draws the cycle and its modules in red, the tenant’s modules marked', async () => {
    const graph = page.getByRole('img', { name: /^Dependency graph of 19 modules/ });
    await graph.waitFor();
    expect(await graph.getAttribute('aria-label')).toBeNull();
    expect(
      await page
        .getByRole('list', { name: 'Dependency cycles' })
        .getByRole('listitem')
        .allTextContents(),
    ).toEqual(['cycle: a → b → c → a']);
    const titles = await graph.locator('g > title').allTextContents();
    expect(titles).toEqual(expect.arrayContaining(['a: blocked', 'b: blocked', 'c: blocked']));
    expect(titles).toContain('crm: enabled for this tenant');
    const red = await page.evaluate(
      `getComputedStyle(document.documentElement).getPropertyValue('--bad').trim()`,
    );
    expect(red).toBe('#c62828');
    const colours = (await page.evaluate(`(() => {
      const svg = document.querySelector('.graph svg');
      const stroke = (selector) =>
        [...svg.querySelectorAll(selector)].map((node) => getComputedStyle(node).stroke);
      return { blocked: stroke('.node.blocked rect'), badEdges: stroke('path.bad') };
    })()`)) as { blocked: string[]; badEdges: string[] };
    // #c62828, as the computed style writes it: the three blocked nodes and the three edges.
    expect(colours.blocked).toEqual(Array(3).fill('rgb(198, 40, 40)'));
    expect(colours.badEdges).toEqual(Array(3).fill('rgb(198, 40, 40)'));
  });
});
