/**
 * `npm run package`: one executable file for appliances without Node (ESOS), linux-x64: Node's
 * single executable application built from this node binary, with the whole CLI bundled into one
 * CommonJS script (sea-main.ts), V8's code cache, and as assets the native sysfs helper (loaded at
 * start; the JavaScript reader is the fallback) and the demo's example.
 *
 *   node --import tsx pack/sea.ts [--out FILE]      (default dist/sanform-linux-x64)
 *
 * Needs postject (a devDependency) and a Node built with single executable support (>= 20.12).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ADDON_PATH } from '../native/addon.js';
import { EXTERNAL, ROOT, metaUrlPlugin, validatorPlugin } from './build.js';
import { ADDON_ASSET } from './sea-assets.js';

/** The sentinel Node looks for to know a blob was injected (Node's single executable docs). */
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Files of the repository the executable carries, by their path there. */
export const RESOURCES = ['examples/iscsi-chap.yaml'];

/** Why a single executable cannot be built here, or undefined when it can. */
export function seaUnavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `single executables are built for linux-x64 only (this is ${process.platform}-${process.arch})`;
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major! < 20 || (major === 20 && minor! < 12)) return `node ${process.versions.node} has no single executable assets (needs >= 20.12)`;
  if (!readFileSync(process.execPath).includes(FUSE)) return `${process.execPath} was built without single executable support`;
  try {
    import.meta.resolve('postject');
  } catch {
    return 'postject is not installed (npm install)';
  }
  return undefined;
}

/** Bundles, makes the blob and injects it into a copy of this node binary. */
export async function buildSea(out: string): Promise<{ out: string; bytes: number; native: boolean }> {
  const why = seaUnavailable();
  if (why) throw new Error(`sanform: cannot build a single executable: ${why}`);
  const work = mkdtempSync(join(tmpdir(), 'sanform-sea-'));
  try {
    const script = join(work, 'sanform.cjs');
    await build({
      entryPoints: [join(ROOT, 'pack', 'sea-main.ts')],
      outfile: script,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: EXTERNAL,
      // the sources' own files are not on the appliance: their URLs only name them
      plugins: [validatorPlugin(), metaUrlPlugin((file) => JSON.stringify(pathToFileURL(join('/sanform', relative(ROOT, file))).href))],
      logLevel: 'warning',
      legalComments: 'none',
    });
    const native = existsSync(ADDON_PATH);
    const assets: Record<string, string> = Object.fromEntries(RESOURCES.map((r) => [r, join(ROOT, r)]));
    if (native) assets[ADDON_ASSET] = ADDON_PATH;
    const blob = join(work, 'sea.blob');
    writeFileSync(join(work, 'sea-config.json'), JSON.stringify({
      main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets,
    }));
    run([process.execPath, '--experimental-sea-config', join(work, 'sea-config.json')], work);
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    copyFileSync(process.execPath, out);
    const postject = fileURLToPath(new URL('./dist/cli.js', import.meta.resolve('postject/package.json')));
    run([process.execPath, postject, out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], work);
    return { out, bytes: statSync(out).size, native };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function run(argv: string[], cwd: string): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.slice(0, 2).join(' ')} failed (exit ${r.status}): ${r.stderr || r.stdout}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? resolve(process.argv[i + 1]!) : join(ROOT, 'dist', 'sanform-linux-x64');
  const t0 = performance.now();
  const r = await buildSea(out);
  process.stdout.write(`sanform: built ${relative(process.cwd(), r.out)} (${(r.bytes / 2 ** 20).toFixed(1)} MiB, native helper ${r.native ? 'inside' : 'NOT built: the JavaScript reader will be used'}) in ${Math.round(performance.now() - t0)} ms\n`);
}
