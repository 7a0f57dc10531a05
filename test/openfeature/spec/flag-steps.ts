import type { FlagValue, JsonValue } from '@openfeature/server-sdk';
import type { StepDefinitionsWithContext } from 'jest-cucumber';
import { expect } from 'vitest';
import type { SpecType, SpecWorld } from './spec-world.js';

/**
 * The reason modreg gives where a scenario expects flagd's STATIC — the default variant of a
 * flag without targeting rules, the same for every subject. That value is mapped onto modreg
 * as the tenant's own value (see specState), which modreg reports as TARGETING_MATCH; there is
 * no STATIC flag in modreg (every flag can be set per tenant). Every other reason is checked
 * as the scenario writes it.
 */
export const MODREG_REASON: Readonly<Record<string, string>> = { STATIC: 'TARGETING_MATCH' };

/** The reason to expect in modreg for a reason a scenario names. */
export function expectedReason(reason: string): string {
  return MODREG_REASON[reason] ?? reason;
}

/** A value as a scenario writes it, for a flag of `type`. */
export function parseValue(type: SpecType, text: string): FlagValue {
  if (type === 'boolean') return text === 'true';
  if (type === 'integer') return Number.parseInt(text, 10);
  if (type === 'float') return Number.parseFloat(text);
  if (type === 'object') return JSON.parse(text.replaceAll('\\"', '"')) as JsonValue;
  return text;
}

/** Evaluates the scenario's flag with details, through the client, as the scenario set it up. */
export async function evaluateFlag(world: SpecWorld): Promise<void> {
  const { scenario, client } = world;
  const flag = scenario.flag;
  if (flag === undefined) throw new Error('the scenario names no flag before evaluating it');
  const { key, fallback } = flag;
  const { invocation, options } = scenario;
  if (flag.type === 'boolean') {
    scenario.details = await client.getBooleanDetails(
      key,
      fallback as boolean,
      invocation,
      options,
    );
  } else if (flag.type === 'string') {
    scenario.details = await client.getStringDetails(key, fallback as string, invocation, options);
  } else if (flag.type === 'object') {
    scenario.details = await client.getObjectDetails(
      key,
      fallback as JsonValue,
      invocation,
      options,
    );
  } else {
    scenario.details = await client.getNumberDetails(key, fallback as number, invocation, options);
  }
}

/** The steps every evaluating feature uses: a flag, its evaluation, and checks of its details. */
export function flagSteps(world: SpecWorld): StepDefinitionsWithContext {
  return ({ given, when, then }) => {
    given(
      /^an? (boolean|string|integer|float|object)-flag with key "(.*)" and a fallback value "(.*)"$/i,
      (type: string, key: string, fallback: string) => {
        const kind = type.toLowerCase() as SpecType;
        world.scenario.flag = { type: kind, key, fallback: parseValue(kind, fallback) };
      },
    );
    when(/^the flag was evaluated with details$/, () => evaluateFlag(world));
    then(/^the resolved details value should be "(.*)"$/, (expected: string) => {
      const type = world.scenario.flag?.type ?? 'string';
      expect(world.scenario.details?.value).toEqual(parseValue(type, expected));
    });
    then(/^the reason should be "(.*)"$/, (reason: string) => {
      expect(world.scenario.details?.reason).toBe(expectedReason(reason));
    });
    then(/^the error-code should be "(.*)"$/, (code: string) => {
      expect(world.scenario.details?.errorCode).toBe(code);
    });
    then(/^the flag key should be "(.*)"$/, (key: string) => {
      expect(world.scenario.details?.flagKey).toBe(key);
    });
    then(/^the variant should be "(.*)"$/, (variant: string) => {
      expect(world.scenario.details?.variant).toBe(variant);
    });
    then(
      /^the resolved metadata should contain$/,
      (rows: { key: string; metadata_type: string; value: string }[]) => {
        const metadata = world.scenario.details?.flagMetadata ?? {};
        for (const { key, metadata_type: type, value } of rows) {
          const expected =
            type === 'Boolean' ? value === 'true' : type === 'String' ? value : Number(value);
          expect(metadata[key], key).toEqual(expected);
        }
      },
    );
    then(/^the resolved metadata is empty$/, () => {
      expect(world.scenario.details?.flagMetadata).toEqual({});
    });
  };
}
