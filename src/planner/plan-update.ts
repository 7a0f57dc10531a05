import type { UpdateRequest } from '../stores/types.js';
import type { TenantState } from '../tenant/types.js';
import type { Plan } from './types.js';

/** A store update that applies a plan, and the plan it last made. */
export interface PlannedUpdate {
  request: UpdateRequest;
  /** The plan made against the state the store committed on (undefined before `apply`). */
  plan(): Plan | undefined;
}

/**
 * The store update for a planner call: each `apply` plans again against the state the store
 * holds then (so a concurrent change is never overwritten), writes nothing for an empty
 * plan, and records the plan's own operation in the history.
 */
export function plannedUpdate(actor: string, plan: (current: TenantState) => Plan): PlannedUpdate {
  let last: Plan | undefined;
  return {
    request: {
      actor,
      apply(current) {
        last = plan(current);
        return last.changes.length === 0 ? null : last.next;
      },
      get operation() {
        return last?.operation ?? '';
      },
    },
    plan: () => last,
  };
}
