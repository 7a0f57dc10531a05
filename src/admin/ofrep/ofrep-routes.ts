import { isModregError } from '../../errors.js';
import { evaluateKey } from '../../evaluation/evaluate-key.js';
import { type ContextAttributes, checkTenant, tenantOf } from '../../evaluation/tenant-context.js';
import type { EvaluationSettings } from '../../evaluation/types.js';
import type { TenantSnapshot } from '../../runtime/types.js';
import type { ApiContext } from '../api/api-context.js';
import { AdminRequestError } from '../http/request-error.js';
import type { Route, RouteContext, RouteReply } from '../router.js';
import type { AdminOfrepOptions } from '../types.js';
import { bulkEtag, matchesIfNoneMatch } from './bulk-etag.js';
import { bulkKeys } from './bulk-keys.js';
import { type OfrepFlag, ofrepFailure, ofrepFlag } from './ofrep-answers.js';

/**
 * The OpenFeature Remote Evaluation Protocol on the admin server: one flag
 * (`POST /ofrep/v1/evaluate/flags/{key}`) or every flag (`POST /ofrep/v1/evaluate/flags`, with
 * an ETag) for the tenant the context names (its `tenant` attribute, else its `targetingKey`,
 * as the provider's options say), answered by {@link evaluateKey} as the in-process provider
 * is. Any token may read them; nothing here loads an OpenFeature package.
 */
export function ofrepRoutes(api: ApiContext, options: AdminOfrepOptions = {}): Route[] {
  const { modreg } = api;
  const attribute = options.tenantAttribute ?? 'tenant';
  const useTargetingKey = options.targetingKeyIsTenant ?? true;
  // Read once per request: a bulk answer is one view, and health() is not free per key.
  const settingsNow = (): EvaluationSettings => ({ stale: modreg.health().status === 'stale' });

  /**
   * The snapshot of the tenant the request's context names, or the OFREP reply that says why
   * there is none: 400 `PARSE_ERROR` for a body that is not a JSON object, 400
   * `INVALID_CONTEXT` / `TARGETING_KEY_MISSING` for a context naming no valid tenant, 500
   * `GENERAL` (with Retry-After) when modreg has not started or the store does not answer.
   */
  const tenantSnapshot = async (
    ctx: RouteContext,
    key: string | undefined,
  ): Promise<{ snapshot: TenantSnapshot } | { reply: RouteReply }> => {
    const context = await requestContext(ctx, key);
    if ('reply' in context) return context;
    const named = tenantOf(context.context, attribute, useTargetingKey);
    const tenant = typeof named === 'string' ? checkTenant(named) : named;
    if (typeof tenant !== 'string') {
      return { reply: ofrepFailure(400, key, tenant.code, tenant.message) };
    }
    try {
      if (!modreg.isReady()) await modreg.ready();
      return { snapshot: modreg.peek(tenant) ?? (await modreg.snapshot(tenant)) };
    } catch (error) {
      if (!isModregError(error)) throw error;
      // OFREP has no 503: its clients read a failure body on 400, 404 and 500 only.
      const details = `modreg cannot read tenant "${tenant}" now: ${error.message}`;
      return { reply: ofrepFailure(500, key, 'GENERAL', details, { 'Retry-After': '1' }) };
    }
  };

  return [
    {
      method: 'POST',
      path: '/ofrep/v1/evaluate/flags/{key}',
      beforeReady: true,
      async handle(ctx) {
        const key = ctx.params.key as string;
        const found = await tenantSnapshot(ctx, key);
        if ('reply' in found) return found.reply;
        const entry = api.views.flagIndex().get(key);
        const flag = ofrepFlag(key, evaluateKey(found.snapshot, entry, key, settingsNow()));
        return { status: 'errorCode' in flag ? 404 : 200, body: flag };
      },
    },
    {
      method: 'POST',
      path: '/ofrep/v1/evaluate/flags',
      beforeReady: true,
      async handle(ctx) {
        const found = await tenantSnapshot(ctx, undefined);
        if ('reply' in found) return found.reply;
        const { snapshot } = found;
        const index = api.views.flagIndex();
        const settings = settingsNow();
        const names = modreg.modules().map((record) => record.name);
        const flags = bulkKeys(index, names, snapshot).map(
          // Every key listed has an answer: a module's, declared, or set by the tenant.
          (key) =>
            ofrepFlag(key, evaluateKey(snapshot, index.get(key), key, settings)) as OfrepFlag,
        );
        const body = { flags, metadata: { tenant: snapshot.tenant, revision: snapshot.revision } };
        const etag = bulkEtag(JSON.stringify(body));
        const given = ctx.req.headers['if-none-match'];
        if (matchesIfNoneMatch(given, etag)) {
          // The client's copy is this answer: the ETag again, no body.
          ctx.res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-store' });
          ctx.res.end();
          return undefined;
        }
        return { body, headers: { ETag: etag } };
      },
    },
  ];
}

/** The request body's `context`: 400 `PARSE_ERROR` or `INVALID_CONTEXT` when there is none. */
async function requestContext(
  ctx: RouteContext,
  key: string | undefined,
): Promise<{ context: ContextAttributes } | { reply: RouteReply }> {
  let body: unknown;
  try {
    body = await ctx.json();
  } catch (error) {
    if (error instanceof AdminRequestError && error.status === 400) {
      const details = `${error.message} OFREP takes { "context": { "targetingKey": "<tenant id>" } }.`;
      return { reply: ofrepFailure(400, key, 'PARSE_ERROR', details) };
    }
    throw error;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const details =
      'The request body must be a JSON object: { "context": { "targetingKey": "<tenant id>" } }.';
    return { reply: ofrepFailure(400, key, 'PARSE_ERROR', details) };
  }
  const { context } = body as Record<string, unknown>;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    const shown = Array.isArray(context) ? 'an array' : JSON.stringify(context)?.slice(0, 40);
    const details = `The request body needs a context object naming the tenant: { "context": { "targetingKey": "<tenant id>" } }${context === undefined ? '' : `, not ${shown}`}.`;
    return { reply: ofrepFailure(400, key, 'INVALID_CONTEXT', details) };
  }
  return { context: context as ContextAttributes };
}
