import {
  type Client,
  type EvaluationContext,
  type EvaluationDetails,
  type FlagEvaluationOptions,
  type FlagValue,
  type JsonValue,
  NOOP_TRANSACTION_CONTEXT_PROPAGATOR,
  OpenFeature,
  ProviderStatus,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { ModregProvider } from '../../../src/openfeature.js';
import { createModreg } from '../../../src/runtime/create-modreg.js';
import type { Modreg } from '../../../src/runtime/modreg.js';
import type { Store } from '../../../src/stores/types.js';
import { createTestModreg, createTestRegistry } from '../../../src/testing.js';
import { createControlledStore } from '../../runtime/controlled-store.js';
import { waitFor } from '../helpers.js';
import { createGatedStore, createRefusingStore } from '../stores.js';
import { type FlagdFlag, SPEC_TENANT, type SpecState, specState } from './spec-flags.js';

/** The provider states the scenarios ask for (`Given a <kind> provider`). */
export type ProviderKind = 'stable' | 'not ready' | 'error' | 'fatal' | 'stale';

/** The flag types the scenarios name (`a Float-flag`); integers and floats are both numbers. */
export type SpecType = 'boolean' | 'string' | 'integer' | 'float' | 'object';

/** A hook call the scenarios check: which hook, at which stage, with what. */
export interface HookCall {
  hook: string;
  stage: 'before' | 'after' | 'error' | 'finally';
  details?: EvaluationDetails<FlagValue>;
}

/** What one scenario's steps build up; fresh at every {@link SpecWorld.start}. */
export interface ScenarioState {
  flag?: { type: SpecType; key: string; fallback: FlagValue };
  invocation: EvaluationContext;
  options: FlagEvaluationOptions;
  details?: EvaluationDetails<FlagValue>;
  hookCalls: HookCall[];
  /** Context entries set at the transaction and before-hook levels. */
  transaction: EvaluationContext;
  beforeHooks: EvaluationContext;
  levels: string[];
  /** Facts a step recorded for a later one to check. */
  notes: Record<string, unknown>;
}

/** What the step definitions of one test file share: the provider under test, and its client. */
export interface SpecWorld {
  readonly state: SpecState;
  /** The scenario under way. */
  readonly scenario: ScenarioState;
  /** The scenario's client (of the default domain, bound to the provider under test). */
  readonly client: Client;
  /** The evaluation context the provider received last (what the SDK merged). */
  lastContext(): EvaluationContext | undefined;
  /**
   * Registers a modreg provider in the state asked for, over the specification's flags
   * mapped into modreg, with the tenant in the API-level context — as a server sets it
   * once per request.
   */
  start(kind: ProviderKind): Promise<void>;
  /** Closes what `start` opened and resets the OpenFeature API. */
  reset(): Promise<void>;
}

/** A world over `test-flags.json`'s flags. */
export function createSpecWorld(flags: Readonly<Record<string, FlagdFlag>>): SpecWorld {
  const state = specState(flags);
  const cleanups: (() => unknown)[] = [];
  let provider: RecordingProvider | undefined;
  let scenario = freshScenario();
  let client = OpenFeature.getClient();
  const track = (modreg: Modreg) => {
    cleanups.push(() => modreg.close());
    provider = new RecordingProvider(modreg, { variant: state.variant });
    return provider;
  };
  const opened = (store: Store, retryMs = 60_000) =>
    track(
      createModreg({
        registry: createTestRegistry(state.modules),
        store,
        logger: false,
        retryMs,
      }),
    );
  const world: SpecWorld = {
    state,
    get client() {
      return client;
    },
    get scenario() {
      return scenario;
    },
    lastContext: () => provider?.lastContext,
    async start(kind) {
      await world.reset();
      scenario = freshScenario();
      // One client per scenario: a client holds its own context and hooks.
      client = OpenFeature.getClient();
      OpenFeature.setContext({ targetingKey: SPEC_TENANT });
      if (kind === 'stable') {
        const modreg = await createTestModreg({ modules: state.modules, tenants: state.tenants });
        await OpenFeature.setProviderAndWait(track(modreg));
      } else if (kind === 'not ready') {
        const gated = createGatedStore({ tenants: state.tenants });
        // Opening the gate lets the start finish, so that closing does not wait on it.
        cleanups.unshift(() => gated.open());
        void OpenFeature.setProviderAndWait(opened(gated.store)).catch(() => undefined);
      } else if (kind === 'error') {
        const control = createControlledStore({ tenants: state.tenants });
        control.down = true;
        await OpenFeature.setProviderAndWait(opened(control.store)).catch(() => undefined);
      } else if (kind === 'fatal') {
        await OpenFeature.setProviderAndWait(opened(createRefusingStore())).catch(() => undefined);
      } else {
        const control = createControlledStore({ tenants: state.tenants });
        await OpenFeature.setProviderAndWait(opened(control.store, 20));
        for (const listener of control.listeners) listener.onPause?.('the change feed is away');
        await waitFor(() => client.providerStatus === ProviderStatus.STALE);
      }
    },
    async reset() {
      await OpenFeature.clearProviders();
      OpenFeature.clearHooks();
      OpenFeature.clearHandlers();
      OpenFeature.setContext({});
      OpenFeature.setTransactionContextPropagator(NOOP_TRANSACTION_CONTEXT_PROPAGATOR);
      for (const cleanup of cleanups.splice(0)) await cleanup();
      provider = undefined;
    },
  };
  return world;
}

function freshScenario(): ScenarioState {
  return {
    invocation: {},
    options: {},
    hookCalls: [],
    transaction: {},
    beforeHooks: {},
    levels: [],
    notes: {},
  };
}

/**
 * modreg's provider, keeping the context of its last resolution so that the context-merging
 * scenarios can see what the SDK merged ("a provider with retrievable context").
 */
class RecordingProvider extends ModregProvider {
  lastContext: EvaluationContext | undefined;

  override resolveBooleanEvaluation(key: string, fallback: boolean, context: EvaluationContext) {
    this.lastContext = context;
    return super.resolveBooleanEvaluation(key, fallback, context);
  }

  override resolveStringEvaluation(key: string, fallback: string, context: EvaluationContext) {
    this.lastContext = context;
    return super.resolveStringEvaluation(key, fallback, context);
  }

  override resolveNumberEvaluation(key: string, fallback: number, context: EvaluationContext) {
    this.lastContext = context;
    return super.resolveNumberEvaluation(key, fallback, context);
  }

  override resolveObjectEvaluation<T extends JsonValue>(
    key: string,
    fallback: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    this.lastContext = context;
    return super.resolveObjectEvaluation(key, fallback, context);
  }
}
