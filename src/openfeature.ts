/**
 * `modreg/openfeature`: an OpenFeature server provider over a modreg instance. It loads
 * `@openfeature/server-sdk` (an optional peer dependency), which no other entry does.
 */

export { MODULE_KEY_PREFIX } from './evaluation/flag-index.js';
export { createModregProvider } from './openfeature/create-provider.js';
export type { ModregProviderOptions } from './openfeature/options.js';
export { ModregProvider } from './openfeature/provider.js';
