import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { COMMAND_HEAP, V8_HEAP_DEFAULTS } from '../../src/cli/heap.js';

describe('the CLI process heap settings', () => {
  const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  const nameOf = (flag: string) => flag.split('=')[0] as string;

  it('restores exactly what V8 has by default, for serve', () => {
    for (const flag of V8_HEAP_DEFAULTS) expect(options).toContain(`default: ${flag}`);
    expect(V8_HEAP_DEFAULTS.map(nameOf)).toEqual(COMMAND_HEAP.map(nameOf));
  });

  it('keeps the young generation at its size in a command process', () => {
    const script =
      "import('./src/cli/heap.ts').then(({ heapForCommands }) => { heapForCommands(); " +
      "const { getHeapSpaceStatistics } = require('node:v8'); const young = () => " +
      "getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size; " +
      'const first = young(); const kept = []; for (let i = 0; i < 2e6; i++) { ' +
      "const o = { i, s: 'x' + i }; if (i % 4 === 0) kept.push(o); } " +
      'console.log(JSON.stringify({ first, last: young(), kept: kept.length })); })';
    for (const flag of COMMAND_HEAP) expect(options).toContain(`${nameOf(flag)} (`);
    const tuned = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' }),
    ) as { first: number; last: number };
    // Objects that survive make V8 grow its young generation (1 MB to 32 MB without the
    // settings); with them it keeps its size.
    expect(tuned.last).toBeLessThanOrEqual(tuned.first);
  });
});
