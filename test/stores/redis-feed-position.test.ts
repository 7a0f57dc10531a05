import { describe, expect, it } from 'vitest';
import {
  followShard,
  NO_POSITION,
  parseNotification,
  type ShardPosition,
} from '../../src/stores/redis-feed-position.js';
import { shardOf } from '../../src/stores/redis-keys.js';

const shard = shardOf('acme');
const other = shardOf('x1') === shard ? 'x2' : 'x1';
const neighbour = sameShardAs('acme');
const entry = (seq: number, tenant = 'acme', revision = seq) =>
  JSON.stringify({ seq, tenant, revision });
const at = (generation: string | null, seq: number): ShardPosition => ({ generation, seq });

describe('following one shard of the Redis change feed', () => {
  it.each([
    ['nothing new', at('g1', 3), at('g1', 3), [], { changes: [], position: at('g1', 3) }],
    [
      'the entries after the position held',
      at('g1', 3),
      at('g1', 5),
      [entry(5), entry(4), entry(3)],
      { changes: [{ tenant: 'acme', revision: 5 }], position: at('g1', 5) },
    ],
    [
      'a reading older than the position held (a notification got there first)',
      at('g1', 6),
      at('g1', 5),
      [],
      { changes: [], position: at('g1', 6) },
    ],
    [
      'a first generation, from 0',
      NO_POSITION,
      at('g1', 2),
      [entry(2), entry(1)],
      { changes: [{ tenant: 'acme', revision: 2 }], position: at('g1', 2) },
    ],
    [
      'a shard that stays empty',
      NO_POSITION,
      at(null, 0),
      [],
      { changes: [], position: NO_POSITION },
    ],
  ])('%s', (_, held, reading, entries, expected) => {
    const step = followShard(held, { ...reading, entries }, shard);
    expect(step).toEqual(expected);
  });

  it('announces each tenant once, at its latest revision', () => {
    const entries = [
      entry(4, 'acme', 9),
      entry(3, neighbour, 2),
      entry(2, 'acme', 8),
      entry(1, 'acme', 7),
    ];
    expect(followShard(NO_POSITION, { ...at('g', 4), entries }, shard).changes).toEqual([
      { tenant: 'acme', revision: 9 },
      { tenant: neighbour, revision: 2 },
    ]);
  });

  it.each([
    ['the generation changed', at('g1', 3), at('g2', 1), [entry(1)], 'emptied'],
    ['the generation is gone', at('g1', 3), at(null, 0), [], 'emptied'],
    ['an entry is missing (trimmed)', at('g1', 3), at('g1', 6), [entry(6), entry(5)], 'missed'],
    ['no entries come (more missed than kept)', at('g1', 3), at('g1', 2000), [], 'missed'],
    ['an entry is not one modreg wrote', at('g1', 1), at('g1', 2), ['junk'], 'missed'],
    [
      'an entry names a tenant of another shard',
      at('g1', 1),
      at('g1', 2),
      [entry(2, other)],
      'missed',
    ],
  ])('resets the shard when %s', (_, held, reading, entries, reason) => {
    const step = followShard(held, { ...reading, entries }, shard);
    expect(step.reset).toContain(reason);
    expect(step.changes).toEqual([]);
    expect(step.position).toEqual(reading.generation === null ? NO_POSITION : reading);
  });

  it('reads the notifications modreg publishes, and nothing else', () => {
    const note = { shard, seq: 4, generation: 'g', tenant: 'acme', revision: 2 };
    expect(parseNotification(JSON.stringify(note))).toEqual(note);
    for (const junk of [
      'not json',
      '[]',
      JSON.stringify({ ...note, shard: shard + 1 }),
      JSON.stringify({ ...note, tenant: '../x' }),
      JSON.stringify({ ...note, generation: '' }),
      JSON.stringify({ ...note, seq: 0 }),
      JSON.stringify({ ...note, revision: 1.5 }),
    ]) {
      expect(parseNotification(junk)).toBeUndefined();
    }
  });
});

/** Another tenant id in the shard of `tenant`. */
function sameShardAs(tenant: string): string {
  for (let i = 0; ; i++) if (shardOf(`n${i}`) === shardOf(tenant)) return `n${i}`;
}
