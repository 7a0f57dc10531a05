/** One finding of `modreg doctor` (and of the admin API's health): what, about what, the fix. */
export interface Finding {
  check: 'store' | 'registry' | 'tenant';
  /** The store's location, the registry file, the modules directory or a tenant id. */
  subject: string;
  message: string;
}
