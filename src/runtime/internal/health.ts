import type { Health, ModuleProblem } from '../types.js';
import type { StoreProblem } from './store-watch.js';

/** What {@link composeHealth} looks at. */
export interface HealthFacts {
  store: { kind: string; location: string };
  /** Why the instance has not started yet (it retries), or undefined once started. */
  starting?: StoreProblem;
  /** A store call or the change feed failing. */
  storeProblem?: StoreProblem;
  /** True when store calls fail (not only the feed). */
  storeFailing: boolean;
  tenantsCached: number;
  registry: Health['registry'];
  failed: readonly ModuleProblem[];
  blocked: readonly ModuleProblem[];
}

/**
 * One status from every fact, worst first: `failing` (not started, or the store fails with
 * nothing cached), `stale` (the store or its feed fails: the last known state is served),
 * `degraded` (modules failed or are blocked, or the registry could not be reloaded), `ok`.
 */
export function composeHealth(facts: HealthFacts): Health {
  const base = {
    store: facts.store,
    registry: facts.registry,
    modules: { failed: facts.failed, blocked: facts.blocked },
  };
  const { starting, storeProblem } = facts;
  if (starting !== undefined) return { status: 'failing', ...starting, ...base };
  if (storeProblem !== undefined) {
    const status = facts.storeFailing && facts.tenantsCached === 0 ? 'failing' : 'stale';
    return { status, ...storeProblem, ...base };
  }
  const reasons = [
    ...facts.failed.map((m) => `module "${m.module}" failed: ${m.reason}`),
    ...facts.blocked.map((m) => `module "${m.module}" is blocked: it ${m.reason}`),
    ...(facts.registry.reloadFailure === undefined
      ? []
      : [`the registry could not be reloaded: ${facts.registry.reloadFailure}`]),
  ];
  if (reasons.length === 0) return { status: 'ok', ...base };
  const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : '';
  return { status: 'degraded', reason: `${reasons[0]}${more}`, ...base };
}
