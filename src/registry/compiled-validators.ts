import { validate as checkModuleConfig } from './generated/module-config.js';
import { type CompiledCheck, type SchemaValidator, validatorOf } from './schema-issues.js';

// schemas/module.config.schema.json compiled by `npm run generate`
// (scripts/generate-validators.ts): configs are checked without loading ajv's compiler or
// compiling anything. Each schema has a module of its own, so that a command loads only the
// validators it uses (state-validator.ts, modreg-config-validator.ts).

/** Checks parsed module configs against schemas/module.config.schema.json. */
export type ModuleConfigValidator = SchemaValidator;

/** A validator of module configs (schemas/module.config.schema.json); cheap to create. */
export function createModuleConfigValidator(): ModuleConfigValidator {
  return validatorOf(checkModuleConfig as CompiledCheck);
}
