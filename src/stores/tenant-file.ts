import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { writeFileAtomic } from '../atomic-write.js';
import { ModregError } from '../errors.js';
import type { SchemaValidator } from '../registry/schema-validator.js';
import type { HistoryEntry, TenantState } from '../tenant/types.js';

/** The content of one tenant's file in the JSON store (schemas/state.schema.json). */
export interface TenantDocument extends TenantState {
  format: 1;
  /** The latest changes, newest first. */
  history: HistoryEntry[];
}

/** The document of a tenant never written. */
export function emptyDocument(tenant: string): TenantDocument {
  return { format: 1, tenant, revision: 0, updatedAt: null, modules: [], flags: {}, history: [] };
}

/**
 * A lowdb adapter for one tenant file: reads validate against the state schema (a corrupt
 * or hand-broken file is an error, never silently replaced), writes are atomic and durable
 * (unique temporary file, fsync, rename, directory fsync).
 */
export function createTenantFileAdapter(
  file: string,
  validator: () => SchemaValidator,
): Adapter<TenantDocument> {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new ModregError('environment', `Cannot read ${file}: ${(error as Error).message}.`, {
          cause: error,
        });
      }
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        throw corrupt(file, `it is not valid JSON (${(error as Error).message})`, error);
      }
      const issue = validator().validate(document)[0];
      if (issue !== undefined) {
        throw corrupt(
          file,
          `it does not match schemas/state.schema.json at "${issue.pointer}" (${issue.message.replace(/\.$/, '')})`,
        );
      }
      return document as TenantDocument;
    },
    async write(document) {
      // Never write what a read would refuse.
      const issue = validator().validate(document)[0];
      if (issue !== undefined) {
        throw new ModregError(
          'invalid',
          `Refusing to write tenant "${document.tenant}": ${issue.pointer} ${issue.message}`,
        );
      }
      try {
        await writeFileAtomic(file, JSON.stringify(document));
      } catch (error) {
        throw new ModregError(
          'environment',
          `Cannot write ${file}: ${(error as Error).message}. Check that the store directory is writable.`,
          { cause: error },
        );
      }
    },
  };
}

function corrupt(file: string, why: string, cause?: unknown): ModregError {
  return new ModregError(
    'environment',
    `The state file ${file} is corrupt: ${why}. It was left as it is; restore it from a backup or an earlier export ("modreg import"), or delete it to reset that tenant.`,
    { cause },
  );
}
