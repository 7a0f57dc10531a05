import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { CliIO, CommandContext } from './context.js';

/** A command's implementation; each declares the option shape commander parses for it. */
export type Action = (ctx: CommandContext, args: string[], options: never) => Promise<number>;

/**
 * The modreg commands and their options, each action loaded only when its command runs.
 * `run` calls the action with the command that commander parsed.
 */
export function buildProgram(
  io: CliIO,
  run: (action: Action, command: Command) => Promise<void>,
): Command {
  const program = new Command('modreg')
    .description(
      'Discover, validate and order the modules of a multi-tenant server, and switch them per tenant.',
    )
    .version(readVersion(), '-v, --version', 'print the modreg version')
    .option('--json', 'machine-readable output on stdout')
    .option('-q, --quiet', 'print only results and errors')
    .option('--no-color', 'never colour the output (NO_COLOR is honoured too)')
    .option(
      '-c, --config <file>',
      'config file (default: modreg.config.json, .modregrc*, package.json#modreg)',
    )
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run "modreg --help" for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const lazy: Lazy = (load) =>
    async function (this: Command) {
      await run((await load()).default, this);
    };

  program
    .command('init')
    .description('write modreg.config.json and an example module; refuses to overwrite')
    .option('-m, --modules <dir>', 'modules directory to create', 'modules')
    .action(lazy(() => import('./commands/init.js')));
  withModules(program.command('discover'))
    .description(
      'scan and validate the modules, print them, and write the registry file the runtime reads',
    )
    .option('--force', 'write the registry even when configs have problems or modules are blocked')
    .action(lazy(() => import('./commands/discover.js')));
  withModules(program.command('validate'))
    .description('the checks of discover, writing nothing: for CI')
    .action(lazy(() => import('./commands/validate.js')));
  withModules(program.command('graph'))
    .description('print the load order, layers, cycles and blocked modules')
    .argument('[module...]', 'show only these modules and what they need')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'dot', 'mermaid'])
        .default('text'),
    )
    .action(lazy(() => import('./commands/graph.js')));
  addTenantCommands(program, lazy);
  return program;
}

type Lazy = (load: () => Promise<{ default: Action }>) => (this: Command) => Promise<void>;

/**
 * The commands that read or change tenant state. Each takes `--store`; those that need the
 * modules also take the options of {@link withModules}; `history` and `export` read the
 * store alone.
 */
