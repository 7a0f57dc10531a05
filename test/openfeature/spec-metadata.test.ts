import { afterEach } from 'vitest';
import { evaluationSteps } from './spec/evaluation-steps.js';
import { flagSteps } from './spec/flag-steps.js';
import { runSpecFeature, specFlags } from './spec/spec-files.js';
import { METADATA_SKIPS } from './spec/spec-skips.js';
import { createSpecWorld } from './spec/spec-world.js';

const flags = specFlags();
const world = flags === undefined ? undefined : createSpecWorld(flags);
if (world !== undefined) afterEach(() => world.reset());
runSpecFeature(
  'metadata.feature',
  world === undefined ? [] : [flagSteps(world), evaluationSteps(world)],
  METADATA_SKIPS,
);
