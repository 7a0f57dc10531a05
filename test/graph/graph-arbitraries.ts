import fc from 'fast-check';
import type { GraphModule } from '../../src/graph/types.js';

// Few names, so that modules repeat, dependencies go missing and cycles close often.
// Object.prototype members check that names never reach a plain object's keys.
const NAMES = ['__proto__', 'a', 'b', 'c', 'constructor', 'd', 'e'];
const MISSING = 'toString';

/**
 * A module named `NAMES[i]` whose dependencies come from `pool` (or are missing). Required
 * dependencies mostly point to earlier names, so that most graphs leave something to order;
 * the rest close cycles. Optional dependencies point anywhere.
 */
function moduleArb(i: number, pool: readonly string[]): fc.Arbitrary<GraphModule> {
  const reference = fc.oneof(
    { arbitrary: fc.constantFrom(...pool), weight: 5 },
    fc.constant(MISSING),
  );
  const required =
    i === 0
      ? reference
      : fc.oneof({ arbitrary: fc.constantFrom(...NAMES.slice(0, i)), weight: 8 }, reference);
  return fc.record({
    name: fc.constant(NAMES[i] as string),
    requires: fc.array(required, { maxLength: i === 0 ? 1 : 3 }),
    optional: fc.option(fc.array(reference, { maxLength: 3 }), { nil: undefined, freq: 3 }),
    unloadable: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 12 },
      fc.constant('has an invalid config'),
    ),
  });
}

/** Any names, repeated or absent. */
const mixedModulesArb = fc.array(
  fc.nat({ max: NAMES.length - 1 }).chain((i) => moduleArb(i, NAMES)),
  { maxLength: 10 },
);
/** Each of the first n names once, dependencies among them. */
const completeModulesArb = fc.integer({ min: 1, max: NAMES.length }).chain((n) => {
  const pool = NAMES.slice(0, n);
  return fc
    .tuple(...pool.map((_, i) => moduleArb(i, pool)))
    .chain((modules) => permutation(modules));
});
/** Random module lists: repeated and missing names, required and optional cycles. */
export const modulesArb = fc.oneof(mixedModulesArb, completeModulesArb);
/** Without repeated names, where the input order would pick which module of a name wins. */
const uniqueModulesArb = modulesArb.map((modules) =>
  modules.filter((m, i) => modules.findIndex((other) => other.name === m.name) === i),
);

/** The same modules, listed in another order, each with its dependency lists in another order. */
export const reorderedArb = uniqueModulesArb.chain((modules) =>
  fc
    .tuple(
      ...modules.map((m) =>
        fc.record({
          name: fc.constant(m.name),
          requires: permutation(m.requires),
          optional: m.optional === undefined ? fc.constant(undefined) : permutation(m.optional),
          unloadable: fc.constant(m.unloadable),
        }),
      ),
    )
    .chain((reordered) => permutation(reordered))
    .map((reordered) => ({ modules, reordered })),
);

/** Every order of `items`. */
function permutation<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}
