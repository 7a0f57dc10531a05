import { createTestModreg } from '../../../src/runtime/testing.js';
import { SHOP_MODULES, SHOP_TENANTS } from '../../openfeature/helpers.js';
import { startAdmin } from './admin-server.js';

/** The OFREP path of one flag; the bulk path without a key. */
export const OFREP_FLAGS = '/ofrep/v1/evaluate/flags';

/**
 * An admin server over the shop's modules and tenants, and `evaluate(key, context, token?)`
 * posting one flag's OFREP request (`token: null` sends none).
 */
export async function shopAdmin() {
  const modreg = await createTestModreg({ modules: SHOP_MODULES, tenants: SHOP_TENANTS });
  const admin = await startAdmin(modreg);
  const evaluate = (key: string, context: unknown, token?: string | null) =>
    admin.request('POST', `${OFREP_FLAGS}/${key}`, {
      body: { context },
      ...(token === undefined ? {} : { token }),
    });
  return { modreg, admin, evaluate };
}
