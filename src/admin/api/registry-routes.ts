import type { Route } from '../router.js';
import type { ApiContext } from './api-context.js';
import { type DoctorReport, doctorReport } from './doctor-report.js';

/**
 * `GET /api/modules` (the registry) and `GET /api/health` (the instance's health with the
 * findings of doctor; always 200: the body says how it is). Concurrent health requests share
 * one check.
 */
export function registryRoutes(api: ApiContext): Route[] {
  let running: Promise<DoctorReport> | undefined;
  const doctor = () => {
    running ??= doctorReport(api).finally(() => {
      running = undefined;
    });
    return running;
  };
  return [
    {
      method: 'GET',
      path: '/api/modules',
      handle: async () => ({ body: api.views.modules() }),
    },
    {
      method: 'GET',
      path: '/api/health',
      beforeReady: true,
      async handle() {
        const health = api.modreg.health();
        const report: DoctorReport = api.modreg.isReady()
          ? await doctor()
          : {
              ok: false,
              tenants: 0,
              complete: false,
              findings: [
                {
                  check: 'store',
                  subject: health.store.location,
                  message: `not started yet: ${health.reason ?? 'starting'}`,
                },
              ],
            };
        return { body: { ...api.modreg.health(), doctor: report } };
      },
    },
  ];
}
