import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';
import { didYouMean } from '../suggest.js';
import type { PlanningRegistry } from './types.js';

/**
 * The modules an operation names, each once, in the order given. Throws a `usage` error for
 * an empty list.
 */
export function requestedModules(verb: string, modules: readonly string[]): string[] {
  if (modules.length === 0) {
    throw new ModregError('usage', `Nothing to ${verb}: name at least one module.`);
  }
  return [...new Set(modules)];
}

/** The refusal for a module name the registry does not know, with the nearest name. */
export function unknownModule(
  registry: PlanningRegistry,
  verb: string,
  name: string,
  tenant: string,
): ModregError {
  const suggestion = didYouMean(name, registry.modules.keys());
  const fix =
    suggestion === ''
      ? ' Check the name with "modreg graph", or run "modreg discover" if the module is new.'
      : suggestion;
  return new ModregError(
    'refused',
    `Cannot ${verb} ${shownText(name)} for tenant "${tenant}": there is no module of that name in the registry.${fix}`,
  );
}
