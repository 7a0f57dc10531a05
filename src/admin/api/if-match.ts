import type { IncomingMessage } from 'node:http';
import type { RuntimeChange } from '../../runtime/types.js';
import { AdminRequestError, badRequest } from '../http/request-error.js';

/**
 * The revision an `If-Match` header names — `3`, `"3"` (the ETag of a tenant read) or
 * `W/"3"` — for a compare-and-set change; undefined without the header.
 */
export function expectedRevision(req: IncomingMessage): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  const found = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  const revision = found === null ? Number.NaN : Number(found[1]);
  if (!Number.isSafeInteger(revision)) {
    throw badRequest(
      `If-Match takes the tenant's revision, e.g. If-Match: "3" (the ETag of GET /api/tenants/{tenant}), not ${JSON.stringify(header.slice(0, 40))}.`,
    );
  }
  return revision;
}

/** The ETag of a tenant at `revision`. */
export function revisionTag(revision: number): string {
  return `"${revision}"`;
}

/**
 * A dry run plans against whatever the tenant holds now; with `If-Match` it is refused like
 * a change would be when the tenant has moved on.
 */
export function checkDryRun(change: RuntimeChange, expected: number | undefined): void {
  if (!change.dryRun || expected === undefined || change.revision === expected) return;
  throw new AdminRequestError(
    412,
    'conflict',
    `Tenant "${change.tenant}" is at revision ${change.revision}, not ${expected} (If-Match): it changed since you read it. Read it again and retry.`,
  );
}
