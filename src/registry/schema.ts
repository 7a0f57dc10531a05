import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the module.config JSON Schema shipped in the package. */
export const moduleConfigSchemaPath: string = schemaPath('module.config.schema.json');

/** Absolute path of the modreg.config JSON Schema (the project config file). */
export const modregConfigSchemaPath: string = schemaPath('modreg.config.schema.json');

/** Absolute path of the JSON store's tenant file schema. */
export const stateSchemaPath: string = schemaPath('state.schema.json');

/** Absolute path of the schema of `modreg export` files. */
export const exportSchemaPath: string = schemaPath('export.schema.json');

/** Reads the module.config JSON Schema (JSON Schema 2020-12) shipped in the package. */
export function readModuleConfigSchema(): Record<string, unknown> {
  return readSchema(moduleConfigSchemaPath);
}

/** Reads a JSON Schema file shipped in the package. */
export function readSchema(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function schemaPath(name: string): string {
  return fileURLToPath(new URL(`../../schemas/${name}`, import.meta.url));
}
