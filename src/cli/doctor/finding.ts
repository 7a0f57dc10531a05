/** One finding of `modreg doctor`: what was checked, about what, and what to do. */
export interface Finding {
  check: 'store' | 'registry' | 'tenant';
  /** The store's location, the registry file, the modules directory or a tenant id. */
  subject: string;
  message: string;
}
