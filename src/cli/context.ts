/** A stream the CLI writes to. */
export interface OutputStream {
  /** False when the stream's buffer is full: wait for {@link OutputStream.drained}. */
  write(text: string): unknown;
  isTTY?: boolean;
  /** Resolves once a full buffer has been flushed (or the stream was closed). */
  drained?(): Promise<void>;
}

/** Everything the CLI takes from its process: streams, environment, working directory. */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /**
   * The process's SIGINT and SIGTERM, for a command that runs until stopped (`serve`):
   * `once(listener)` listens for the next one and returns a function that stops listening.
   */
  signals?: { once(listener: (signal: string) => void): () => void };
  /**
   * Told by a command that serves until stopped (`serve`): the process sizes its heap for
   * throughput again, not for a command's short life (src/cli/heap.ts). Absent when the CLI
   * runs inside another program.
   */
  serving?(): void;
}

/** Options every command accepts. */
export interface GlobalOptions {
  /** Machine-readable output on stdout. */
  json: boolean;
  /** Only results and errors, no notes. */
  quiet: boolean;
  /** false after `--no-color`. */
  color: boolean;
  /** An explicit config file (`--config`). */
  config?: string;
}

/** What a command gets: the process side and the global options. */
export interface CommandContext {
  io: CliIO;
  global: GlobalOptions;
}

/** Exit codes: the contract with shells and CI. */
export const ExitCode = {
  ok: 0,
  /** Refused or invalid: validation problems, cycles, blocked modules, dependency refusals. */
  invalid: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** The environment failed: unreadable directory, unwritable file, store unreachable. */
  environment: 3,
  /** A bug in modreg. */
  internal: 70,
} as const;
