import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { ModregError } from '../errors.js';
import type { BlockedModule, GraphWarning } from '../graph/types.js';
import { shownPlain } from '../message-text.js';
import { errorText } from './config-data.js';
import { writeRegistryText } from './registry-write.js';
import type { ModuleRecord, Registry } from './types.js';

/** Format version of the registry file; bumped on an incompatible change. */
export const REGISTRY_FORMAT = 1;

/** What `modreg discover` writes and the runtime reads: the modules and their load order. */
export interface RegistryFile {
  format: typeof REGISTRY_FORMAT;
  generatedAt: string;
  /** The project root, relative to the registry file's directory. */
  root: string;
  modulesDir: string;
  modules: ModuleRecord[];
  order: string[];
  layers: string[][];
  blocked: BlockedModule[];
  warnings: GraphWarning[];
}

/** The registry file content for `registry`, written at `file` for a project at `root`. */
export function toRegistryFile(
  registry: Registry,
  root: string,
  file: string,
  now: Date,
): RegistryFile {
  const { graph } = registry;
  return {
    format: REGISTRY_FORMAT,
    generatedAt: now.toISOString(),
    root: relative(dirname(resolve(root, file)), resolve(root)).replaceAll('\\', '/') || '.',
    modulesDir: registry.modulesDir,
    modules: registry.modules,
    order: graph.order,
    layers: graph.layers,
    blocked: graph.blocked,
    warnings: graph.warnings,
  };
}

/**
 * Writes the registry file atomically. A path that cannot be written is an environment error
 * saying why; content that cannot be serialised (a value no config check caught) is an
 * invalid-data error, never reported as an unwritable directory.
 */
export async function writeRegistryFile(file: string, content: RegistryFile): Promise<void> {
  let text: string;
  try {
    text = `${JSON.stringify(content, null, 2)}\n`;
  } catch (error) {
    throw new ModregError(
      'invalid',
      `The registry file ${shownPlain(file)} was not written: its content cannot be turned into JSON (${errorText(error)}), so a module config holds a value the checks did not catch. Run "modreg validate", and report this to modreg's maintainers.`,
      { cause: error },
    );
  }
  await writeRegistryText(file, text);
}

/** Reads a registry file written by `modreg discover`. */
export async function readRegistryFile(file: string): Promise<RegistryFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModregError(
      'environment',
      missing
        ? `The registry file ${file} does not exist. Run "modreg discover" to create it.`
        : `Cannot read the registry file ${file}: ${(error as Error).message}.`,
      { cause: error },
    );
  }
  let content: Partial<RegistryFile>;
  try {
    content = JSON.parse(text) as Partial<RegistryFile>;
  } catch (error) {
    throw new ModregError(
      'environment',
      `The registry file ${file} is not valid JSON. Run "modreg discover" to write it again.`,
      { cause: error },
    );
  }
  if (
    content.format !== REGISTRY_FORMAT ||
    !Array.isArray(content.modules) ||
    !Array.isArray(content.order)
  ) {
    throw new ModregError(
      'environment',
      `The registry file ${file} is not a modreg registry of format ${REGISTRY_FORMAT}. Run "modreg discover" to write it again.`,
    );
  }
  return content as RegistryFile;
}
