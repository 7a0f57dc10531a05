import { shownPlain, shownText } from '../message-text.js';
import type { CheckedModule, ModuleProblem } from './checks.js';
import { pointerSegment } from './json-source.js';

/**
 * Flag keys declared by more than one module: a tenant has one value per key. When the key's
 * prefix (`users.` in `users.max-seats`) names one of the declaring modules, that module owns
 * it and every other declarer is told so; otherwise the first declarer (by file) keeps it.
 * `modules` sorted by file; `names` every module name. Pure.
 */
export function flagOwnerProblems(
  modules: readonly CheckedModule[],
  names: ReadonlySet<string>,
): ModuleProblem[] {
  const declarers = new Map<string, CheckedModule[]>();
  for (const m of modules) {
    for (const key of Object.keys(m.record.flags)) {
      const list = declarers.get(key);
      if (list === undefined) declarers.set(key, [m]);
      else list.push(m);
    }
  }
  const problems: ModuleProblem[] = [];
  for (const [key, list] of declarers) {
    if (list.length < 2) continue;
    const dot = key.indexOf('.');
    const prefix = dot === -1 ? undefined : key.slice(0, dot);
    const named = list.find((m) => m.record.name === prefix);
    const owner = named ?? (list[0] as CheckedModule);
    // A key prefixed with another module's name gets this module's name instead.
    const rest = prefix !== undefined && names.has(prefix) ? key.slice(dot + 1) : key;
    for (const m of list) {
      if (m === owner) continue;
      const own = shownText(`${m.record.name}.${rest}`, 80);
      const where = `module ${shownText(owner.record.name, 80)} (${shownPlain(owner.record.file, 200)})`;
      const message =
        named === undefined
          ? `Flag ${shownText(key, 80)} is already declared by ${where}; a tenant has one value per flag key, so declare it in one module only, or prefix it with the module name (${own}).`
          : `Flag ${shownText(key, 80)} is named for ${where}, which declares it too; a tenant has one value per flag key. Leave it to ${shownPlain(owner.record.name, 80)}, or rename it ${own} here.`;
      problems.push({
        module: m.record.name,
        file: m.record.file,
        pointer: `/flags/${pointerSegment(key)}`,
        message,
        blocking: false,
      });
    }
  }
  return problems;
}
