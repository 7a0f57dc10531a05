import { validate as checkModregConfig } from './generated/modreg-config.js';
import { validate as checkModuleConfig } from './generated/module-config.js';
import { validate as checkState } from './generated/state.js';
import { type CompiledCheck, type SchemaValidator, validatorOf } from './schema-issues.js';

// The schemas in schemas/ compiled by `npm run generate` (scripts/generate-validators.ts):
// a command checks documents without loading ajv's compiler or compiling anything.

/** Checks parsed module configs against schemas/module.config.schema.json. */
export type ModuleConfigValidator = SchemaValidator;

/** A validator of module configs (schemas/module.config.schema.json); cheap to create. */
export function createModuleConfigValidator(): ModuleConfigValidator {
  return validatorOf(checkModuleConfig as CompiledCheck);
}

/** A validator of modreg configs (schemas/modreg.config.schema.json). */
export function createModregConfigValidator(): SchemaValidator {
  return validatorOf(checkModregConfig as CompiledCheck);
}

/** A validator of the JSON store's tenant files (schemas/state.schema.json). */
export function createStateValidator(): SchemaValidator {
  return validatorOf(checkState as CompiledCheck);
}
