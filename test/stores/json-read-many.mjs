// Reads `count` tenants t0, t1, … of the JSON store at `path` with one readMany and prints
// how many were at revision 1. Usage: node json-read-many.mjs <path> <count>
import { createJsonFileStore } from '../../dist/stores/json-file.js';

const [path, count] = process.argv.slice(2);
const store = await createJsonFileStore({ path });
try {
  const states = await store.readMany(Array.from({ length: Number(count) }, (_, i) => `t${i}`));
  process.stdout.write(String(states.filter((state) => state.revision === 1).length));
} finally {
  await store.close();
}
