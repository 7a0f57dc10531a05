import { ModregError } from '../errors.js';
import type { HistoryEntry, TenantState, UpdateRequest } from './types.js';

/**
 * The first half of every store's update, once it holds the tenant's current state: refuse
 * a stale `expectedRevision` (a conflict), apply the request, and describe the change as its
 * history entry — or null when the request changes nothing.
 */
export function changeEntry(
  current: TenantState,
  request: UpdateRequest,
  at: string,
): HistoryEntry | null {
  const expected = request.expectedRevision;
  if (expected !== undefined && expected !== current.revision) {
    throw new ModregError(
      'conflict',
      `Tenant "${current.tenant}" is at revision ${current.revision}, not ${expected}: it changed since you read it. Read it again and retry.`,
    );
  }
  const next = request.apply(current);
  if (next === null) return null;
  return {
    revision: current.revision + 1,
    at,
    actor: request.actor,
    operation: request.operation,
    before: { modules: current.modules, flags: current.flags },
    after: { modules: [...next.modules], flags: next.flags },
  };
}
