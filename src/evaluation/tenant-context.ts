import { shownText } from '../message-text.js';
import { isTenantId, TENANT_ID_RULE } from '../tenant/tenant-id.js';

/**
 * An evaluation context as OpenFeature and OFREP send it: attributes by name, `targetingKey`
 * among them. The SDK's `EvaluationContext` is one; a parsed OFREP request body is another.
 */
export type ContextAttributes = Readonly<Record<string, unknown>>;

/** Why an evaluation context names no usable tenant: an OpenFeature error code and a message. */
export interface TenantProblem {
  code: 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT';
  message: string;
}

/**
 * The tenant an evaluation context names: `context[attribute]` when present, else its
 * `targetingKey` (unless `useTargetingKey` is false). Returns the id as given, unchecked,
 * so that the hot path can look it up in the cache before paying for the id rule (a cached
 * tenant's id is valid); {@link checkTenant} applies the rule. A problem is returned, never
 * thrown: an evaluation must not throw.
 */
export function tenantOf(
  context: ContextAttributes,
  attribute: string,
  useTargetingKey: boolean,
): string | TenantProblem {
  const named = Object.hasOwn(context, attribute) ? context[attribute] : undefined;
  if (named !== undefined && named !== null) {
    if (typeof named === 'string' && named !== '') return named;
    return {
      code: 'INVALID_CONTEXT',
      message: `The evaluation context's "${attribute}" attribute must be a tenant id (a non-empty string), not ${describe(named)}.`,
    };
  }
  const key = useTargetingKey ? context.targetingKey : undefined;
  if (typeof key === 'string' && key !== '') return key;
  return {
    code: 'TARGETING_KEY_MISSING',
    message: useTargetingKey
      ? `The evaluation context names no tenant: set its targetingKey or its "${attribute}" attribute to the tenant id.`
      : `The evaluation context names no tenant: set its "${attribute}" attribute to the tenant id.`,
  };
}

/** `tenant` when it follows the tenant id rule, else the problem to answer with. */
export function checkTenant(tenant: string): string | TenantProblem {
  if (isTenantId(tenant)) return tenant;
  return {
    code: 'INVALID_CONTEXT',
    message: `The evaluation context names tenant ${shownText(tenant)}, which is not a valid tenant id: ${TENANT_ID_RULE}.`,
  };
}

function describe(value: unknown): string {
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return `a ${typeof value}`;
}
