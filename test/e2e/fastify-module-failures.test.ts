import { fastifyFailureServer } from './fastify-servers.js';
import { describeFailingModulesServer } from './module-failures-scenario.js';

describeFailingModulesServer('a Fastify server whose modules fail', fastifyFailureServer);
