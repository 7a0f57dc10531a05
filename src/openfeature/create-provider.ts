import { createModreg } from '../runtime/create-modreg.js';
import type { ModregOptions } from '../runtime/options.js';
import type { ModregProviderOptions } from './options.js';
import { ModregProvider } from './provider.js';

/**
 * A provider that opens its own modreg instance from `options` (as `createModreg` takes them)
 * and closes it in `onClose` — when the SDK replaces the provider or `OpenFeature.close()` runs:
 * `await OpenFeature.setProviderAndWait(createModregProvider({ store: 'redis://…' }))`. The
 * instance is `provider.modreg`.
 */
export function createModregProvider(
  options: ModregOptions = {},
  providerOptions: ModregProviderOptions = {},
): ModregProvider {
  return new OwningProvider(createModreg(options), providerOptions);
}

/** A provider that closes its instance when it is closed. */
class OwningProvider extends ModregProvider {
  override async onClose(): Promise<void> {
    await super.onClose();
    await this.modreg.close();
  }
}
