import type { ChangeListener } from '../../src/stores/types.js';

/** One thing a listener heard. */
export type Heard =
  | { kind: 'change'; tenant: string; revision: number; at: number }
  | { kind: 'reset'; reason: string; affects?: (tenant: string) => boolean; at: number }
  | { kind: 'pause'; reason: string; at: number }
  | { kind: 'resume'; at: number };

/** A listener that keeps everything it hears, in order. */
export interface FeedRecorder {
  listener: ChangeListener;
  heard: Heard[];
  /** True once an onChange said `tenant` is at `revision` or later. */
  announced(tenant: string, revision: number): boolean;
  /** The resets that cover `tenant`. */
  resetsOf(tenant: string): Heard[];
  count(kind: Heard['kind']): number;
}

/** Makes a {@link FeedRecorder}. */
export function recordListener(): FeedRecorder {
  const heard: Heard[] = [];
  const now = () => Date.now();
  return {
    heard,
    listener: {
      onChange: ({ tenant, revision }) =>
        void heard.push({ kind: 'change', tenant, revision, at: now() }),
      onReset: (reason, affects) =>
        void heard.push({ kind: 'reset', reason, ...(affects ? { affects } : {}), at: now() }),
      onPause: (reason) => void heard.push({ kind: 'pause', reason, at: now() }),
      onResume: () => void heard.push({ kind: 'resume', at: now() }),
    },
    announced: (tenant, revision) =>
      heard.some((h) => h.kind === 'change' && h.tenant === tenant && h.revision >= revision),
    resetsOf: (tenant) =>
      heard.filter((h) => h.kind === 'reset' && (h.affects === undefined || h.affects(tenant))),
    count: (kind) => heard.filter((h) => h.kind === kind).length,
  };
}
