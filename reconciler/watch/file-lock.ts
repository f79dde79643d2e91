import { spawn } from 'node:child_process';
import { SanformError } from '../core/errors.js';

/** Another writer (an ESOS upgrade, conf_sync.sh, a backup) held the lock longer than allowed. */
export class FileLockError extends SanformError<'FILE_LOCK_TIMEOUT' | 'FILE_LOCK_FAILED', { path: string }> {}

/**
 * Holds an flock(2) lock on `path` (ESOS: /var/lock/conf_sync, which conf_sync.sh, install.sh and
 * backup_conf.sh take) until the returned release is called. Node has no flock, so the lock is held
 * by `flock -w SECONDS PATH cat`: flock runs cat once it has the lock, cat echoes a line back to
 * say so, and closing cat's stdin ends it and releases the lock. argv only, never a shell.
 */
export function holdFileLock(path: string, opts: { timeoutS?: number; flock?: string } = {}): Promise<() => Promise<void>> {
  const child = spawn(opts.flock ?? 'flock', ['-w', String(opts.timeoutS ?? 300), path, 'cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('error', (e) => reject(new FileLockError('FILE_LOCK_FAILED', `cannot run flock for ${path}: ${e.message}`, { data: { path }, cause: e })));
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('locked\n')) {
        resolve(async () => {
          child.stdin.end();
          await exited;
        });
      }
    });
    void exited.then((code) => {
      if (!out.includes('locked\n')) {
        const code_ = code === 1 ? 'FILE_LOCK_TIMEOUT' : 'FILE_LOCK_FAILED';
        reject(new FileLockError(code_, `could not lock ${path} (flock exit ${code}): ${err.trim()}`, { data: { path }, hint: 'another writer of the configuration holds it (an upgrade or conf_sync)' }));
      }
    });
    child.stdin.write('locked\n');
  });
}
