import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter } from 'lowdb';
import { syncDirectory } from '../atomic-write.js';
import type { SchemaValidator } from '../registry/schema-issues.js';
import type { JsonStoreLayout } from './json-layout.js';
import { fileNameOf, legacyFileNameOf } from './json-names.js';
import { createTenantFileAdapter, emptyDocument, type TenantDocument } from './tenant-file.js';

/** The tenant files of one JSON store, by tenant id (ids are checked by the caller). */
export interface TenantDocuments {
  /** The tenant's document; the empty one (revision 0) when it has no file. */
  read(tenant: string): Promise<TenantDocument>;
  /** Replaces the tenant's file (the caller holds the tenant's lock). */
  write(tenant: string, document: TenantDocument): Promise<void>;
  /** The file of a tenant, for messages. */
  fileOf(tenant: string): string;
}

/**
 * Reads and writes tenant files under `layout.tenants`. A tenant whose file name changed
 * (a Windows device name, `con.json` → `^_con.json`, see json-names.ts) is read from its old
 * name until its next change writes the new one and removes the old.
 */
export function createTenantDocuments(
  layout: JsonStoreLayout,
  validator: () => SchemaValidator,
): TenantDocuments {
  const adapter = (tenant: string, name: string): Adapter<TenantDocument> =>
    createTenantFileAdapter({
      file: join(layout.tenants, name),
      tenant,
      validator,
      tempDir: layout.temp,
    });
  const fileOf = (tenant: string) => join(layout.tenants, fileNameOf(tenant));
  return {
    fileOf,
    async read(tenant) {
      const current = adapter(tenant, fileNameOf(tenant));
      const found = await current.read();
      if (found !== null) return found;
      const legacy = legacyFileNameOf(tenant);
      if (legacy === undefined) return emptyDocument(tenant);
      // A writer makes the new name before it removes the old one: when the old one is gone
      // too, look at the new one again.
      return (
        (await adapter(tenant, legacy).read()) ?? (await current.read()) ?? emptyDocument(tenant)
      );
    },
    async write(tenant, document) {
      await adapter(tenant, fileNameOf(tenant)).write(document);
      const legacy = legacyFileNameOf(tenant);
      if (legacy === undefined) return;
      // Committed already: an old file left behind is harmless (the new name is read first)
      // and removed at the next change.
      await rm(join(layout.tenants, legacy), { force: true })
        .then(() => syncDirectory(layout.tenants))
        .catch(() => undefined);
    },
  };
}
