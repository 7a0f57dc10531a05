import { afterEach } from 'vitest';
import { contextSteps } from './spec/context-steps.js';
import { runSpecFeature, specFlags } from './spec/spec-files.js';
import { createSpecWorld } from './spec/spec-world.js';

const flags = specFlags();
const world = flags === undefined ? undefined : createSpecWorld(flags);
if (world !== undefined) afterEach(() => world.reset());
runSpecFeature('contextMerging.feature', world === undefined ? [] : [contextSteps(world)]);
