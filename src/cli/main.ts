import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isModregError, type ModregError } from '../errors.js';
import { type CliIO, type CommandContext, ExitCode, type GlobalOptions } from './context.js';

/** A command's implementation; each declares the option shape commander parses for it. */
type Action = (ctx: CommandContext, args: string[], options: never) => Promise<number>;

/**
 * Runs the modreg command line and returns its exit code. The only place that reads the
 * process (when `io` is not given) and decides exit codes; never calls `process.exit`.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  let wantsJson = argv.includes('--json');
  const program = buildProgram(io, async (action, command) => {
    const global = command.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
    wantsJson = global.json === true;
    const ctx: CommandContext = {
      io,
      global: {
        json: global.json === true,
        quiet: global.quiet === true,
        color: global.color !== false,
        ...(typeof global.config === 'string' ? { config: global.config } : {}),
      },
    };
    exitCode = await action(ctx, command.args, command.opts() as never);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const quiet =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      return quiet ? ExitCode.ok : ExitCode.usage;
    }
    return reportFailure(error, io, wantsJson);
  }
}

function buildProgram(
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
  const scan = scanOptions;

  program
    .command('init')
    .description('write modreg.config.json and an example module; refuses to overwrite')
    .option('-m, --modules <dir>', 'modules directory to create', 'modules')
    .action(lazy(() => import('./commands/init.js')));
  scan(program.command('discover'))
    .description(
      'scan and validate the modules, print them, and write the registry file the runtime reads',
    )
    .option('-r, --registry <file>', 'registry file to write (default: .modreg/registry.json)')
    .option('--force', 'write the registry even when configs have problems or modules are blocked')
    .action(lazy(() => import('./commands/discover.js')));
  scan(program.command('validate'))
    .description('the checks of discover, writing nothing: for CI')
    .action(lazy(() => import('./commands/validate.js')));
  scan(program.command('graph'))
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

/** The commands that read or change tenant state. */
function addTenantCommands(program: Command, lazy: Lazy): void {
  const state = (command: Command) =>
    command
      .option(
        '-s, --store <path|url>',
        'state store: a directory (JSON store) or redis:// URL (default: .modreg/state)',
      )
      .option(
        '-r, --registry <file>',
        'registry file written by discover (default: .modreg/registry.json)',
      );
  const change = (command: Command) =>
    state(command)
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
  state(flags.command('get'))
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
  state(program.command('status'))
    .description("a tenant's modules (load order), flags and revision; without a tenant, the store")
    .argument('[tenant]', 'tenant id')
    .action(lazy(() => import('./commands/status.js')));
  state(program.command('tenants'))
    .description('every tenant in the store')
    .action(lazy(() => import('./commands/tenants.js')));
  state(program.command('history'))
    .description("a tenant's latest changes, newest first")
    .argument('<tenant>', 'tenant id')
    .option('-n, --limit <n>', 'how many changes', '20')
    .action(lazy(() => import('./commands/history.js')));
  change(program.command('rollback'))
    .description('restore the state a tenant had at a revision, through the dependency checks')
    .argument('<tenant>', 'tenant id')
    .requiredOption('--to <revision>', 'the revision to go back to')
    .action(lazy(() => import('./commands/rollback.js')));
  state(program.command('export'))
    .description("every tenant's settings as JSON (to move stores: export, then import)")
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(lazy(() => import('./commands/export.js')));
  change(program.command('import'))
    .description('set tenants to the settings in an export; the whole file is checked first')
    .argument('<file>', 'a file written by modreg export')
    .action(lazy(() => import('./commands/import.js')));
  scanOptions(state(program.command('serve')))
    .description('serve the admin API and web console (bearer tokens; binds 127.0.0.1)')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '4000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--token-file <file>',
      'JSON file of admin tokens: { "tokens": [{ "actor", "access", "token" }] }',
    )
    .action(lazy(() => import('./commands/serve.js')));
  scanOptions(state(program.command('doctor')))
    .description('check the store, the registry file, and tenants whose modules would not load')
    .action(lazy(() => import('./commands/doctor.js')));
}

/** The options of the commands that scan the modules directory. */
function scanOptions(command: Command): Command {
  return command
    .option(
      '-m, --modules <dir>',
      'modules directory (default: "modules", or the config file\'s "modules")',
    )
    .option(
      '--ignore <glob...>',
      'globs to skip under the modules directory (node_modules is always skipped)',
    )
    .option('--json-only', 'refuse executable module.config.{js,mjs,cjs} files');
}

/** Prints a failure: a ModregError as its message, anything else as a bug with its stack. */
function reportFailure(error: unknown, io: CliIO, json: boolean): number {
  if (isModregError(error)) {
    const exit = {
      usage: ExitCode.usage,
      invalid: ExitCode.invalid,
      refused: ExitCode.invalid,
      conflict: ExitCode.invalid,
      environment: ExitCode.environment,
    }[error.code];
    const message = cliMessage(error);
    if (json)
      io.stdout.write(`${JSON.stringify({ error: { code: error.code, message } }, null, 2)}\n`);
    io.stderr.write(`modreg: ${message}\n`);
    return exit;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (json)
    io.stdout.write(
      `${JSON.stringify({ error: { code: 'internal', message: String(error) } }, null, 2)}\n`,
    );
  io.stderr.write(
    `modreg: internal error — this is a bug in modreg, please report it with the output below.\n${stack}\n`,
  );
  return ExitCode.internal;
}

/** The CLI's flags for the options a planner refusal offers as its alternative. */
const ALTERNATIVE_FLAGS = { withDeps: '--with-deps', cascade: '--cascade' } as const;

/** A ModregError's message as the CLI says it: a refusal's alternative named by its flag. */
function cliMessage(error: ModregError): string {
  const { problem, fix, alternative } = error.details ?? {};
  if (problem === undefined || fix === undefined || alternative === undefined) return error.message;
  return `${problem} ${fix}, or pass ${ALTERNATIVE_FLAGS[alternative]}.`;
}

function readVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signals: {
      once(listener) {
        const on = (signal: NodeJS.Signals) => {
          off();
          listener(signal);
        };
        const off = () => {
          process.off('SIGINT', on);
          process.off('SIGTERM', on);
        };
        process.once('SIGINT', on);
        process.once('SIGTERM', on);
        return off;
      },
    },
  };
}
