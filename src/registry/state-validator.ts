import { validate as checkState } from './generated/state.js';
import { type CompiledCheck, type SchemaValidator, validatorOf } from './schema-issues.js';

/** A validator of the JSON store's tenant files (schemas/state.schema.json, compiled at build). */
export function createStateValidator(): SchemaValidator {
  return validatorOf(checkState as CompiledCheck);
}
