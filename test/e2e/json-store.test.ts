import { exampleServer } from './helpers.js';
import { describeJsonStoreServer } from './json-store-scenario.js';

describeJsonStoreServer('the example server on the JSON store', exampleServer);
