import {
  AsyncLocalStorageTransactionContextPropagator,
  type EvaluationContext,
  OpenFeature,
} from '@openfeature/server-sdk';
import type { StepDefinitionsWithContext } from 'jest-cucumber';
import { expect } from 'vitest';
import type { SpecWorld } from './spec-world.js';

/** The steps of `contextMerging.feature`: entries at each level, and what the provider got. */
export function contextSteps(world: SpecWorld): StepDefinitionsWithContext {
  const add = (level: string, key: string, value: string) => {
    const { scenario, client } = world;
    if (level === 'API') OpenFeature.setContext({ ...OpenFeature.getContext(), [key]: value });
    else if (level === 'Client') client.setContext({ ...client.getContext(), [key]: value });
    else if (level === 'Transaction') scenario.transaction[key] = value;
    else if (level === 'Invocation') scenario.invocation[key] = value;
    else if (level === 'Before Hooks') scenario.beforeHooks[key] = value;
    else throw new Error(`unknown context level "${level}"`);
  };
  return ({ given, when, then }) => {
    given(/^a stable provider with retrievable context is registered$/, async () => {
      await world.start('stable');
      OpenFeature.setTransactionContextPropagator(
        new AsyncLocalStorageTransactionContextPropagator(),
      );
    });
    given(
      /^A context entry with key "(.*)" and value "(.*)" is added to the "(.*)" level$/,
      (key: string, value: string, level: string) => add(level, key, value),
    );
    given(/^A table with levels of increasing precedence$/, (rows: Record<string, string>[]) => {
      // jest-cucumber reads a table's first row as its header: here it is the first level.
      const [first] = Object.keys(rows[0] ?? {});
      world.scenario.levels = [first ?? '', ...rows.map((row) => Object.values(row)[0] ?? '')];
    });
    given(
      /^Context entries for each level from API level down to the "(.*)" level, with key "(.*)" and value "(.*)"$/,
      (last: string, key: string) => {
        // Each level gets its own name as the value, so only the one that wins can show `last`.
        const { levels } = world.scenario;
        for (const level of levels.slice(0, levels.indexOf(last) + 1)) add(level, key, level);
      },
    );
    when(/^Some flag was evaluated$/, async () => {
      const { scenario, client } = world;
      const before: EvaluationContext = { ...scenario.beforeHooks };
      const options = { hooks: [{ before: () => before }] };
      await new Promise<void>((resolve, reject) => {
        OpenFeature.setTransactionContext(scenario.transaction, () =>
          client
            .getBooleanValue('boolean-flag', false, scenario.invocation, options)
            .then(() => resolve(), reject),
        );
      });
    });
    then(
      /^The merged context contains an entry with key "(.*)" and value "(.*)"$/,
      (key: string, value: string) => {
        expect(world.lastContext()?.[key]).toBe(value);
      },
    );
  };
}
