import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';

const saas = { cwd: fixturesDir };
const args = (...rest: string[]) => ['graph', '--modules', 'saas', ...rest];

describe('modreg graph', () => {
  it('prints the load order and the layers', async () => {
    const run = await runCli(args(), saas);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Load order (16 modules):\n   1. core\n   2. analytics\n   3. auth\n',
    );
    expect(run.stdout).toContain(
      "Layers (6; a layer's modules can load in parallel):\n  0: core\n  1: analytics, auth\n",
    );
  });

  it('keeps to the --json contract', async () => {
    const run = await runCli(args('--json'), saas);
    const output = JSON.parse(run.stdout);
    expect(Object.keys(output)).toEqual(['order', 'layers', 'cycles', 'blocked', 'warnings']);
    expect(output.order).toHaveLength(16);
    expect(output.layers.flat().sort()).toEqual([...output.order].sort());
    expect(output).toMatchObject({ cycles: [], blocked: [], warnings: [] });
    expect((await runCli(args('--format', 'json'), saas)).stdout).toBe(run.stdout);
  });

  it('shows only the named modules and what they need', async () => {
    const run = await runCli(args('--json', 'invoicing'), saas);
    expect(JSON.parse(run.stdout).order).toEqual(['core', 'auth', 'users', 'billing', 'invoicing']);
  });

  it('takes the module after --ignore <glob> as a module, and --ignore repeated', async () => {
    const run = await runCli(args('--json', '--ignore', 'crm/**', 'reports'), saas);
    const output = JSON.parse(run.stdout);
    // Only reports and what it needs: without crm, reports itself is blocked.
    expect(output.order).toEqual(['core', 'analytics', 'auth', 'users', 'billing', 'invoicing']);
    expect(output.blocked).toEqual([
      expect.objectContaining({ module: 'reports', cause: 'missing-dependency' }),
    ]);
    const twice = await runCli(
      args('--json', '--ignore', 'crm/**', '--ignore', 'reports/**', 'invoicing'),
      saas,
    );
    expect(JSON.parse(twice.stdout).order).toEqual([
      'core',
      'auth',
      'users',
      'billing',
      'invoicing',
    ]);
  });

  it('suggests the nearest name for an unknown module and exits 1', async () => {
    const run = await runCli(args('invoicng'), saas);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'modreg: Unknown module "invoicng". Did you mean "invoicing"? Run "modreg discover" to list the modules.\n',
    );
    expect(run.stdout).toBe('');
  });

  it('renders Graphviz dot, optional edges dashed', async () => {
    const run = await runCli(args('--format', 'dot'), saas);
    expect(run.stdout.startsWith('digraph modreg {')).toBe(true);
    expect(run.stdout).toContain('"billing" -> "users";');
    expect(run.stdout).toContain('"reports" -> "analytics" [style=dashed];');
    expect(run.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('renders a Mermaid flowchart', async () => {
    const run = await runCli(args('--format', 'mermaid'), saas);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('flowchart BT');
    const id = (name: string) =>
      lines
        .find((l) => l.endsWith(`["${name}"]`))
        ?.trim()
        .split('[')[0];
    expect(lines).toContain(`  ${id('billing')} --> ${id('users')}`);
    expect(lines).toContain(`  ${id('reports')} -.-> ${id('analytics')}`);
  });

  it('marks cycle edges and blocked modules, and exits 1', async () => {
    const dir = { cwd: join(fixturesDir, 'invalid') };
    const text = await runCli(['graph', '--modules', 'cycle'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Cycles (1):\n  a → b → c → a');
    expect(text.stdout).toContain('Blocked (3):');
    const dot = await runCli(['graph', '--modules', 'cycle', '--format', 'dot'], dir);
    expect(dot.stdout).toContain('"a" -> "b" [color=red, penwidth=2];');
    expect(dot.stdout).toContain('"a" [color=red, fontcolor=red, label="a\\n(blocked)"];');
    const mermaid = await runCli(['graph', '--modules', 'cycle', '--format', 'mermaid'], dir);
    expect(mermaid.stdout).toMatch(/class m0,m1,m2 blocked/);
    expect(mermaid.stdout).toMatch(/linkStyle 0,1,2 stroke:#c0392b/);
  });

  it('shows missing modules in rendered graphs', async () => {
    const run = await runCli(['graph', '--modules', 'missing-dependency', '--format', 'dot'], {
      cwd: join(fixturesDir, 'invalid'),
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('"ledger" [style=dotted, label="ledger\\n(missing)"];');
    expect(run.stderr).toContain('1 config problem found; run "modreg validate" to see them.');
  });

  it('rejects an unknown format as a usage error', async () => {
    const run = await runCli(args('--format', 'svg'), saas);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Allowed choices are text, json, dot, mermaid');
  });
});
