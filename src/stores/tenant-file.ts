import type { Adapter } from 'lowdb';
import { writeFileAtomic } from '../atomic-write.js';
import { ModregError } from '../errors.js';
import type { SchemaValidator } from '../registry/schema-issues.js';
import type { HistoryEntry, TenantState } from '../tenant/types.js';
import { fileSystemError } from './json-errors.js';
import { NotRegularFile, readRegularFile } from './json-regular-file.js';

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

/** Where one tenant's file is and how it is checked and written. */
export interface TenantFileOptions {
  /** The file, under the store's `tenants/`. */
  file: string;
  /** The tenant whose file it is: a file holding another tenant is corrupt. */
  tenant: string;
  validator: () => SchemaValidator;
  /** Where temporary files go (same file system as `file`). */
  tempDir: string;
}

/**
 * A lowdb adapter for one tenant file. Reads refuse anything but a regular file (a FIFO
 * cannot hang them, a link cannot stand for another tenant's file), validate against the
 * state schema and check that the file holds this tenant: a corrupt, hand-broken or
 * misplaced file is an `environment` error naming it, never silently replaced. Writes are
 * atomic and durable (temporary file, fsync, rename, directory fsync).
 */
export function createTenantFileAdapter(options: TenantFileOptions): Adapter<TenantDocument> {
  const { file, tenant } = options;
  return {
    async read() {
      let text: string | undefined;
      try {
        text = await readRegularFile(file);
      } catch (error) {
        if (error instanceof NotRegularFile) {
          throw corrupt(
            file,
            error.kind === 'a symbolic link'
              ? 'it is a symbolic link, and tenant files must be regular files (so that no file stands for another tenant)'
              : `it is ${error.kind}, not a regular file`,
          );
        }
        throw fileSystemError(`Cannot read ${file}`, error);
      }
      if (text === undefined) return null;
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        throw corrupt(file, `it is not valid JSON (${(error as Error).message})`, error);
      }
      const issue = options.validator().validate(document)[0];
      if (issue !== undefined) {
        throw corrupt(
          file,
          `it does not match schemas/state.schema.json at "${issue.pointer}" (${issue.message.replace(/\.$/, '')})`,
        );
      }
      const held = (document as TenantDocument).tenant;
      if (held !== tenant) {
        throw corrupt(
          file,
          `it holds tenant "${held}", not "${tenant}" (copied or linked from another tenant's file?)`,
        );
      }
      return document as TenantDocument;
    },
    async write(document) {
      // Never write what a read would refuse.
      const issue = options.validator().validate(document)[0];
      if (issue !== undefined || document.tenant !== tenant) {
        throw new ModregError(
          'invalid',
          `Refusing to write tenant "${tenant}": ${issue === undefined ? "the document is another tenant's" : `${issue.pointer} ${issue.message}`}`,
        );
      }
      try {
        await writeFileAtomic(file, JSON.stringify(document), { tempDir: options.tempDir });
      } catch (error) {
        throw fileSystemError(`Cannot write ${file}`, error);
      }
    },
  };
}

function corrupt(file: string, why: string, cause?: unknown): ModregError {
  return new ModregError(
    'environment',
    `The state file ${file} is corrupt: ${why}. It was left as it is; restore it from a backup or an earlier export ("modreg import"), or delete it to reset that tenant.`,
    { cause, details: { corrupt: file } },
  );
}
