import { isTenantId } from '../tenant/tenant-id.js';

/** Longest base name: with `.json` or `.lock` it stays within 255 bytes. */
const MAX_BASE = 250;

/** Windows device names, which it refuses as files with any suffix (`con.json`, `nul.x.json`). */
const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/**
 * File names of tenants in the JSON store, safe on every OS: lowercase only (so that `Acme`
 * and `acme` stay two files on case-insensitive file systems), never a Windows device name,
 * never longer than 255 bytes with its suffix, and mapped back exactly.
 *
 * The base name is the id with each capital written `^` + its lowercase letter (`Acme` →
 * `^acme`), the encoding modreg always used. Two escapes extend it, both `^` followed by a
 * character the old encoding never wrote there, so every name written before keeps its
 * meaning:
 * - `^_` in front of a base that Windows reads as a device (`con`, `aux.json`, `lpt9.x`…);
 * - `^-` in front of the encoding of the id with its case swapped, when the plain encoding
 *   would be too long (an id of 128 characters, nearly all capitals).
 *
 * This is the base name (no suffix) the store writes for `tenant`, a valid id.
 */
export function baseNameOf(tenant: string): string {
  const plain = encodeCase(tenant);
  if (plain.length > MAX_BASE) return `^-${encodeCase(swapCase(tenant))}`;
  if (DEVICE.test(plain.split('.')[0] as string)) return `^_${plain}`;
  return plain;
}

/** The file name of a tenant (a valid id) under `tenants/`. */
export function fileNameOf(tenant: string): string {
  return `${baseNameOf(tenant)}.json`;
}

/**
 * The file name modreg before the escapes wrote for `tenant`, when it differs from today's:
 * only Windows device names (`con.json`), still read, and replaced by the new name at the
 * tenant's next change.
 */
export function legacyFileNameOf(tenant: string): string | undefined {
  const plain = encodeCase(tenant);
  // A plain name past MAX_BASE was never written: it is longer than file systems allow.
  return plain.length > MAX_BASE || plain === baseNameOf(tenant) ? undefined : `${plain}.json`;
}

/**
 * The tenant a file name under `tenants/` belongs to, or undefined for anything else
 * (temporary files, names modreg never writes).
 */
export function tenantOf(fileName: string): string | undefined {
  if (!fileName.endsWith('.json')) return undefined;
  const base = fileName.slice(0, -5);
  let tenant: string | undefined;
  if (base.startsWith('^_')) tenant = decodeCase(base.slice(2));
  else if (base.startsWith('^-')) {
    const swapped = decodeCase(base.slice(2));
    tenant = swapped === undefined ? undefined : swapCase(swapped);
  } else tenant = decodeCase(base);
  if (!isTenantId(tenant)) return undefined;
  return fileNameOf(tenant) === fileName || legacyFileNameOf(tenant) === fileName
    ? tenant
    : undefined;
}

function encodeCase(tenant: string): string {
  return tenant.replace(/[A-Z]/g, (c) => `^${c.toLowerCase()}`);
}

/** The inverse of encodeCase, or undefined for text it never writes. */
function decodeCase(base: string): string | undefined {
  if (!/^(?:[a-z0-9._-]|\^[a-z])*$/.test(base)) return undefined;
  return base.replace(/\^([a-z])/g, (_, c: string) => c.toUpperCase());
}

function swapCase(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) =>
    c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase(),
  );
}
