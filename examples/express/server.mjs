// A multi-tenant Express 5 server on fixtures/saas: each tenant (the x-tenant-id header) gets
// the modules switched on for it with the modreg CLI, live, without a restart.
// Settings (all optional): PORT, MODREG_ROOT, MODREG_MODULES, MODREG_STORE; see README.md.
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createModreg } from 'modreg';
import { createExpressMiddleware, tenantFromHeader } from 'modreg/express';

const modreg = createModreg({
  // Paths below are relative to the root; by default the repository this example is in.
  root: process.env.MODREG_ROOT ?? fileURLToPath(new URL('../..', import.meta.url)),
  // Scan the modules at start: no `modreg discover` is needed for the server itself.
  registry: { modulesDir: process.env.MODREG_MODULES ?? 'fixtures/saas' },
  // A JSON store directory, or redis://host:port[?prefix=app:] to share state between servers.
  store: process.env.MODREG_STORE ?? '.modreg/state',
});
await modreg.ready();

const app = express();
app.get('/health', (_req, res) => {
  const health = modreg.health();
  res.status(health.status === 'failing' ? 503 : 200).json({ ...health, stats: modreg.stats() });
});
app.use(createExpressMiddleware(modreg, { resolveTenant: tenantFromHeader('x-tenant-id') }));

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});

const shutdown = async () => {
  await new Promise((resolve) => {
    server.close(resolve);
    server.closeIdleConnections();
  });
  await modreg.close();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
