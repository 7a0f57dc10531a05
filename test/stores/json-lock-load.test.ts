import { describe, expect, it } from 'vitest';
import { loadedPackages } from '../helpers/loaded-packages.js';
import { tempDir } from '../helpers/temp-dir.js';

// The lock library brings signal-exit, which ends the process on a signal no other listener
// is registered for when it arrives: a server's own `process.once('SIGINT', …)` must come
// after it, so a store loads it when it opens unless told it may load it later.
describe('the JSON store and its lock library', () => {
  it.each([
    [{}, true],
    [{ loadLockOnWrite: true }, false],
  ])('with %j loads proper-lockfile when it opens: %s', async (options, loaded) => {
    const path = await tempDir();
    const packages = await loadedPackages(
      `const { createJsonFileStore } = await import('modreg');
      const store = await createJsonFileStore({ path: ${JSON.stringify(path)}, ...${JSON.stringify(options)} });
      await store.read('acme');
      await store.close();`,
    );
    expect(packages.includes('proper-lockfile')).toBe(loaded);
  });
});
