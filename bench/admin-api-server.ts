import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRegistryViews } from '../src/admin/api/registry-views.js';
import { readKnownTenant } from '../src/admin/api/tenant-state.js';
import { tenantView } from '../src/admin/api/tenant-view.js';
import { createAdminHandler } from '../src/admin/create-admin-handler.js';
import { createModreg } from '../src/runtime/create-modreg.js';
import type { Modreg } from '../src/runtime/modreg.js';

/**
 * A server for the admin benchmark, run as its own process: `admin` is the admin handler;
 * `bare` is a node:http handler making the same store calls through the same instance and
 * answering the same JSON, with no routing table, auth, body checks or headers — the floor.
 * Arguments: the contender, the store (directory or redis:// URL), the registry file, the
 * admin token.
 * Prints `listening <url>` once ready; stops on SIGTERM.
 */
async function main([mode, store, registry, token]: string[]): Promise<void> {
  const modreg = createModreg({
    registry: registry as string,
    store: store as string,
    logger: false,
  });
  await modreg.ready();
  // Every tenant read once before the load: neither contender pays for the first sync.
  await modreg.synced();
  const handler =
    mode === 'admin'
      ? createAdminHandler(modreg, {
          tokens: [{ token: token as string, actor: 'bench', access: 'write' }],
          consoleDir: false,
        })
      : bareHandler(modreg);
  const server = createServer(handler);
  server.listen(0, '127.0.0.1', () => {
    console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void modreg.close());
  });
}

function bareHandler(modreg: Modreg) {
  const views = createRegistryViews(modreg);
  const tenantPath = /^\/api\/tenants\/([^/]+)(?:\/(enable|disable))?$/;
  return (req: IncomingMessage, res: ServerResponse) => {
    const found = tenantPath.exec(req.url ?? '');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const tenant = found?.[1] as string;
    const action = found?.[2];
    const answer = async () => {
      if (action === undefined)
        return tenantView(views.planning(), await readKnownTenant(modreg, tenant));
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        modules: string[];
        withDeps?: boolean;
      };
      return action === 'enable'
        ? modreg.enable(tenant, body.modules, { withDeps: body.withDeps === true })
        : modreg.disable(tenant, body.modules);
    };
    answer().then(
      (body) => reply(200, body),
      (error: Error) => reply(500, { error: { code: 'internal', message: error.message } }),
    );
  };
}

await main(process.argv.slice(2));
