import { ModregError } from '../errors.js';
import type { HistoryEntry, TenantSettings } from '../tenant/types.js';

/**
 * The settings a tenant had after `revision`, from its history (newest first): revision 0 is
 * nothing enabled and no flag set. Refuses (`refused`) a revision the history does not keep,
 * naming the revisions it does.
 */
export function rollbackTarget(
  tenant: string,
  history: readonly HistoryEntry[],
  revision: number,
): TenantSettings {
  if (revision === 0) return { modules: [], flags: {} };
  const found = history.find((entry) => entry.revision === revision)?.after;
  if (found !== undefined) return found;
  const kept = history.map((entry) => entry.revision);
  const range =
    kept.length === 0
      ? 'none are recorded'
      : `the history keeps ${Math.min(...kept)}–${Math.max(...kept)}`;
  throw new ModregError(
    'refused',
    `Tenant "${tenant}" has no revision ${revision} to roll back to (${range}).`,
  );
}
