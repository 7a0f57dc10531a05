import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isModregError } from '../../src/errors.js';
import { planDisable } from '../../src/planner/disable.js';
import { planEnable } from '../../src/planner/enable.js';
import { flagValueProblem } from '../../src/planner/flag-values.js';
import { planFlags } from '../../src/planner/flags.js';
import { enabledModules } from '../../src/planner/planning-registry.js';
import { planRollback } from '../../src/planner/rollback.js';
import type { Plan, PlanningRegistry } from '../../src/planner/types.js';
import type { TenantSettings, TenantState } from '../../src/tenant/types.js';
import { type Operation, operationArb, specsArb, TENANTS } from './planner-arbitraries.js';
import {
  closure,
  expectedAcceptance,
  FLAG_KEY,
  requirements,
  requiresAny,
} from './planner-oracle.js';
import { planningRegistryOf } from './planner-registry.js';

/** One tenant of the in-memory store: its state and the settings after each revision. */
interface Tenant {
  state: TenantState;
  history: TenantSettings[];
}

/** A registry and a sequence of operations over it. */
const scenarioArb = specsArb.chain((specs) =>
  fc.record({
    specs: fc.constant(specs),
    operations: fc.array(operationArb(specs), { minLength: 10, maxLength: 40 }),
  }),
);

describe('planner properties', () => {
  it('keeps every tenant consistent, refuses without side effects, and plans deterministically', () => {
    fc.assert(
      fc.property(scenarioArb, ({ specs, operations }) => {
        const registry = planningRegistryOf(specs);
        const registryBefore = structuredClone(registry);
        const tenants = new Map<string, Tenant>(
          TENANTS.map((tenant) => [
            tenant,
            {
              state: { tenant, revision: 0, updatedAt: null, modules: [], flags: {} },
              history: [{ modules: [], flags: {} }],
            },
          ]),
        );
        for (const operation of operations) {
          step(registry, tenants, operation);
          for (const tenant of tenants.values()) checkTenant(registry, tenant);
        }
        expect(registry).toEqual(registryBefore);
      }),
      { numRuns: 250 },
    );
  });
});

/** Runs one operation, checks its outcome against the model, and applies an accepted plan. */
function step(
  registry: PlanningRegistry,
  tenants: Map<string, Tenant>,
  operation: Operation,
): void {
  const tenant = tenants.get(operation.tenant) as Tenant;
  const before = structuredClone([...tenants]);
  const outcome = attempt(registry, tenant, operation);
  // Deterministic: the same inputs, freshly copied, give the same plan or the same refusal.
  expect(attempt(registry, tenant, operation)).toEqual(outcome);
  expect(outcome.plan !== undefined).toBe(expectedAcceptance(registry, tenant.state, operation));
  if (outcome.plan === undefined) {
    expect([...tenants]).toEqual(before);
    return;
  }
  checkPlan(registry, tenant.state, outcome.plan, operation);
  if (outcome.plan.changes.length > 0) {
    const { next } = outcome.plan;
    tenant.state = {
      ...tenant.state,
      revision: tenant.state.revision + 1,
      ...structuredClone(next),
    };
    tenant.history.push(structuredClone(next));
  }
  for (const [name, other] of before) {
    if (name !== operation.tenant) expect(tenants.get(name)).toEqual(other);
  }
}

/** The plan, or the refusal, for `operation`, with every input a deep-frozen copy. */
function attempt(
  registry: PlanningRegistry,
  tenant: Tenant,
  operation: Operation,
): { plan?: Plan; refusal?: { code: string; message: string } } {
  const state = frozenCopy(tenant.state);
  const op = frozenCopy(operation);
  try {
    return { plan: planFor(registry, state, op, tenant.history) };
  } catch (error) {
    if (!isModregError(error)) throw error;
    return { refusal: { code: error.code, message: error.message } };
  }
}

