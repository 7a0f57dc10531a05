// Preloaded with `node --import` into a process whose peak memory a benchmark reports:
// prints `peak-rss <kilobytes>` to stderr as the process exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\npeak-rss ${process.resourceUsage().maxRSS}\n`);
});
