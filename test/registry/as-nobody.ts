import { execFile } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { binPath } from '../helpers/cli.js';

/**
 * True when the tests run as root, who reads and writes through any mode bits: permission
 * cases then run the built CLI as the unprivileged user "nobody" instead.
 */
export const isRoot = process.getuid?.() === 0;

/** Runs the built `bin/modreg.js` in `root` (made traversable) as the user "nobody". */
export async function runAsNobody(
  root: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  await chmod(root, 0o755);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binPath, ...args],
      { cwd: root, uid: 65534, gid: 65534, env: { PATH: process.env.PATH } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
