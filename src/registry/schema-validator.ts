import { Ajv2020 } from 'ajv/dist/2020.js';
import { type SchemaValidator, validatorOf } from './schema-issues.js';

export {
  createModuleConfigValidator,
  type ModuleConfigValidator,
} from './compiled-validators.js';
export type { SchemaIssue, SchemaValidator } from './schema-issues.js';

/**
 * Compiles a JSON Schema (2020-12) into a validator whose issues read as sentences. modreg's
 * own schemas are compiled at build time ({@link createModuleConfigValidator}); this one
 * loads ajv's compiler, for a schema of the caller's.
 */
export function createSchemaValidator(schema: Record<string, unknown>): SchemaValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  return validatorOf(ajv.compile(schema));
}
