// Preloaded with `node --import` into a process whose peak memory a benchmark reports:
// prints `peak-rss <kilobytes>` to stderr as the process exits. On Linux that is VmHWM of
// /proc/self/status, the peak of this program's own memory; getrusage's maxRSS (elsewhere)
// also counts what the process held before it exec'd node.
import { readFileSync, writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage().maxRSS;
  writeSync(2, `\npeak-rss ${ownPeak() ?? usage}\nmax-rss ${usage}\n`);
});

/** VmHWM in kilobytes, or undefined where /proc is not there. */
function ownPeak() {
  try {
    const found = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return found === null ? undefined : Number(found[1]);
  } catch {
    return undefined;
  }
}
