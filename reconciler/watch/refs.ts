import { join } from 'node:path';
import { watch } from 'chokidar';

/**
 * Watches the refs a push moves (`refs/heads/*`, `packed-refs`) in a bare repo and calls
 * `onChange` for each event; git's `.lock` files are ignored. Resolves once the watcher is ready.
 */
export async function watchRefs(gitdir: string, onChange: () => void): Promise<() => Promise<void>> {
  const w = watch([join(gitdir, 'refs', 'heads'), join(gitdir, 'packed-refs')], {
    ignoreInitial: true,
    ignored: (p: string) => p.endsWith('.lock') || p.includes('.tmp-'),
  });
  w.on('all', () => onChange());
  await new Promise<void>((resolve) => w.once('ready', () => resolve()));
  return () => w.close();
}
