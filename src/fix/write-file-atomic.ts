/**
 * @fileoverview Replaces a file's content atomically: a temporary file in the same directory
 * (same file system, so the rename is atomic), given the original's mode, then renamed over it.
 * A reader sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { chmod, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(target: string, text: string): Promise<void> {
  const { mode } = await stat(target);
  const temp = join(dirname(target), `.lmi-audit-tmp-${process.pid}-${randomBytes(4).toString('hex')}-${basename(target)}`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', mode });
    await chmod(temp, mode & 0o7777);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
