import type { StepDefinitionsWithContext } from 'jest-cucumber';
import { expect } from 'vitest';
import { evaluateFlag, parseValue } from './flag-steps.js';
import { recordingHook } from './hook-steps.js';
import type { ProviderKind, SpecType, SpecWorld } from './spec-world.js';

/** The steps of `evaluation_v2.feature` beyond the shared flag steps. */
export function evaluationSteps(world: SpecWorld): StepDefinitionsWithContext {
  return ({ given, when, then }) => {
    given(/^a (stable|not ready|error|fatal|stale) provider$/, (kind: string) =>
      world.start(kind as ProviderKind),
    );
    then(/^the provider status should be "(.*)"$/, (status: string) => {
      expect(world.client.providerStatus).toBe(status);
    });

    given(
      /^a context containing a key "(.*)", with type "(.*)" and with value "(.*)"$/,
      (key: string, type: string, value: string) => {
        world.scenario.invocation[key] = parseValue(type.toLowerCase() as SpecType, value);
      },
    );
    given(/^a context containing a key "(.*)" with null value$/, (key: string) => {
      world.scenario.invocation[key] = null;
    });

    given(/^evaluation options containing specific hooks$/, () => {
      const calls = world.scenario.hookCalls;
      world.scenario.options = {
        hooks: [recordingHook('first', calls), recordingHook('second', calls)],
      };
    });
    when(/^the flag was evaluated with details using the evaluation options$/, () =>
      evaluateFlag(world),
    );
    then(/^the specified hooks should execute during evaluation$/, () => {
      for (const hook of ['first', 'second']) {
        const stages = world.scenario.hookCalls.filter((c) => c.hook === hook).map((c) => c.stage);
        expect(stages, hook).toEqual(['before', 'after', 'finally']);
      }
    });
    then(/^the hook order should be maintained$/, () => {
      // Before hooks run in the order given; after and finally hooks in reverse.
      expect(world.scenario.hookCalls.map((c) => `${c.stage} ${c.hook}`)).toEqual([
        'before first',
        'before second',
        'after second',
        'after first',
        'finally second',
        'finally first',
      ]);
    });

    given(/^an evaluation context with modifiable data$/, () => {
      world.scenario.invocation = { plan: { name: 'gold', seats: [1, 2] }, region: 'eu' };
      world.scenario.notes.original = structuredClone(world.scenario.invocation);
    });
    then(/^the original evaluation context should remain unmodified$/, () => {
      expect(world.scenario.invocation).toEqual(world.scenario.notes.original);
    });
    then(/^the evaluation details should be immutable$/, () => {
      const details = world.scenario.details;
      expect(Object.isFrozen(details?.flagMetadata)).toBe(true);
      expect(() => {
        (details?.flagMetadata as Record<string, unknown>).module = 'changed';
      }).toThrow(TypeError);
    });

    when(/^the flag was evaluated with details asynchronously$/, async () => {
      const order: string[] = [];
      const pending = evaluateFlag(world).then(() => void order.push('resolved'));
      order.push('returned');
      world.scenario.notes.returnedPromise = pending instanceof Promise;
      await pending;
      world.scenario.notes.order = order;
    });
    then(/^the evaluation should complete without blocking$/, () => {
      expect(world.scenario.notes.returnedPromise).toBe(true);
      expect(world.scenario.notes.order).toEqual(['returned', 'resolved']);
    });
  };
}