function addTenantCommands(program: Command, lazy: Lazy): void {
  const tenant = (command: Command) => withStore(withModules(command));
  const change = (command: Command) =>
    tenant(command)
      .option('--dry-run', 'show what would change, write nothing')
      .option('--actor <name>', 'who makes the change, for the history (default: the OS user)');
  const named = (file: () => Promise<Record<string, Action>>, name: string) =>
    lazy(async () => ({ default: (await file())[name] as Action }));

  change(program.command('enable'))
    .description('enable modules for a tenant; their required dependencies must be enabled')
    .argument('<tenant>', 'tenant id')
    .argument('<module...>', 'modules to enable')
    .option('--with-deps', 'also enable missing required dependencies, in load order')
    .action(lazy(() => import('./commands/enable.js')));
  change(program.command('disable'))
    .description('disable modules for a tenant; refused while an enabled module requires them')
    .argument('<tenant>', 'tenant id')
    .argument('<module...>', 'modules to disable')
    .option('--cascade', 'also disable the enabled modules that require them, dependents first')
    .action(lazy(() => import('./commands/disable.js')));
  const flags = program.command('flags').description("read and change a tenant's feature flags");
  tenant(flags.command('get'))
    .description('flag values, declared defaults included')
    .argument('<tenant>', 'tenant id')
    .argument('[key]', 'one flag')
    .action(named(() => import('./commands/flags.js'), 'flagsGet'));
  change(flags.command('set'))
    .description('set flags, each checked against the type its module declares')
    .argument('<tenant>', 'tenant id')
    .argument(
      '<key=value...>',
      'flags to set; values are parsed by the declared type (JSON when undeclared)',
    )
    .option('--strict', 'refuse flags that no module declares')
    .action(named(() => import('./commands/flags.js'), 'flagsSet'));
  change(flags.command('unset'))
    .description('remove flag values, back to the declared defaults')
    .argument('<tenant>', 'tenant id')
    .argument('<key...>', 'flags to remove')
    .action(named(() => import('./commands/flags.js'), 'flagsUnset'));
  tenant(program.command('status'))
    .description("a tenant's modules (load order), flags and revision; without a tenant, the store")
    .argument('[tenant]', 'tenant id')
    .action(lazy(() => import('./commands/status.js')));
  tenant(program.command('tenants'))
    .description('every tenant in the store, with its revision and module count')
    .option('-n, --limit <n>', 'list one page of this many tenants, and the cursor of the next')
    .option('--cursor <cursor>', 'where the page starts: the cursor the page before gave')
    .action(lazy(() => import('./commands/tenants.js')));
  withStore(program.command('history'))
    .description("a tenant's latest changes, newest first")
    .argument('<tenant>', 'tenant id')
    .option('-n, --limit <n>', 'how many changes', '20')
    .action(lazy(() => import('./commands/history.js')));
  change(program.command('rollback'))
    .description('restore the state a tenant had at a revision, through the dependency checks')
    .argument('<tenant>', 'tenant id')
    .requiredOption('--to <revision>', 'the revision to go back to')
    .action(lazy(() => import('./commands/rollback.js')));
  withStore(program.command('export'))
    .description("every tenant's settings as JSON (to move stores: export, then import)")
    .option('-o, --output <file>', 'write to a file instead of stdout (all or nothing)')
    .option(
      '--skip-corrupt',
      'leave out the tenants that cannot be read, naming them, instead of failing',
    )
    .option('--no-history', "leave out each tenant's history: settings and revisions only")
    .action(lazy(() => import('./commands/export.js')));
  change(program.command('import'))
    .description('set tenants to the settings in an export; the whole file is checked first')
    .argument('<file>', 'a file written by modreg export')
    .option('--no-history', 'leave the exported history behind (revisions still continue)')
    .action(lazy(() => import('./commands/import.js')));
  tenant(program.command('serve'))
    .description('serve the admin API and web console (bearer tokens; binds 127.0.0.1)')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '4000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--token-file <file>',
      'JSON file of admin tokens: { "tokens": [{ "actor", "access", "token" }] }',
    )
    .action(lazy(() => import('./commands/serve.js')));
  tenant(program.command('doctor'))
    .description('check the store, the registry file, and tenants whose modules would not load')
    .action(lazy(() => import('./commands/doctor.js')));
}

/** The options of every command that needs the modules: the same everywhere. */
function withModules(command: Command): Command {
  return command
    .option(
      '-m, --modules <dir>',
      'modules directory to scan (default: the config\'s "modules", else the one discover last scanned, else modules); tenant commands scan it instead of reading the registry file',
    )
    .option(
      '--ignore <glob>',
      'a glob to skip under the modules directory; repeat for more (node_modules is always skipped)',
      collect,
    )
    .option('--json-only', 'refuse executable module.config.{js,mjs,cjs} files')
    .option(
      '-r, --registry <file>',
      'the registry file discover writes and tenant commands read (default: .modreg/registry.json)',
    );
}

/** The option of every command that reads or changes tenant state. */
function withStore(command: Command): Command {
  return command.option(
    '-s, --store <path|url>',
    'state store: a directory (JSON store) or redis:// URL (default: .modreg/state)',
  );
}

function readVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Collects a repeatable option's values. Repeating the option, rather than a variadic
 * `<glob...>`, keeps it from swallowing the positional arguments after it.
 */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
