import { fastifyExampleServer } from './fastify-servers.js';
import { describeRedisStoreServer } from './redis-store-scenarios.js';

describeRedisStoreServer('the Fastify example server', fastifyExampleServer);
