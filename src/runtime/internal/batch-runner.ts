import { chunks } from './chunks.js';

/** Tenants per readMany call. */
export const BATCH_SIZE = 500;

/** readMany calls out at once while catching up. */
export const BATCHES_IN_FLIGHT = 4;

/**
 * `run` over `tenants` in batches of {@link BATCH_SIZE}, at most {@link BATCHES_IN_FLIGHT}
 * at once; `run` may skip a batch by answering undefined. The first failure stops new batches
 * and is thrown once those already out have settled. Each batch's failure is caught as it
 * happens: one failing while an earlier batch is awaited would otherwise be an unhandled
 * rejection, which ends the process.
 */
export async function inBatches(
  tenants: Iterable<string>,
  run: (batch: string[]) => Promise<void> | undefined,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  const pending: Promise<void>[] = [];
  for (const batch of chunks(tenants, BATCH_SIZE)) {
    if (failure !== undefined) break;
    const started = run(batch);
    if (started === undefined) continue;
    pending.push(
      started.catch((error: unknown) => {
        failure ??= { error };
      }),
    );
    if (pending.length >= BATCHES_IN_FLIGHT) await pending.shift();
  }
  await Promise.all(pending);
  if (failure !== undefined) throw failure.error;
}
