import type { RegistryFile } from '../../registry/registry-file.js';
import type { Registry } from '../../registry/types.js';
import { plural } from '../render.js';
import type { Finding } from './finding.js';

/**
 * Differences between the registry file (`name`, as shown) and the modules as they are now,
 * and the config problems of those modules.
 */
export function registryFindings(file: RegistryFile, current: Registry, name: string): Finding[] {
  const findings: Finding[] = [];
  const stale = (message: string) =>
    findings.push({
      check: 'registry',
      subject: name,
      message: `${message}; run "modreg discover".`,
    });
  const before = new Map(file.modules.map((m) => [m.name, m]));
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
  if (current.problems.length === 0) return [];
  return [
    {
      check: 'registry',
      subject: current.modulesDir,
      message: `${plural(current.problems.length, 'config problem')}; run "modreg validate".`,
    },
  ];
}
