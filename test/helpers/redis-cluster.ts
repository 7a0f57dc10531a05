import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import {
  redisClusterAvailable,
  startRedisCluster,
  type TestRedisCluster,
} from './redis-cluster-process.js';

export {
  redisClusterAvailable,
  startRedisCluster,
  type TestClusterNode,
  type TestRedisCluster,
} from './redis-cluster-process.js';

/**
 * A describe block with one 3-master cluster for its tests (`cluster()` returns it), started
 * before them and stopped after. Without redis-server and redis-cli, or when the cluster does
 * not form, it fails in CI (CI=true) and is skipped, loudly, elsewhere.
 */
export function describeWithRedisCluster(
  name: string,
  fn: (cluster: () => TestRedisCluster) => void,
  options: { password?: string } = {},
): void {
  const ci = process.env.CI === 'true';
  if (!redisClusterAvailable()) {
    if (ci) {
      describe(name, () => {
        it('needs a Redis Cluster', () => {
          throw new Error(
            'Redis Cluster tests need redis-server and redis-cli in CI (redis-tools).',
          );
        });
      });
      return;
    }
    console.warn(`\n*** SKIPPED "${name}": redis-server or redis-cli is not on PATH. ***\n`);
    describe.skip(name, () =>
      fn(() => {
        throw new Error('no Redis Cluster');
      }),
    );
    return;
  }
  describe(name, () => {
    let cluster: TestRedisCluster | undefined;
    let failure: unknown;
    beforeAll(async () => {
      try {
        cluster = await startRedisCluster(options);
      } catch (error) {
        if (ci) throw error;
        failure = error;
        console.warn(
          `\n*** SKIPPED "${name}": the Redis Cluster did not form: ${String(error)} ***\n`,
        );
      }
    }, 60_000);
    beforeEach((context) => {
      if (failure !== undefined) context.skip();
    });
    afterAll(async () => {
      await cluster?.stop();
    });
    fn(() => {
      if (cluster === undefined) throw new Error('the Redis Cluster is not started yet');
      return cluster;
    });
  });
}
