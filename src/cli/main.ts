import type { Command } from 'commander';
import { closableOutput, OutputClosedError } from './closable-output.js';
import { type CliIO, type CommandContext, ExitCode, type GlobalOptions } from './context.js';
import { heapForCommands, heapForServing } from './heap.js';
import { buildProgram } from './program.js';
import { reportFailure } from './report-failure.js';

/**
 * Runs the modreg command line and returns its exit code. The only place that reads the
 * process (when `io` is not given) and decides exit codes; never calls `process.exit`.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  // Before parsing succeeds, a usage error has only the raw arguments to go by.
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
  let current: Command = program;
  followDispatch(program, (command) => {
    current = command;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // The reader of stdout went away (`| head -1`): nothing more to say, to anyone.
    if (error instanceof OutputClosedError) return exitCode;
    return reportFailure(error, io, wantsJson, {
      path: commandPath(current),
      commands: current.commands.map((c) => c.name()),
    });
  }
}

/** Calls `seen` with each subcommand as commander dispatches to it. */
function followDispatch(command: Command, seen: (command: Command) => void): void {
  if (command.commands.length === 0) return;
  command.hook('preSubcommand', (_parent, sub) => seen(sub));
  for (const sub of command.commands) followDispatch(sub, seen);
}

/** `modreg flags`, `modreg`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function processIO(): CliIO {
  heapForCommands();
  return {
    stdout: closableOutput(process.stdout, true),
    stderr: closableOutput(process.stderr, false),
    env: process.env,
    cwd: process.cwd(),
    serving: heapForServing,
    signals: {
      once(listener) {
        let told = false;
        const on = (signal: NodeJS.Signals) => {
          if (told) return;
          told = true;
          // Still listening while this signal reaches the other listeners: signal-exit (the
          // lock library loads it with the first write) re-raises a signal that no one else
          // listens to, which would end the process before the command shuts down. A second
          // signal, once this listener is gone, still ends it.
          setImmediate(off);
          listener(signal);
        };
        const off = () => {
          process.off('SIGINT', on);
          process.off('SIGTERM', on);
        };
        process.on('SIGINT', on);
        process.on('SIGTERM', on);
        return off;
      },
    },
  };
}
