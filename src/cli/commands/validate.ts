import { shownPlain } from '../../message-text.js';
import type { Registry } from '../../registry/types.js';
import { type CommandContext, ExitCode } from '../context.js';
import { createOutput, formatProblem, type Output, plural } from '../render.js';
import { isClean, type ScanFlags, scanModules } from '../scan.js';

/** `modreg validate`: every check of discover, nothing written. */
export default async function validate(
  ctx: CommandContext,
  _args: string[],
  flags: ScanFlags,
): Promise<number> {
  const out = createOutput(ctx);
  const { registry } = await scanModules(ctx, flags);
  const clean = isClean(registry);
  const { graph } = registry;
  if (ctx.global.json) {
    out.json({
      valid: clean,
      modules: registry.modules.length,
      problems: registry.problems,
      cycles: graph.cycles,
      blocked: graph.blocked,
      warnings: graph.warnings,
    });
  } else {
    reportFindings(registry, out);
    if (clean)
      out.result(
        out.paint.green(
          `✔ ${plural(registry.modules.length, 'module')} valid, load order complete.`,
        ),
      );
  }
  return clean ? ExitCode.ok : ExitCode.invalid;
}

/**
 * Problems, cycles, blocked modules and warnings on stderr, then a one-line count. Every name,
 * path and message comes from the configs or the file system: each is shown escaped, so
 * that no escape sequence in them reaches the terminal.
 */
export function reportFindings(registry: Registry, out: Output): void {
  const { paintErr: paint } = out;
  const { graph, problems } = registry;
  for (const problem of problems) {
    const shown = {
      file: shownPlain(problem.file, 300),
      pointer: shownPlain(problem.pointer, 200),
      message: shownPlain(problem.message, 2_000),
      ...(problem.line === undefined ? {} : { line: problem.line }),
    };
    out.diagnostic(formatProblem(shown, paint));
  }
  for (const cycle of graph.cycles)
    out.diagnostic(`${paint.red('✖')} ${paint.bold('cycle')} ${cycle.map(shownName).join(' → ')}`);
  for (const b of graph.blocked) {
    if (b.cause !== 'cycle')
      out.diagnostic(
        `${paint.yellow('■')} ${paint.bold(shownName(b.module))} is blocked: it ${shownPlain(b.reason, 2_000)}`,
      );
  }
  for (const w of graph.warnings)
    out.note(
      `${paint.yellow('!')} ${paint.bold(shownName(w.module))}: ${shownPlain(w.message, 2_000)}`,
    );
  if (!isClean(registry)) {
    const parts = [
      plural(problems.length, 'problem'),
      plural(graph.cycles.length, 'cycle'),
      `${graph.blocked.length} blocked`,
    ];
    out.diagnostic(paint.red(`${plural(registry.modules.length, 'module')}: ${parts.join(', ')}.`));
  }
}

/** A module name from a config as shown on a terminal: escaped, and cut when absurdly long. */
export function shownName(name: string): string {
  return shownPlain(name, 80);
}
