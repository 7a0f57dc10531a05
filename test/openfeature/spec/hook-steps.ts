import type { EvaluationDetails, FlagValue, Hook } from '@openfeature/server-sdk';
import type { StepDefinitionsWithContext } from 'jest-cucumber';
import { expect } from 'vitest';
import { expectedReason } from './flag-steps.js';
import type { HookCall, SpecWorld } from './spec-world.js';

/** A hook that records each of its calls into `calls`, as `name`. */
export function recordingHook(name: string, calls: HookCall[]): Hook {
  return {
    before: () => void calls.push({ hook: name, stage: 'before' }),
    after: (_, details) => void calls.push({ hook: name, stage: 'after', details }),
    error: () => void calls.push({ hook: name, stage: 'error' }),
    finally: (_, details) => void calls.push({ hook: name, stage: 'finally', details }),
  };
}

/** The steps of `hooks.feature`: a client with a hook, and what the hook saw. */
export function hookSteps(world: SpecWorld): StepDefinitionsWithContext {
  return ({ given, then }) => {
    given(/^a client with added hook$/, () => {
      world.client.addHooks(recordingHook('client', world.scenario.hookCalls));
    });
    then(/^the "(before|after|error|finally)" hook should have been executed$/, (stage: string) => {
      expect(world.scenario.hookCalls.map((call) => call.stage)).toContain(stage);
    });
    then(
      /^the "(.*)" hooks should be called with evaluation details$/,
      (stages: string, rows: { data_type: string; key: string; value: string }[]) => {
        for (const stage of stages.split(/,\s*/)) {
          const call = world.scenario.hookCalls.find((c) => c.stage === stage);
          expect(call?.details, `the ${stage} hook's evaluation details`).toBeDefined();
          for (const row of rows) checkDetail(call?.details as EvaluationDetails<FlagValue>, row);
        }
      },
    );
  };
}

function checkDetail(
  details: EvaluationDetails<FlagValue>,
  row: { data_type: string; key: string; value: string },
): void {
  const actual = {
    flag_key: details.flagKey,
    value: details.value,
    variant: details.variant,
    reason: details.reason,
    error_code: details.errorCode,
  }[row.key];
  if (row.value === 'null') {
    expect(actual ?? null, row.key).toBeNull();
    return;
  }
  const expected =
    row.data_type === 'boolean'
      ? row.value === 'true'
      : row.key === 'reason'
        ? expectedReason(row.value)
        : row.value;
  expect(actual, row.key).toEqual(expected);
}
