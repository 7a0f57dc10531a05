import { dirname } from 'node:path';
import type { Finding } from '../../doctor/finding.js';
import { problemFindings, registryFindings } from '../../doctor/registry-findings.js';
import { tenantFindings } from '../../doctor/unavailable-modules.js';
import { isModregError } from '../../errors.js';
import { discoverModules } from '../../registry/discover.js';
import type { ApiContext } from './api-context.js';
import { readTenantState } from './tenant-state.js';

/** Doctor's findings as the health endpoint reports them. */
export interface DoctorReport {
  ok: boolean;
  /** Tenants checked for modules that will not load. */
  tenants: number;
  /** False when there are more tenants than the health endpoint checks. */
  complete: boolean;
  findings: Finding[];
}

/** Tenant reads in flight at once while checking. */
const READS_AT_ONCE = 32;

/**
 * What `modreg doctor` checks, against the running instance: the store answers; the registry
 * it holds matches the modules on disk (when `api.doctor` names the directory), and those
 * have no config problems; no tenant — of the first `healthTenantLimit` — has a module on
 * that is gone, blocked, or now requires one it lacks.
 */
export async function doctorReport(api: ApiContext): Promise<DoctorReport> {
  const { modreg } = api;
  const findings: Finding[] = [...(await registryCheck(api))];
  const info = modreg.registryInfo();
  if (info.problems.length > 0 && api.doctor === undefined) {
    findings.push({
      check: 'registry',
      subject: info.source,
      message: `${info.problems.length} config problem${info.problems.length === 1 ? '' : 's'}; run "modreg validate".`,
    });
  }
  let tenants = 0;
  let complete = true;
  try {
    const registry = api.views.planning();
    let cursor: string | undefined;
    do {
      const limit = Math.min(1000, api.healthTenantLimit - tenants);
      const page = await modreg.tenants({ limit, ...(cursor === undefined ? {} : { cursor }) });
      for (let start = 0; start < page.tenants.length; start += READS_AT_ONCE) {
        const batch = page.tenants.slice(start, start + READS_AT_ONCE);
        const states = await Promise.allSettled(batch.map((t) => readTenantState(modreg, t)));
        states.forEach((outcome, i) => {
          const tenant = batch[i] as string;
          if (outcome.status === 'rejected') {
            const message = (outcome.reason as Error)?.message ?? String(outcome.reason);
            findings.push({
              check: 'tenant',
              subject: tenant,
              message: `cannot be read: ${message}`,
            });
          } else if (outcome.value !== undefined) {
            findings.push(...tenantFindings(registry, outcome.value));
          }
        });
      }
      tenants += page.tenants.length;
      cursor = page.next;
      if (cursor !== undefined && tenants >= api.healthTenantLimit) complete = false;
    } while (cursor !== undefined && complete);
  } catch (error) {
    if (!isModregError(error)) throw error;
    const { location } = modreg.health().store;
    findings.push({
      check: 'store',
      subject: location,
      message: `the store does not answer: ${error.message}`,
    });
    complete = false;
  }
  return { ok: findings.length === 0, tenants, complete, findings };
}

/** The registry the instance holds against the modules directory on disk. */
async function registryCheck(api: ApiContext): Promise<Finding[]> {
  if (api.doctor === undefined) return [];
  const { modulesDir, root = dirname(modulesDir), ignore, jsonOnly } = api.doctor;
  const name = api.modreg.registryInfo().source;
  try {
    const current = await discoverModules({
      root,
      modulesDir,
      ...(ignore === undefined ? {} : { ignore }),
      ...(jsonOnly === undefined ? {} : { jsonOnly }),
    });
    return [
      ...registryFindings({ modules: api.modreg.modules() }, current, name),
      ...problemFindings(current),
    ];
  } catch (error) {
    if (!isModregError(error)) throw error;
    return [{ check: 'registry', subject: modulesDir, message: error.message }];
  }
}