function planFor(
  registry: PlanningRegistry,
  state: TenantState,
  op: Operation,
  history: readonly TenantSettings[],
): Plan {
  switch (op.kind) {
    case 'enable':
      return planEnable(registry, state, op.modules, { withDeps: op.withDeps });
    case 'disable':
      return planDisable(registry, state, op.modules, { cascade: op.cascade });
    case 'flags':
      return planFlags(
        registry,
        state,
        { set: Object.fromEntries(op.set), unset: op.unset },
        { strict: op.strict },
      );
    case 'rollback': {
      const revision = op.pick % history.length;
      return planRollback(
        registry,
        state,
        frozenCopy(history[revision] as TenantSettings),
        revision,
      );
    }
    case 'restore':
      return planRollback(registry, state, op.target, state.revision);
  }
}

/** What an accepted plan must satisfy, whatever the operation. */
function checkPlan(
  registry: PlanningRegistry,
  state: TenantState,
  plan: Plan,
  op: Operation,
): void {
  expect(plan.tenant).toBe(state.tenant);
  const before = enabledModules(registry, state);
  const after = new Set(enabledModules(registry, plan.next));
  // Applying the changes one at a time never breaks a requirement, and ends at `next`.
  const on = new Set(before);
  const flags = new Map(Object.entries(state.flags));
  for (const change of plan.changes) {
    if (change.action === 'enable') {
      expect(on.has(change.module as string)).toBe(false);
      expect(requirements(registry, change.module as string).every((d) => on.has(d))).toBe(true);
      on.add(change.module as string);
    } else if (change.action === 'disable') {
      on.delete(change.module as string);
      for (const m of on) expect(requirements(registry, m)).not.toContain(change.module);
    } else if (change.action === 'set') {
      expect(change.from).toEqual(flags.get(change.flag as string));
      flags.set(change.flag as string, change.to as never);
    } else {
      expect(change.from).toEqual(flags.get(change.flag as string));
      flags.delete(change.flag as string);
    }
  }
  expect(after).toEqual(on);
  expect(plan.next.flags).toEqual(Object.fromEntries(flags));
  if (plan.changes.length === 0) {
    expect(plan.next).toEqual({ modules: state.modules, flags: state.flags });
  }
  const added = [...after].filter((m) => !before.includes(m));
  const removed = before.filter((m) => !after.has(m));
  if (op.kind === 'enable') {
    for (const m of op.modules) expect(after.has(m)).toBe(true);
    const wanted = closure(registry, op.modules);
    for (const m of added) expect(op.modules.includes(m) || wanted.has(m)).toBe(true);
  } else if (op.kind === 'disable') {
    for (const m of op.modules) expect(after.has(m) || plan.next.modules.includes(m)).toBe(false);
    for (const m of removed) {
      expect(op.modules.includes(m) || requiresAny(registry, m, op.modules)).toBe(true);
    }
  } else if (op.kind === 'rollback') {
    const target = op.pick % (state.revision + 1);
    expect(plan.operation).toBe(`roll back to revision ${target}`);
  }
}

/** The invariants every committed state keeps. */
function checkTenant(registry: PlanningRegistry, { state, history }: Tenant): void {
  expect(state.revision).toBe(history.length - 1);
  const core = new Set(registry.core);
  expect(state.modules).toEqual([...new Set(state.modules)].sort());
  for (const m of state.modules) expect(core.has(m)).toBe(false);
  const all = new Set([...state.modules, ...registry.core]);
  for (const m of all) {
    expect(registry.modules.has(m) && !registry.blocked.has(m)).toBe(true);
    for (const dep of requirements(registry, m)) expect(all.has(dep)).toBe(true);
  }
  const effective = enabledModules(registry, state);
  expect(new Set(effective)).toEqual(all);
  expect(effective).toEqual(registry.order.filter((m) => all.has(m)));
  for (const [name, record] of registry.modules) {
    if (record.core && !registry.blocked.has(name)) expect(effective).toContain(name);
  }
  for (const [key, value] of Object.entries(state.flags)) {
    expect(key).toMatch(FLAG_KEY);
    expect(flagValueProblem(registry, key, value)).toBeUndefined();
  }
}

function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
