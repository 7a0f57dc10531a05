import type { ChangeEvent, TenantSnapshot } from '../types.js';

/** The `change` event for a tenant whose snapshot went from `before` to `after`. */
export function changeEvent(before: TenantSnapshot, after: TenantSnapshot): ChangeEvent {
  const was = new Set(before.modules);
  const now = new Set(after.modules);
  const modulesChanged = [
    ...before.modules.filter((name) => !now.has(name)),
    ...after.modules.filter((name) => !was.has(name)),
  ];
  const old = before.flags();
  const next = after.flags();
  const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
  const flagsChanged = [...keys].filter(
    (key) =>
      Object.hasOwn(old, key) !== Object.hasOwn(next, key) ||
      JSON.stringify(old[key]) !== JSON.stringify(next[key]),
  );
  return {
    tenant: after.tenant,
    revision: after.revision,
    previousRevision: before.revision,
    modules: after.modules,
    modulesChanged,
    flagsChanged,
  };
}
