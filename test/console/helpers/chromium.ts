import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** Debian's Chromium (package chromium), which the browser tests drive. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a headless run in a container: no sandbox, no GPU, nothing phoned home. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * A describe block with one Chromium for its tests (`browser()` returns its context, a fresh
 * profile in a temp directory). Without Chromium it fails in CI (CI=true) and is skipped,
 * loudly, elsewhere — as the Redis tests are.
 */
export function describeWithChromium(
  name: string,
  fn: (browser: () => BrowserContext) => void,
): void {
  if (!existsSync(CHROMIUM_PATH)) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs Chromium', () => {
          throw new Error(
            `Chromium is required in CI: install it (apt-get install chromium) so that ${CHROMIUM_PATH} exists.`,
          );
        });
      });
      return;
    }
    console.warn(
      `\n*** SKIPPED "${name}": no Chromium at ${CHROMIUM_PATH} (apt-get install chromium). ***\n`,
    );
    describe.skip(name, () =>
      fn(() => {
        throw new Error('no Chromium');
      }),
    );
    return;
  }
  describe(name, () => {
    let context: BrowserContext | undefined;
    let profile: string | undefined;
    beforeAll(async () => {
      profile = await mkdtemp(join(tmpdir(), 'modreg-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 800 },
      });
    });
    afterAll(async () => {
      await context?.close();
      if (profile !== undefined) await rm(profile, { recursive: true, force: true });
    });
    fn(() => {
      if (context === undefined) throw new Error('Chromium is not started yet');
      return context;
    });
  });
}
