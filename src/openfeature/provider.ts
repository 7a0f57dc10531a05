import {
  type EvaluationContext,
  GeneralError,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderFatalError,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { isModregError } from '../errors.js';
import { createFlagIndex, type FlagIndex } from '../evaluation/flag-index.js';
import { checkTenant, type TenantProblem, tenantOf } from '../evaluation/tenant-context.js';
import type { EvaluationSettings } from '../evaluation/types.js';
import type { FlagType } from '../registry/types.js';
import type { Modreg } from '../runtime/modreg.js';
import { followModreg, type ModregFollowing } from './modreg-events.js';
import type { ModregProviderOptions } from './options.js';
import { failure, resolveKey } from './resolve.js';

/**
 * An OpenFeature server provider over a {@link Modreg} instance: each evaluation answers for
 * the tenant its context names, from that tenant's snapshot — synchronously from the cache
 * for a tenant held (`modreg.peek`), after one store read for the others. Flags are typed by
 * their declarations; `module:<name>` keys say whether a module is on. Evaluations never
 * throw: a problem is an error result with the caller's default.
 *
 * `onClose` removes what the provider added to the instance and leaves the instance open
 * (whoever made it closes it); `createModregProvider` makes a provider that owns its own.
 * A class, as OpenFeature providers are (`new ModregProvider(modreg)`): the SDK tells
 * providers apart by identity.
 */
export class ModregProvider implements Provider {
  readonly metadata = { name: 'modreg' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  /** The instance the provider reads. */
  readonly modreg: Modreg;
  readonly #attribute: string;
  readonly #useTargetingKey: boolean;
  readonly #waitForSync: boolean;
  readonly #settings: EvaluationSettings;
  #index: FlagIndex = createFlagIndex([]);
  #following: ModregFollowing | undefined;

  constructor(modreg: Modreg, options: ModregProviderOptions = {}) {
    this.modreg = modreg;
    this.#attribute = options.tenantAttribute ?? 'tenant';
    this.#useTargetingKey = options.targetingKeyIsTenant ?? true;
    this.#waitForSync = options.waitForSync ?? false;
    const provider = this;
    this.#settings = {
      get stale() {
        return provider.#following?.stale ?? false;
      },
      variant: options.variant,
    };
  }

  /**
   * Resolves once `modreg.ready()` does (and `synced()`, with `waitForSync`). A start that
   * modreg retries (the store unreachable, no registry file yet) is an error the SDK shows as
   * `ERROR`, followed by `PROVIDER_READY` once modreg starts; any other is `PROVIDER_FATAL`.
   */
  async initialize(): Promise<void> {
    this.#following ??= followModreg({
      modreg: this.modreg,
      events: this.events,
      index: () => this.#index,
      reindex: () => this.#reindex(),
    });
    const following = this.#following;
    try {
      await this.modreg.ready();
      if (this.#waitForSync) await this.modreg.synced();
    } catch (error) {
      following.settled('error');
      throw startFailure(error);
    }
    this.#reindex();
    following.settled('ready');
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return this.#resolve(flagKey, 'boolean', defaultValue, context);
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<string>> {
    return this.#resolve(flagKey, 'string', defaultValue, context);
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<number>> {
    return this.#resolve(flagKey, 'number', defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return this.#resolve(flagKey, 'json', defaultValue, context);
  }

  /** Stops following the instance's events; the instance itself stays open. */
  async onClose(): Promise<void> {
    this.#following?.stop();
    this.#following = undefined;
  }

  #resolve<T>(
    key: string,
    type: FlagType,
    fallback: T,
    context: EvaluationContext | undefined,
  ): Promise<ResolutionDetails<T>> {
    const named = tenantOf(context ?? {}, this.#attribute, this.#useTargetingKey);
    if (typeof named !== 'string') return Promise.resolve(contextProblem(fallback, named));
    // The hot path: a tenant held in the cache is answered without waiting for anything.
    const held = this.modreg.peek(named);
    if (held !== undefined) {
      return Promise.resolve(
        resolveKey(held, this.#index.get(key), key, type, fallback, this.#settings),
      );
    }
    const tenant = checkTenant(named);
    if (typeof tenant !== 'string') return Promise.resolve(contextProblem(fallback, tenant));
    return this.modreg.snapshot(tenant).then(
      (snapshot) => resolveKey(snapshot, this.#index.get(key), key, type, fallback, this.#settings),
      (error: unknown) =>
        failure(fallback, 'GENERAL', error instanceof Error ? error.message : String(error)),
    );
  }

  #reindex(): void {
    this.#index = createFlagIndex(this.modreg.modules());
  }
}

function contextProblem<T>(fallback: T, problem: TenantProblem): ResolutionDetails<T> {
  return failure(fallback, problem.code, problem.message);
}

/** What `initialize` throws when modreg does not start: fatal unless modreg retries. */
function startFailure(error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  if (isModregError(error) && error.code === 'environment') {
    return new GeneralError(
      `modreg cannot start yet: ${reason} It retries; the provider turns ready when it starts.`,
    );
  }
  return new ProviderFatalError(`modreg cannot start: ${reason}`);
}
