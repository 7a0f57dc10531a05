import { type OpenFeatureEventEmitter, ProviderEvents } from '@openfeature/server-sdk';
import type { FlagIndex } from '../evaluation/flag-index.js';
import type { Modreg } from '../runtime/modreg.js';
import type { ChangeEvent, Health, RegistryEvent } from '../runtime/types.js';

/** What {@link followModreg} needs: the instance, where to emit, and the provider's index. */
export interface FollowOptions {
  modreg: Modreg;
  events: OpenFeatureEventEmitter;
  index(): FlagIndex;
  /** Builds the index again from `modreg.modules()`. */
  reindex(): void;
}

/** The provider's view of the instance's events, until {@link ModregFollowing.stop}. */
export interface ModregFollowing {
  /** True while `health().status` is `stale`: served values then say `STALE`. */
  readonly stale: boolean;
  /**
   * `initialize` finished, with the status the SDK now shows (`ready`, or `error` when it
   * threw): from now on a change of health is announced as `PROVIDER_READY`,
   * `PROVIDER_STALE` or `PROVIDER_ERROR`.
   */
  settled(status: 'ready' | 'error'): void;
  /** Removes every listener this follower added. */
  stop(): void;
}

/**
 * Turns the instance's events into provider events: each `change` (made by the CLI, another
 * instance, this one, the admin API) is `PROVIDER_CONFIGURATION_CHANGED` with the flags whose
 * answer differs — the flags that changed, and for each module switched on or off its module
 * key and the flags it declares (they go from `DISABLED` to served, or back); a new registry
 * is one too, for the modules it added, removed or changed. `health` is followed as the SDK's
 * status: `stale` → `PROVIDER_STALE`, `failing` → `PROVIDER_ERROR`, `ok` or `degraded` (module
 * code failed; flags are current) → `PROVIDER_READY`.
 */
export function followModreg(options: FollowOptions): ModregFollowing {
  const { modreg, events } = options;
  let stale = modreg.health().status === 'stale';
  let announced: Announced | undefined;
  let pending: NodeJS.Immediate | undefined;

  const announce = (health: Health) => {
    const status = announcedStatus(health);
    if (announced === undefined || status === announced) return;
    announced = status;
    if (status === 'ready') {
      options.reindex();
      events.emit(ProviderEvents.Ready, { message: 'modreg is serving current state' });
    } else if (status === 'stale') {
      events.emit(ProviderEvents.Stale, { message: health.reason ?? 'modreg is stale' });
    } else {
      events.emit(ProviderEvents.Error, { message: health.reason ?? 'modreg is failing' });
    }
  };
  const onHealth = (health: Health) => {
    stale = health.status === 'stale';
    announce(health);
  };
  const onChange = (event: ChangeEvent) => {
    const flagsChanged = [...event.flagsChanged, ...options.index().keysOf(event.modulesChanged)];
    events.emit(ProviderEvents.ConfigurationChanged, {
      flagsChanged: [...new Set(flagsChanged)],
      metadata: { tenant: event.tenant, revision: event.revision },
    });
  };
  const onRegistry = (event: RegistryEvent) => {
    const touched = [...event.added, ...event.removed, ...event.changed];
    const before = options.index().keysOf(touched);
    options.reindex();
    const flagsChanged = [...new Set([...before, ...options.index().keysOf(touched)])];
    events.emit(ProviderEvents.ConfigurationChanged, {
      flagsChanged,
      message: 'the module registry changed',
    });
  };
  modreg.on('health', onHealth);
  modreg.on('change', onChange);
  modreg.on('registry', onRegistry);
  return {
    get stale() {
      return stale;
    },
    settled(status) {
      announced = status;
      // The SDK sets the status from initialize's outcome once it settles: a difference
      // announced now would be overwritten, so it waits for the SDK's turn to pass.
      pending = setImmediate(() => {
        pending = undefined;
        onHealth(modreg.health());
      });
    },
    stop() {
      clearImmediate(pending);
      announced = undefined;
      modreg.off('health', onHealth);
      modreg.off('change', onChange);
      modreg.off('registry', onRegistry);
    },
  };
}

type Announced = 'ready' | 'stale' | 'error';

function announcedStatus(health: Health): Announced {
  if (health.status === 'stale') return 'stale';
  return health.status === 'failing' ? 'error' : 'ready';
}
