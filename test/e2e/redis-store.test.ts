import { exampleServer } from './helpers.js';
import { describeRedisStoreServer } from './redis-store-scenarios.js';

describeRedisStoreServer('the example server', exampleServer);
