/**
 * Runs one module hook within `timeoutMs`. Resolves with undefined when it succeeded, or with
 * the reason it failed (`<what> failed: <message>`, or `… timed out after N ms`); never rejects.
 */
export async function runHook(
  what: string,
  run: () => unknown,
  timeoutMs: number,
): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(run),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return undefined;
  } catch (error) {
    return `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}
