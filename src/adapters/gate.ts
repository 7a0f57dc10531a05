import { isModregError } from '../errors.js';
import type { Modreg } from '../runtime/modreg.js';
import type { ModuleStatus, RequestTenant, TenantSnapshot } from '../runtime/types.js';
import type { JsonValue } from '../tenant/types.js';

/**
 * Whether a request may reach a module's routes: the tenant to hand the handler, or the
 * refusal to answer — the same status and JSON body under every HTTP adapter.
 */
export type GateVerdict =
  | { admitted: true; tenant: RequestTenant }
  | { admitted: false; status: 400 | 403 | 503; body: RefusalBody };

/** The JSON body of a refusal; `error` is the stable part a client branches on. */
export interface RefusalBody {
  error:
    | 'tenant-required'
    | 'tenant-invalid'
    | 'module-disabled'
    | 'module-unavailable'
    | 'state-unavailable'
    | 'modreg-unavailable';
  module?: string;
  tenant?: string;
  message?: string;
  /** For `module-unavailable`: `failed` or `blocked` (or `enabled`, not loaded). */
  state?: ModuleStatus['state'];
  reason?: string;
}

/**
 * Decides one request for `module`, its tenant resolved (undefined or '' when none was
 * found): no tenant → 400 `tenant-required`; a bad id → 400 `tenant-invalid`; the module off
 * for the tenant → 403 `module-disabled`; failed, blocked or not loaded → 503
 * `module-unavailable` with the state and reason; the store unreachable for a tenant never
 * seen → 503 `state-unavailable`. Rejects with anything that is not a `ModregError` (a bug,
 * for the framework's error handling).
 */
export async function admitRequest(
  modreg: Modreg,
  module: string,
  tenant: string | undefined,
): Promise<GateVerdict> {
  if (tenant === undefined || tenant === '') {
    return refuse(400, {
      error: 'tenant-required',
      module,
      message: 'No tenant found for this request.',
    });
  }
  let status: ModuleStatus;
  try {
    status = await modreg.moduleStatus(tenant, module);
  } catch (error) {
    if (!isModregError(error)) throw error;
    return error.code === 'invalid'
      ? refuse(400, { error: 'tenant-invalid', module, message: error.message })
      : refuse(503, { error: 'state-unavailable', module, tenant, message: error.message });
  }
  if (status.state === 'disabled') {
    return refuse(403, {
      error: 'module-disabled',
      module,
      tenant,
      message: `Module "${module}" is not enabled for tenant "${tenant}".`,
    });
  }
  if (status.state !== 'loaded') {
    return refuse(503, {
      error: 'module-unavailable',
      module,
      tenant,
      state: status.state,
      reason: status.reason,
    });
  }
  // The snapshot moduleStatus just used; read again only if it was dropped meanwhile.
  const snapshot = modreg.peek(tenant) ?? (await modreg.snapshot(tenant).catch(() => undefined));
  if (snapshot === undefined) return refuse(503, { error: 'state-unavailable', module, tenant });
  return { admitted: true, tenant: new AdmittedTenant(tenant, snapshot) };
}

/** The body of a 503 for an instance that could not start: `modreg-unavailable`, and why. */
export function unavailableBody(error: { message: string }): RefusalBody {
  return { error: 'modreg-unavailable', message: error.message };
}

/**
 * The tenant as handlers see it. `flags` is built on first read (then kept): it copies every
 * declared flag, and most requests never look. A class, so the getter sits on the prototype:
 * an object literal with an accessor is built slowly, once per request.
 */
class AdmittedTenant implements RequestTenant {
  #flags: Record<string, JsonValue> | undefined;

  constructor(
    public id: string,
    public snapshot: TenantSnapshot,
  ) {}

  get flags(): Record<string, JsonValue> {
    this.#flags ??= this.snapshot.flags();
    return this.#flags;
  }

  set flags(value: Record<string, JsonValue>) {
    this.#flags = value;
  }

  toJSON() {
    return { id: this.id, snapshot: this.snapshot, flags: this.flags };
  }
}

function refuse(status: 400 | 403 | 503, body: RefusalBody): GateVerdict {
  return { admitted: false, status, body };
}
