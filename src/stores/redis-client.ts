import type { Cluster, Redis } from 'ioredis';

/** What the store talks through: one server's client, or a Redis Cluster's. */
export type RedisClient = Redis | Cluster;

/** True for an ioredis `Cluster`. */
export function isClusterClient(client: RedisClient): client is Cluster {
  return (client as { isCluster?: boolean }).isCluster === true;
}
