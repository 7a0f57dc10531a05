import { ModregError } from '../errors.js';

/** An option that would let a refused change go through, as the library names it. */
export type Alternative = 'withDeps' | 'cascade';

/**
 * A planner refusal that another option would turn into a plan: `problem` (what is in the
 * way), `fix` (what to do first) and the `alternative`, in the library's words —
 * `…. Enable them first, or pass withDeps: true.` — with the same parts in `details`, so the
 * CLI can say `--with-deps` and the admin API `"withDeps": true`.
 */
export function refusalWithAlternative(
  problem: string,
  fix: string,
  alternative: Alternative,
  paths: readonly (readonly string[])[],
): ModregError {
  return new ModregError('refused', `${problem} ${fix}, or pass ${alternative}: true.`, {
    details: { problem, fix, alternative, paths },
  });
}
