import { afterEach } from 'vitest';
import { evaluationSteps } from './spec/evaluation-steps.js';
import { flagSteps } from './spec/flag-steps.js';
import { runSpecFeature, specFlags } from './spec/spec-files.js';
import { EVALUATION_SKIPS } from './spec/spec-skips.js';
import { createSpecWorld } from './spec/spec-world.js';

const flags = specFlags();
const world = flags === undefined ? undefined : createSpecWorld(flags);
if (world !== undefined) afterEach(() => world.reset());
runSpecFeature(
  'evaluation_v2.feature',
  world === undefined ? [] : [flagSteps(world), evaluationSteps(world)],
  EVALUATION_SKIPS,
);
