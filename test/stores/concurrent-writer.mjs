// One of several processes racing on the same store: N updates on overlapping tenants, each
// adding 1 to the tenant's `count` flag and to this writer's own counter.
// Usage: node concurrent-writer.mjs <store location> <writer index> <updates> <tenants>
import { openStore } from '../../dist/stores/open-store.js';

const [location, writer, updates, tenants] = process.argv.slice(2);
const store = await openStore(location, { historyLimit: 10_000 });
try {
  for (let i = 0; i < Number(updates); i++) {
    const tenant = `t${(Number(writer) + i) % Number(tenants)}`;
    const own = `w${writer}`;
    await store.update(tenant, {
      actor: own,
      operation: 'count',
      apply: (current) => ({
        modules: current.modules,
        flags: {
          ...current.flags,
          count: (current.flags.count ?? 0) + 1,
          [own]: (current.flags[own] ?? 0) + 1,
        },
      }),
    });
  }
} finally {
  await store.close();
}
