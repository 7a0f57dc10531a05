import { afterEach } from 'vitest';
import { evaluationSteps } from './spec/evaluation-steps.js';
import { flagSteps } from './spec/flag-steps.js';
import { hookSteps } from './spec/hook-steps.js';
import { runSpecFeature, specFlags } from './spec/spec-files.js';
import { createSpecWorld } from './spec/spec-world.js';

const flags = specFlags();
const world = flags === undefined ? undefined : createSpecWorld(flags);
if (world !== undefined) afterEach(() => world.reset());
runSpecFeature(
  'hooks.feature',
  world === undefined ? [] : [flagSteps(world), evaluationSteps(world), hookSteps(world)],
);
