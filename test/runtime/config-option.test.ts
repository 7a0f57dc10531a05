import { describe, expect, it } from 'vitest';
import type { ConfigFile } from '../../src/project-config.js';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createMemoryStore } from '../../src/testing.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('createModreg({ config })', () => {
  it.each([
    [{ store: 5 }, '  /store: store must be a string, not a number (5).'],
    [{ historyLimit: 0 }, '  /historyLimit:'],
    [{ modules: 'modules', stores: 'x' }, '  /stores: Unknown key "stores" in the config.'],
    [null, '  /: The config must be an object, not null.'],
  ])('refuses the config object %j as a config file is refused', async (config, line) => {
    const root = await tempDir();
    const modreg = createModreg({
      root,
      config: config as unknown as ConfigFile,
      store: createMemoryStore(),
      logger: false,
    });
    const failure = await modreg.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
    await modreg.close();
    expect(failure).toMatchObject({ name: 'ModregError', code: 'usage' });
    const { message } = failure as Error;
    expect(message.startsWith('The modreg config (options.config) is invalid:\n')).toBe(true);
    expect(message).toContain(line);
  });
});
