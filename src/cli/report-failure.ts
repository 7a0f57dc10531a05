import { CommanderError } from 'commander';
import { isModregError, type ModregError } from '../errors.js';
import { OutputClosedError } from './closable-output.js';
import { type CliIO, ExitCode } from './context.js';

/**
 * Prints why a run failed and returns its exit code: a {@link ModregError} as its message
 * (exit 1, 2 or 3 by its code), a commander parse error as a usage error (commander has
 * printed it on stderr already), anything else as a bug with its stack (exit 70). Under
 * `--json` every failure is also `{ "error": { "code", "message" } }` on stdout.
 */
export function reportFailure(
  error: unknown,
  io: CliIO,
  json: boolean,
  command: CommandPath,
): number {
  if (error instanceof CommanderError) return reportUsage(error, io, json, command);
  if (isModregError(error)) {
    const message = cliMessage(error);
    io.stderr.write(`modreg: ${message}\n`);
    if (json) writeJson(io, error.code, message);
    return {
      usage: ExitCode.usage,
      invalid: ExitCode.invalid,
      refused: ExitCode.invalid,
      conflict: ExitCode.invalid,
      environment: ExitCode.environment,
    }[error.code];
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr.write(
    `modreg: internal error — this is a bug in modreg, please report it with the output below.\n${stack}\n`,
  );
  if (json) writeJson(io, 'internal', String(error));
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

/** The command being run when the failure came: for the message of a missing subcommand. */
export interface CommandPath {
  /** `modreg` or `modreg flags`. */
  path: string;
  /** Its subcommands. */
  commands: string[];
}

/**
 * Help and version end with exit 0; a missing command (`modreg`, `modreg flags`, help on
 * stderr) and every parse error with exit 2.
 */
function reportUsage(
  error: CommanderError,
  io: CliIO,
  json: boolean,
  command: CommandPath,
): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
    return ExitCode.ok;
  }
  if (error.code === 'commander.help' && error.exitCode === 0) return ExitCode.ok;
  if (json) {
    const message =
      error.code === 'commander.help'
        ? `"${command.path}" needs a command: ${command.commands.join(', ')}. Run "${command.path} --help" for what each does.`
        : sentence(error.message);
    writeJson(io, 'usage', message);
  }
  return ExitCode.usage;
}

/** commander's `error: unknown option '--x'\n(Did you mean --y?)` as one sentence. */
function sentence(message: string): string {
  const text = message
    .replace(/^error: /, '')
    .replace(/\s*\n\((Did you mean [^)]*)\)/, '. $1')
    .trim();
  const capital = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  return /[.?!]$/.test(capital) ? capital : `${capital}.`;
}

/** The error document; a stdout closed meanwhile is no reason to fail the report. */
function writeJson(io: CliIO, code: string, message: string): void {
  try {
    io.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  } catch (error) {
    if (!(error instanceof OutputClosedError)) throw error;
  }
}
