import { ModregError } from '../errors.js';
import type { HistoryEntry, TenantState } from '../tenant/types.js';
import type { UpdateRequest } from './types.js';

/**
 * The first half of every store's update, once it holds the tenant's current state: refuse
 * a stale `expectedRevision` (a conflict), apply the request, and describe the change as its
 * history entry — or null when the request changes nothing. The new revision continues from
 * the current one or the request's `revisionFloor`, whichever is higher.
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
  const floor = request.revisionFloor ?? 0;
  return {
    revision: Math.max(current.revision, Number.isSafeInteger(floor) ? floor : 0) + 1,
    at,
    actor: request.actor,
    operation: request.operation,
    before: { modules: current.modules, flags: current.flags },
    after: { modules: [...next.modules], flags: next.flags },
  };
}

/**
 * The history after `entry`, newest first and at most `limit` long: the tenant's own
 * history, or — for a tenant without one — what the request carried over from another store.
 */
export function nextHistory(
  entry: HistoryEntry,
  own: readonly HistoryEntry[],
  request: UpdateRequest,
  limit: number,
): HistoryEntry[] {
  const below = own.length > 0 ? own : (request.carriedHistory ?? []);
  return [entry, ...below.slice(0, limit - 1)];
}
