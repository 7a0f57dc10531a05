/** `modreg/redis`: the Redis store (a single server or a Cluster), on ioredis. */
export { createRedisStore, type RedisStoreOptions } from './stores/redis.js';
