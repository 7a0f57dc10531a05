import { fileURLToPath } from 'node:url';
import { describeFailingModulesServer } from './module-failures-scenario.js';

describeFailingModulesServer(
  'a server whose modules fail',
  fileURLToPath(new URL('failure-server.mjs', import.meta.url)),
);
