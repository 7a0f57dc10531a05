import { validate as checkModregConfig } from './generated/modreg-config.js';
import { type CompiledCheck, type SchemaValidator, validatorOf } from './schema-issues.js';

/** A validator of modreg configs (schemas/modreg.config.schema.json, compiled at build). */
export function createModregConfigValidator(): SchemaValidator {
  return validatorOf(checkModregConfig as CompiledCheck);
}
