import { ModregError } from '../../errors.js';
import { shownText, shownValue } from '../../message-text.js';
import type { FlagChanges } from '../../planner/flags.js';
import {
  planDisable,
  planEnable,
  planFlags,
  plannedUpdate,
  planRollback,
  rollbackTarget,
} from '../../planner/index.js';
import type { Plan } from '../../planner/types.js';
import type { Store } from '../../stores/types.js';
import { validateTenantId } from '../../tenant/tenant-id.js';
import type { JsonValue, TenantState } from '../../tenant/types.js';
import type { ChangeOptions, TenantChanges } from '../modreg.js';
import type { RuntimeChange } from '../types.js';
import type { RuntimeRegistry } from './runtime-registry.js';
import type { StateSync } from './state-sync.js';

/** What the changes need of the instance. */
export interface ChangesHost {
  started(): Promise<{ store: Store; sync: StateSync }>;
  registry(): RuntimeRegistry;
  /** Who changes are recorded as unless the call says. */
  actor: string;
  /** `call` within the instance's store deadline. */
  deadline<T>(call: Promise<T>, doing: string): Promise<T>;
}

/**
 * enable / disable / updateFlags / rollback: the arguments checked (a library caller gets a
 * clear error, never a silent no-op), then planned against the tenant's state and committed
 * through the store's compare-and-set, or only planned for a dry run.
 */
export function createChanges(host: ChangesHost): TenantChanges {
  const change = async (
    tenant: string,
    options: ChangeOptions,
    plan: (current: TenantState) => Plan,
  ): Promise<RuntimeChange> => {
    validateTenantId(tenant);
    checkChangeOptions(options);
    const { store, sync } = await host.started();
    if (options.dryRun === true) {
      const current = await host.deadline(store.read(tenant), `reading tenant "${tenant}"`);
      const planned = plan(current);
      return { tenant, changes: planned.changes, revision: current.revision, dryRun: true };
    }
    const update = plannedUpdate(options.actor ?? host.actor, plan);
    const request =
      options.expectedRevision === undefined
        ? update.request
        : Object.assign(update.request, { expectedRevision: options.expectedRevision });
    const from = sync.tick();
    const result = await host.deadline(
      store.update(tenant, request),
      `changing tenant "${tenant}"; the change may or may not have been applied`,
    );
    sync.accept(result.state, from);
    const changes = update.plan()?.changes ?? [];
    return { tenant, changes, revision: result.state.revision, dryRun: false };
  };
  const planning = () => host.registry().planning;

  return {
    enable: async (tenant, modules, options = {}) => {
      const names = moduleNames('enable', modules);
      return change(tenant, options, (now) =>
        planEnable(planning(), now, names, { withDeps: options.withDeps === true }),
      );
    },
    disable: async (tenant, modules, options = {}) => {
      const names = moduleNames('disable', modules);
      return change(tenant, options, (now) =>
        planDisable(planning(), now, names, { cascade: options.cascade === true }),
      );
    },
    updateFlags: async (tenant, changes, options = {}) => {
      const checked = readable(() => flagChanges(changes), 'the flag changes');
      return change(tenant, options, (now) =>
        planFlags(planning(), now, checked, { strict: options.strict === true }),
      );
    },
    rollback: async (tenant, revision, options = {}) => {
      validateTenantId(tenant);
      if (!Number.isSafeInteger(revision) || revision < 0) {
        throw new ModregError(
          'usage',
          `rollback takes a revision: a whole number, 0 or more, not ${shownValue(revision)}.`,
        );
      }
      const { store } = await host.started();
      const history = await host.deadline(
        store.history(tenant, { limit: Number.MAX_SAFE_INTEGER }),
        `reading the history of "${tenant}"`,
      );
      const target = rollbackTarget(tenant, history, revision);
      return change(tenant, options, (now) => planRollback(planning(), now, target, revision));
    },
  };
}

/** One module name or a list of them, as the planner takes them. */
function moduleNames(verb: string, modules: unknown): string[] {
  const names = typeof modules === 'string' ? [modules] : modules;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) {
    throw new ModregError(
      'usage',
      `${verb} takes a module name or a list of module names, not ${shownValue(modules)}.`,
    );
  }
  return names;
}

/** `{ set, unset }` checked: nothing else, each of the right shape, values plain JSON. */
function flagChanges(changes: unknown): FlagChanges {
  const shape = 'updateFlags takes { set: { key: value }, unset: [key] }';
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw new ModregError('usage', `${shape}, not ${shownValue(changes)}.`);
  }
  const unknown = Object.keys(changes).find((key) => key !== 'set' && key !== 'unset');
  if (unknown !== undefined) {
    throw new ModregError(
      'usage',
      `${shape}; ${shownText(unknown)} is neither. To set that flag, write { set: { ${JSON.stringify(unknown)}: value } }.`,
    );
  }
  const { set, unset } = changes as { set?: unknown; unset?: unknown };
  if (set !== undefined && (typeof set !== 'object' || set === null || Array.isArray(set))) {
    throw new ModregError('usage', `${shape}; set must be an object, not ${shownValue(set)}.`);
  }
  if (unset !== undefined && !(Array.isArray(unset) && unset.every((k) => typeof k === 'string'))) {
    throw new ModregError(
      'usage',
      `${shape}; unset must be a list of keys, not ${shownValue(unset)}.`,
    );
  }
  const values: Record<string, JsonValue> = {};
  for (const key of Object.keys(set ?? {})) {
    const value = plainJson(key, (set as Record<string, unknown>)[key]);
    // A key such as "__proto__" stays an own key, for the planner to refuse by name.
    Object.defineProperty(values, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    ...(set === undefined ? {} : { set: values }),
    ...(unset === undefined ? {} : { unset: unset as string[] }),
  };
}

/** `read()`, with anything but a ModregError (a Proxy's trap, a getter that throws) as `invalid`. */
function readable<T>(read: () => T, what: string): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ModregError) throw error;
    throw new ModregError(
      'invalid',
      `Cannot read ${what}: ${error instanceof Error ? error.message : String(error)}. Pass plain objects and values.`,
    );
  }
}

/** A copy of a flag value as plain JSON; a value JSON cannot hold is refused, naming the flag. */
function plainJson(key: string, value: unknown): JsonValue {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ModregError(
      'invalid',
      `The value of flag ${shownText(key)} cannot be turned into JSON (${error instanceof Error ? error.message : String(error)}); give a plain value: a boolean, number, string, list or object.`,
    );
  }
  if (text === undefined) {
    throw new ModregError(
      'invalid',
      `The value of flag ${shownText(key)} is ${typeof value}, which JSON cannot hold; give a boolean, number, string, list or object (or unset the flag).`,
    );
  }
  return JSON.parse(text) as JsonValue;
}

/** The options every change takes, checked. */
function checkChangeOptions(options: ChangeOptions): void {
  const expected = options.expectedRevision;
  if (expected !== undefined && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new ModregError(
      'usage',
      `expectedRevision is a revision, a whole number 0 or more, not ${shownValue(expected)}.`,
    );
  }
  if (options.actor !== undefined && (typeof options.actor !== 'string' || options.actor === '')) {
    throw new ModregError('usage', `actor is a name, not ${shownValue(options.actor)}.`);
  }
}
