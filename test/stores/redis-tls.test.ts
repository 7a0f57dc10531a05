import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { fixturesDir, runCli, spawnCli } from '../helpers/cli.js';
import { freePort, haltRedis, launchRedis } from '../helpers/redis-process.js';
import { describeWithRedis, testPrefix } from '../helpers/redis-server.js';
import { copyFixture, tempDir } from '../helpers/temp-dir.js';

describeWithRedis('redis store over TLS', () => {
  it('speaks TLS for a rediss:// URL (the CLI, with the CA in NODE_EXTRA_CA_CERTS)', {
    timeout: 60_000,
  }, async (context) => {
    const dir = await tempDir();
    if (!makeCertificates(dir)) context.skip('no openssl to make a certificate with');
    const tlsPort = await freePort();
    const server = await launchRedis(await freePort(), dir, [
      '--tls-port',
      String(tlsPort),
      '--tls-cert-file',
      join(dir, 'server.crt'),
      '--tls-key-file',
      join(dir, 'server.key'),
      '--tls-ca-cert-file',
      join(dir, 'ca.crt'),
      '--tls-auth-clients',
      'no',
    ]);
    onTestFinished(() => haltRedis(server));
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
    const store = `rediss://127.0.0.1:${tlsPort}?prefix=${encodeURIComponent(testPrefix())}`;
    const env = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.crt') };
    const enabled = await spawnCli(
      ['enable', 'acme', 'crm', '--with-deps', '--json', '--store', store],
      {
        cwd,
        env,
      },
    );
    expect(enabled).toMatchObject({ code: 0, stderr: '' });
    const tenants = await spawnCli(['tenants', '--json', '--store', store], { cwd, env });
    expect(JSON.parse(tenants.stdout).tenants.map((t: { tenant: string }) => t.tenant)).toEqual([
      'acme',
    ]);
    // Without the CA the certificate is not trusted: TLS it is, not plain text.
    const untrusted = await spawnCli(['tenants', '--json', '--store', store], { cwd });
    expect(untrusted.code).toBe(3);
    expect(JSON.parse(untrusted.stdout).error.message).toMatch(/certificate/i);
  });
});

/** A CA and a server certificate for 127.0.0.1 in `dir`; false without openssl. */
function makeCertificates(dir: string): boolean {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  try {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=modreg test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    );
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
    );
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    run(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.cnf',
      '-out',
      'server.crt',
    );
    return true;
  } catch {
    return false;
  }
}
