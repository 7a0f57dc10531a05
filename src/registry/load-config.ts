import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { shownPlain } from '../message-text.js';
import { errorText, toConfigData } from './config-data.js';
import { checkConfigScript, MAX_CONFIG_DEPTH, readConfigText } from './config-file.js';
import { type JsonSource, parseJsonSource } from './json-source.js';

/** A config file read and parsed, or the reason it could not be. */
export type LoadedConfig =
  | { ok: true; value: unknown; source: JsonSource | undefined }
  | { ok: false; message: string; line?: number; pointer?: string };

/**
 * Reads one module config. JSON is parsed as data; `.js`/`.mjs`/`.cjs` configs are imported,
 * which runs their code, unless `jsonOnly` refuses them.
 */
export function loadConfig(
  file: string,
  displayName: string,
  jsonOnly: boolean,
): LoadedConfig | Promise<LoadedConfig> {
  if (file.endsWith('.json')) return loadJson(file, displayName);
  if (jsonOnly) {
    return {
      ok: false,
      message: `${displayName} is executable code, refused by --json-only. Convert it to module.config.json (the same object as JSON), or drop --json-only to run it.`,
    };
  }
  return loadScript(file, displayName);
}

/**
 * Read synchronously: config files are small, and going through libuv's thread pool costs
 * several times the read itself (measured: 1,000 configs in 7 ms sync, 54 ms async).
 */
function loadJson(file: string, displayName: string): LoadedConfig {
  const text = readConfigText(file, displayName);
  if (typeof text !== 'string') return text;
  const parsed = parseJsonSource(
    text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
    MAX_CONFIG_DEPTH,
  );
  if ('error' in parsed) {
    const { message, line, column, tooDeep } = parsed.error;
    const where = line === undefined ? '' : ` at line ${line}, column ${column}`;
    return {
      ok: false,
      message: tooDeep
        ? `${displayName} has ${message}${where}; flatten the config (a module config needs a few levels).`
        : `${displayName} is not valid JSON${where}: ${shownPlain(message, 200)}. Fix the syntax (JSON allows no comments or trailing commas).`,
      ...(line === undefined ? {} : { line }),
    };
  }
  return { ok: true, value: parsed.source.value, source: parsed.source };
}

async function loadScript(file: string, displayName: string): Promise<LoadedConfig> {
  const refused = await checkConfigScript(file, displayName);
  if (refused !== undefined) return refused;
  let exported: unknown;
  try {
    // The modification time in the URL makes a re-scan in the same process see edits.
    const { mtimeMs } = await stat(file);
    const url = `${pathToFileURL(file).href}?mtime=${mtimeMs}`;
    const imported = (await import(url)) as { default?: unknown };
    exported = imported.default;
  } catch (error) {
    return { ok: false, message: `${displayName} failed while running: ${errorText(error)}` };
  }
  if (typeof exported !== 'object' || exported === null) {
    return {
      ok: false,
      message: `${displayName} must export the config object as its default export (export default { name: … } or module.exports = { name: … }).`,
    };
  }
  const data = toConfigData(exported, displayName);
  return data.ok ? { ok: true, value: data.value, source: undefined } : data;
}
