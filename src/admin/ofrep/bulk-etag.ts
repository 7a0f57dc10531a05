import { createHash } from 'node:crypto';

/**
 * The ETag of a bulk answer: a hash of the answer itself. Everything the answer depends on —
 * the tenant and its revision (in its metadata), the registry, whether the instance is stale —
 * changes it, and nothing else does (other context attributes, another instance, a restart),
 * so a client's `If-None-Match` gets a 304 exactly when it already holds this answer.
 */
export function bulkEtag(text: string): string {
  return `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
}

/**
 * True when an `If-None-Match` header names `etag`: one of its comma-separated tags (weak or
 * strong: If-None-Match compares weakly), or `*`.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const tag = part.trim();
    return tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === etag;
  });
}
