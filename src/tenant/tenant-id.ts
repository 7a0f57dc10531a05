import { ModregError } from '../errors.js';
import { shownText } from '../message-text.js';

/** Tenant ids: what every store, the planner and the runtime accept. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The tenant id rule, in words, for messages. */
export const TENANT_ID_RULE =
  'a tenant id is 1 to 128 letters (A-Z, a-z), digits, ".", "_" or "-", starting with a letter or digit';

/** True when `id` is a string that follows {@link TENANT_ID_PATTERN}. */
export function isTenantId(id: unknown): id is string {
  return typeof id === 'string' && TENANT_ID_PATTERN.test(id);
}

/**
 * Returns `id` when it is a valid tenant id (`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`), and
 * throws an `invalid` {@link ModregError} otherwise. The message shows the id escaped and cut
 * short, so a hostile id can neither flood nor drive the terminal. The one rule every entry
 * point checks: the stores, the planner, the runtime, the CLI and the admin API.
 */
export function validateTenantId(id: unknown): string {
  if (isTenantId(id)) return id;
  if (typeof id !== 'string') {
    throw new ModregError(
      'invalid',
      `A tenant id must be a string, not ${id === null ? 'null' : typeof id}; ${TENANT_ID_RULE}.`,
    );
  }
  throw new ModregError(
    'invalid',
    `Tenant id ${shownText(id)} is not valid: ${TENANT_ID_RULE}. Choose an id that follows this rule.`,
  );
}
