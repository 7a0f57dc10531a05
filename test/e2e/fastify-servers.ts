import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.js';

/** The example server of examples/fastify. */
export const fastifyExampleServer: string = join(repoRoot, 'examples/fastify/server.mjs');

/** The Fastify server for fixtures/runtime-failures. */
export const fastifyFailureServer: string = join(repoRoot, 'test/e2e/fastify-failure-server.mjs');
