import { setFlagsFromString } from 'node:v8';

/**
 * How the CLI's own process sizes V8's heap: near what it holds. A command holds little at a
 * time (a walk of the store one batch of tenants at a time: `export`, `tenants`, `doctor`),
 * but V8 sizes the heap by the garbage made: over 100,000 tenants the young generation grew
 * to 32 MB, most of it while the CLI loaded, and the old one to 40 MB around 10 MB that stayed
 * live. Here the young generation keeps its first size and the old one grows to 50% above
 * what the last full collection kept: an export of 100,000 tenants from Redis peaked at
 * 122 MB without these settings, 77 MB with them (which bench (n) prints). Little survives a
 * collection in a command, so the extra collections cost little time. V8 reads both settings
 * at every collection. Only the CLI's own process calls this, never a program that runs the
 * CLI inside itself.
 */
export function heapForCommands(): void {
  for (const flag of COMMAND_HEAP) setFlagsFromString(flag);
}

/** V8's own heap sizing again, for a command that serves until stopped (`serve`). */
export function heapForServing(): void {
  for (const flag of V8_HEAP_DEFAULTS) setFlagsFromString(flag);
}

/** The settings of {@link heapForCommands}. */
export const COMMAND_HEAP: readonly string[] = [
  '--semi-space-growth-factor=1',
  '--heap-growing-percent=50',
];

/** V8's defaults for the same settings (`node --v8-options`). */
export const V8_HEAP_DEFAULTS: readonly string[] = [
  '--semi-space-growth-factor=2',
  '--heap-growing-percent=0',
];
