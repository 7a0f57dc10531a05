import { fastifyExampleServer } from './fastify-servers.js';
import { describeJsonStoreServer } from './json-store-scenario.js';

describeJsonStoreServer('the Fastify example server on the JSON store', fastifyExampleServer);
