import type { Modreg } from '../../runtime/modreg.js';
import type { EventHub } from '../events.js';
import type { RegistryViews } from './registry-views.js';

/** What the API routes share: the instance, its registry views, the event hub, the bounds. */
export interface ApiContext {
  modreg: Modreg;
  views: RegistryViews;
  events: EventHub;
  maxBulkTenants: number;
  healthTenantLimit: number;
  doctor?: { modulesDir: string; root?: string; ignore?: string[]; jsonOnly?: boolean };
}
