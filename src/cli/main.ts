import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isModregError } from '../errors.js';
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
    .description('Discover, validate and order the modules of a multi-tenant server.')
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
  const lazy = (load: () => Promise<{ default: Action }>) =>
    async function (this: Command) {
      await run((await load()).default, this);
    };
  const scan = (command: Command) =>
    command
      .option(
        '-m, --modules <dir>',
        'modules directory (default: "modules", or the config file\'s "modules")',
      )
      .option(
        '--ignore <glob...>',
        'globs to skip under the modules directory (node_modules is always skipped)',
      )
      .option('--json-only', 'refuse executable module.config.{js,mjs,cjs} files');

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
  return program;
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
    if (json)
      io.stdout.write(
        `${JSON.stringify({ error: { code: error.code, message: error.message } }, null, 2)}\n`,
      );
    io.stderr.write(`modreg: ${error.message}\n`);
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

function readVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
