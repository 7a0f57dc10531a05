import { ModregError } from '../errors.js';
import { TENANT_ID_PATTERN } from '../stores/types.js';
import { shownText } from './message-text.js';

/** The tenant id rule, in words, for messages. */
export const TENANT_ID_RULE =
  'a tenant id is 1 to 128 letters (A-Z, a-z), digits, ".", "_" or "-", starting with a letter or digit';

/**
 * Throws an `invalid` {@link ModregError} unless `id` matches `TENANT_ID_PATTERN`
 * (`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`). The message shows the id escaped and cut short, so
 * a hostile id can neither flood nor drive the terminal.
 */
export function validateTenantId(id: string): void {
  if (typeof id !== 'string') {
    throw new ModregError(
      'invalid',
      `A tenant id must be a string, not ${id === null ? 'null' : typeof id}; ${TENANT_ID_RULE}.`,
    );
  }
  if (TENANT_ID_PATTERN.test(id)) return;
  throw new ModregError(
    'invalid',
    `Tenant id ${shownText(id)} is not valid: ${TENANT_ID_RULE}. Choose an id that follows this rule.`,
  );
}
