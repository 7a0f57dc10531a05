import type { UpdateRequest } from '../src/stores/types.js';

/** The flag the propagation benchmarks set, to the number of the change. */
export const SEQUENCE_FLAG = 'bench.sequence';

/** The timed change: one flag set to the change's sequence number, so each one writes. */
export function setSequence(sequence: number): UpdateRequest {
  return {
    actor: 'bench',
    operation: `flags ${SEQUENCE_FLAG}=${sequence}`,
    apply: (current) => ({
      modules: current.modules,
      flags: { ...current.flags, [SEQUENCE_FLAG]: sequence },
    }),
  };
}
