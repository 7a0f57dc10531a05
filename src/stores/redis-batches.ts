import type { ChainableCommander } from 'ioredis';
import { isClusterClient, type RedisClient } from './redis-client.js';
import { withDeadline } from './redis-deadline.js';
import { isNoScript } from './redis-script.js';

/** One command on the keys of one shard, to be sent with others. */
export interface ShardCommand {
  shard: number;
  /** Adds the command to a pipeline. */
  queue(pipeline: ChainableCommander): void;
  /** Runs it on its own: after a redirection or a missing script, which a pipeline leaves. */
  alone(): Promise<unknown>;
}

/** The reply to one {@link ShardCommand}. */
export type ShardReply = { error: Error } | { value: unknown };

/**
 * Sends `commands` in as few round trips as the client allows, replies in the same order. A
 * single server takes them as one pipeline. An ioredis Cluster takes a pipeline only when
 * all its keys live on one node (ioredis 6 refuses it otherwise, before sending), so the
 * commands go as one pipeline per node, grouped by the slot map the client holds, all at
 * once. When that map turned out stale (a slot moved), the node's commands go again one
 * pipeline per shard, and a command redirected or missing its script is run alone. Each
 * node's pipeline has `deadlineMs` to answer: a node that does not fails its own commands
 * only, never those of the other nodes.
 */
export async function sendPerShard(
  client: RedisClient,
  slotOf: (shard: number) => number,
  commands: readonly ShardCommand[],
  deadlineMs: number,
): Promise<ShardReply[]> {
  const replies: ShardReply[] = new Array(commands.length);
  const groups = new Map<string, number[]>();
  commands.forEach((command, at) => {
    const group = groupOf(client, slotOf(command.shard));
    const members = groups.get(group);
    if (members === undefined) groups.set(group, [at]);
    else members.push(at);
  });
  await Promise.all(
    [...groups.values()].map(async (members) => {
      const answers = await withDeadline(sendGroup(client, commands, members), deadlineMs).catch(
        (error: Error) => members.map((): ShardReply => ({ error })),
      );
      members.forEach((at, i) => {
        replies[at] = answers[i] as ShardReply;
      });
    }),
  );
  return replies;
}

/** The replies to `members` (indexes into `commands`), in their order. */
async function sendGroup(
  client: RedisClient,
  commands: readonly ShardCommand[],
  members: readonly number[],
): Promise<ShardReply[]> {
  let results: [Error | null, unknown][];
  try {
    results = await pipelineOf(client, commands, members);
  } catch (error) {
    if (!isClusterClient(client) || !isSlotGrouping(error) || members.length === 1) throw error;
    const byShard = new Map<number, number[]>();
    members.forEach((at, i) => {
      const shard = (commands[at] as ShardCommand).shard;
      byShard.set(shard, [...(byShard.get(shard) ?? []), i]);
    });
    const answers: ShardReply[] = new Array(members.length);
    await Promise.all(
      [...byShard.values()].map(async (positions) => {
        const group = await sendGroup(
          client,
          commands,
          positions.map((i) => members[i] as number),
        );
        positions.forEach((i, j) => {
          answers[i] = group[j] as ShardReply;
        });
      }),
    );
    return answers;
  }
  const replies: ShardReply[] = [];
  const again: Promise<void>[] = [];
  members.forEach((at, i) => {
    const [error, value] = results[i] ?? [new Error('no reply'), undefined];
    if (error === null) replies.push({ value });
    else if (!isNoScript(error) && !isRedirection(error)) replies.push({ error });
    else {
      // Run alone; its place is filled when it answers.
      replies.push({ error });
      again.push(
        (commands[at] as ShardCommand).alone().then(
          (value) => {
            replies[i] = { value };
          },
          (failure: Error) => {
            replies[i] = { error: failure };
          },
        ),
      );
    }
  });
  await Promise.all(again);
  return replies;
}

async function pipelineOf(
  client: RedisClient,
  commands: readonly ShardCommand[],
  members: readonly number[],
): Promise<[Error | null, unknown][]> {
  const pipeline = client.pipeline();
  for (const at of members) (commands[at] as ShardCommand).queue(pipeline);
  return (await pipeline.exec()) ?? [];
}

/** The node group of a slot as the client sees it: one group for a single server. */
function groupOf(client: RedisClient, slot: number): string {
  if (!isClusterClient(client)) return '';
  return client.slots[slot]?.join(';') ?? `unmapped:${slot}`;
}

function isSlotGrouping(error: unknown): boolean {
  return error instanceof Error && /same slot/.test(error.message);
}

function isRedirection(error: Error): boolean {
  return /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN) /.test(error.message);
}
