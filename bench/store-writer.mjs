// One of the writer processes of the throughput benchmark (bench/store-throughput.ts): makes
// <updates> changes on <tenants> tenants it shares with the other writers, each adding 1 to
// the tenant's `count` flag, then prints {"writer","updates","ms"} on stdout: its own time
// from the first update to the last, without Node's start-up or opening the store.
// Usage: node store-writer.mjs <store location> <writer index> <updates> <tenants>
import { openStore } from '../dist/stores/open-store.js';

const [location, writer, updates, tenants] = process.argv.slice(2);
const store = await openStore(location);
try {
  const started = performance.now();
  for (let i = 0; i < Number(updates); i++) {
    await store.update(`t${(Number(writer) + i) % Number(tenants)}`, {
      actor: `writer-${writer}`,
      operation: 'count',
      apply: (current) => ({
        modules: current.modules,
        flags: { ...current.flags, count: (current.flags.count ?? 0) + 1 },
      }),
    });
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ writer: Number(writer), updates: Number(updates), ms }));
} finally {
  await store.close();
}
