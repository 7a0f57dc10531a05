import type { SpecSkips } from './spec-files.js';

const TARGETING =
  '@targeting: a CEL rule over context attributes (email, age…); modreg resolves by tenant and has no such rules';
const FLAG_METADATA =
  "modreg flags declare no metadata of their own: flagMetadata holds modreg's (the declaring module, the tenant, its revision)";

/** What `evaluation_v2.feature` does not run against modreg, and why. */
export const EVALUATION_SKIPS: SpecSkips = {
  tags: { '@targeting': TARGETING },
  titles: {
    'Flag metadata in evaluation details': FLAG_METADATA,
    'CACHED reason':
      'modreg answers every evaluation of a tenant it holds from its cache and keeps the reason saying where the value comes from (TARGETING_MATCH, DEFAULT); it never answers CACHED',
  },
};

/** What `metadata.feature` does not run against modreg, and why. */
export const METADATA_SKIPS: SpecSkips = {
  titles: {
    'Returns metadata': FLAG_METADATA,
    'Returns no metadata':
      'modreg always fills flagMetadata: the declaring module, the tenant and its revision',
  },
};
