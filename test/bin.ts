/**
 * The sanform entry a test starts as a process: the build test/run.js made of the sources for
 * this run (`SANFORM_TEST_BIN`), or, for a file run on its own, the sources through tsx
 * (bin/sanform-dev.js). Both run the code as it is now; the build starts several times faster.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SANFORM_BIN: string = process.env.SANFORM_TEST_BIN || fileURLToPath(new URL('../bin/sanform-dev.js', import.meta.url));

/**
 * How a test starts one of its child scripts (`test/gitops/kill-child.ts`): node and the argv
 * before the script's own arguments. test/run.js bundled it (`SANFORM_TEST_BUNDLES`): that bundle;
 * else the source through tsx.
 */
export function childScript(source: string): string[] {
  const dir = process.env.SANFORM_TEST_BUNDLES;
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (dir && source.startsWith(root) && source.endsWith('.ts')) {
    const bundle = join(dir, source.slice(root.length).replace(/\.ts$/, '.js'));
    if (existsSync(bundle)) return ['--enable-source-maps', bundle];
  }
  return ['--import', 'tsx', source];
}
