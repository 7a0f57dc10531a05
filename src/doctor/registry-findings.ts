import type { ModuleRecord, Registry } from '../registry/types.js';
import type { Finding } from './finding.js';

/**
 * Differences between the modules a registry records (a registry file, or the ones a running
 * instance holds; `name` is how that registry is shown) and the modules as discovered now,
 * and the config problems of those modules.
 */
export function registryFindings(
  recorded: { readonly modules: readonly ModuleRecord[] },
  current: Registry,
  name: string,
): Finding[] {
  const findings: Finding[] = [];
  const stale = (message: string) =>
    findings.push({
      check: 'registry',
      subject: name,
      message: `${message}; run "modreg discover".`,
    });
  const before = new Map(recorded.modules.map((m) => [m.name, m]));
  const now = new Map(current.modules.map((m) => [m.name, m]));
  for (const [moduleName, m] of now) {
    const old = before.get(moduleName);
    if (old === undefined) stale(`module "${moduleName}" (${m.file}) is not in the registry file`);
    else if (old.version !== m.version)
      stale(
        `module "${moduleName}" is ${m.version} on disk but ${old.version} in the registry file`,
      );
    else if (JSON.stringify(old.dependencies) !== JSON.stringify(m.dependencies)) {
      stale(`the dependencies of "${moduleName}" changed since the registry file was written`);
    }
  }
  for (const moduleName of before.keys()) {
    if (!now.has(moduleName))
      stale(
        `module "${moduleName}" is in the registry file but no longer in ${current.modulesDir}`,
      );
  }
  return findings;
}

/** The config problems of the modules on disk, as one finding. */
export function problemFindings(current: Registry): Finding[] {
  const count = current.problems.length;
  if (count === 0) return [];
  return [
    {
      check: 'registry',
      subject: current.modulesDir,
      message: `${count} config problem${count === 1 ? '' : 's'}; run "modreg validate".`,
    },
  ];
}
