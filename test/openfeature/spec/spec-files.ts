import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autoBindSteps, parseFeature, type StepDefinitionsWithContext } from 'jest-cucumber';
import { describe, it, test } from 'vitest';
import { repoRoot } from '../../helpers/cli.js';
import type { FlagdFlag } from './spec-flags.js';

/** Where the specification's gherkin suites live: never copied into the repository. */
export const SPEC_DIR = join(repoRoot, '..', 'shared', 'openfeature');

/** Scenarios not run, by tag or by title (a whole scenario, or every example of an outline), and why. */
export interface SpecSkips {
  tags?: Readonly<Record<string, string>>;
  titles?: Readonly<Record<string, string>>;
}

/** The flags the scenarios expect, or undefined when the specification files are not here. */
export function specFlags(): Record<string, FlagdFlag> | undefined {
  const file = join(SPEC_DIR, 'test-flags.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, FlagdFlag>)
    : undefined;
}

/**
 * Runs one feature file of the specification with jest-cucumber under vitest: every
 * scenario (each example of an outline named by its values) with the given steps, except
 * those `skips` names, which are reported as skipped tests whose names carry the reason.
 * Without the specification files it reports one skipped test and says so loudly.
 */
export function runSpecFeature(
  file: string,
  steps: StepDefinitionsWithContext[],
  skips: SpecSkips = {},
): void {
  const path = join(SPEC_DIR, file);
  if (!existsSync(path) || specFlags() === undefined) {
    console.warn(
      `\n*** The OpenFeature specification's scenarios in ${file} are NOT run: ${SPEC_DIR} is missing. ` +
        'Place the specification assets there (see the README, "OpenFeature") to run them.\n',
    );
    it.skip(`${file}: the specification's scenarios (not found at ../shared/openfeature)`, () => {});
    return;
  }
  const feature = parseFeature(readFileSync(path, 'utf8'), { runner: { describe, test } });
  const skipped: string[] = [];
  const why = (title: string, tags: readonly string[]) =>
    skips.titles?.[title] ??
    [...tags, ...feature.tags].map((tag) => skips.tags?.[tag]).find(Boolean);
  feature.scenarios = feature.scenarios.filter((scenario) => {
    const reason = why(scenario.title, scenario.tags);
    if (reason !== undefined) skipped.push(`${scenario.title} — skipped: ${reason}`);
    return reason === undefined;
  });
  for (const outline of feature.scenarioOutlines) {
    outline.scenarios = outline.scenarios.filter((example) => {
      example.title = `${outline.title} (${exampleLabel(outline.steps, example.steps, example.tags, outline.tags)})`;
      const reason = why(outline.title, example.tags);
      if (reason !== undefined) skipped.push(`${example.title} — skipped: ${reason}`);
      return reason === undefined;
    });
  }
  feature.scenarioOutlines = feature.scenarioOutlines.filter((o) => o.scenarios.length > 0);
  if (skipped.length > 0) {
    describe(feature.title, () => {
      for (const name of skipped) it.skip(name, () => {});
    });
  }
  autoBindSteps(feature, steps);
}

/**
 * What tells one example of an outline from the others: the values its row put into the
 * steps (`Boolean, boolean-flag, false`), and the tags of its examples table.
 */
function exampleLabel(
  template: readonly { stepText: string }[],
  steps: readonly { stepText: string }[],
  tags: readonly string[],
  outlineTags: readonly string[],
): string {
  const values: string[] = [];
  template.forEach((step, i) => {
    if (!step.stepText.includes('<')) return;
    const pattern = step.stepText
      .split(/<[^>]+>/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('(.*?)');
    const found = new RegExp(`^${pattern}$`).exec(steps[i]?.stepText ?? '');
    for (const value of found?.slice(1) ?? []) {
      const shown = value === '' ? '""' : value;
      if (!values.includes(shown)) values.push(shown);
    }
  });
  const own = tags.filter((tag) => !outlineTags.includes(tag));
  return [...values, ...own].join(', ');
}
