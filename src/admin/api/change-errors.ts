import { isModregError } from '../../errors.js';
import { shownText } from '../../message-text.js';
import { unknownModule } from '../../planner/module-lookup.js';
import type { PlanningRegistry } from '../../planner/types.js';
import { didYouMean } from '../../suggest.js';
import { AdminRequestError, badRequest } from '../http/request-error.js';

/**
 * Runs a change and sorts its failures by what the caller must do: a stale `If-Match` is
 * 412; a store that kept changing under it (no `If-Match`) is 409 `conflict`, to retry; a
 * planner refusal is 409 `refused` (errorReply renders it); with `refusedIsInput` (flag
 * changes: a wrong type, an undeclared key under `strict`) a refusal is bad input, 400.
 */
export async function runChange<T>(
  change: () => Promise<T>,
  { expected, refusedIsInput = false }: { expected: number | undefined; refusedIsInput?: boolean },
): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (!isModregError(error)) throw error;
    if (error.code === 'conflict') {
      throw new AdminRequestError(expected === undefined ? 409 : 412, 'conflict', error.message);
    }
    if (error.code === 'refused' && refusedIsInput) throw badRequest(error.message);
    throw error;
  }
}

/**
 * 400 for a module the registry does not know — bad input, unlike a refusal by the planner —
 * with the nearest name. `tenant` is the one changed (none for a bulk change); `stored` are
 * modules the tenant has on that may be gone since (disabling one of those is allowed).
 */
export function checkKnownModules(
  registry: PlanningRegistry,
  verb: 'enable' | 'disable',
  tenant: string | undefined,
  modules: readonly string[],
  stored: readonly string[] = [],
): void {
  for (const name of modules) {
    if (registry.modules.has(name) || stored.includes(name)) continue;
    if (tenant !== undefined) throw badRequest(unknownModule(registry, verb, name, tenant).message);
    throw badRequest(
      `Cannot ${verb} ${shownText(name)}: there is no module of that name in the registry.${didYouMean(name, registry.modules.keys()) || ' Check the name in GET /api/modules.'}`,
    );
  }
}
