/**
 * Builds dist/: the whole CLI bundled by esbuild into ES modules (one entry, `dist/sanform.js`,
 * and one chunk per lazily loaded command), with the JSON Schema validator precompiled into ajv's
 * standalone code. `npm install` runs it (`prepare`); by hand: `npm run build`.
 *
 *   node --import tsx pack/build.ts [--outdir DIR]
 *
 * Files the sources find beside themselves (`new URL('../x', import.meta.url)`: package.json, the
 * native helper, the demo's example) are found from dist/ too: each module's `import.meta.url` is
 * rewritten to the URL its source file has, computed from the bundle's own location.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { standaloneValidator } from './validator.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages left outside the bundle: native code and what only development runs. */
export const EXTERNAL = ['fuse-native', 'tsx', 'esbuild', 'typescript'];

/** The built validator replaces reconciler/load/schema-validator.ts (same exports). */
export function validatorPlugin(): Plugin {
  return {
    name: 'sanform-validator',
    setup(b) {
      b.onResolve({ filter: /[/]schema-validator\.js$/ }, (args) =>
        args.importer.endsWith(join('reconciler', 'load', 'schema-check.ts')) ? { path: 'schema-validator', namespace: 'sanform-validator' } : undefined);
      b.onLoad({ filter: /.*/, namespace: 'sanform-validator' }, async () => ({
        contents: await standaloneValidator(), loader: 'js', resolveDir: ROOT,
      }));
    },
  };
}

/**
 * Rewrites `import.meta.url` in the project's own modules: `place(file)` is the expression that
 * stands for the source file's URL in the output.
 */
export function metaUrlPlugin(place: (file: string) => string): Plugin {
  return {
    name: 'sanform-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${'/'}node_modules${'/'}`)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        return { contents: text.replaceAll('import.meta.url', place(args.path)), loader: 'ts' };
      });
    },
  };
}

/** dist/: ES modules, chunks flat beside the entry (so one relative path reaches the sources). */
export async function buildDist(outdir = join(ROOT, 'dist')): Promise<void> {
  const out = resolve(outdir);
  const rel = (file: string): string => relative(out, file).split('\\').join('/');
  await rm(out, { recursive: true, force: true });
  await build({
    entryPoints: { sanform: join(ROOT, 'cli', 'entry.ts') },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    external: EXTERNAL,
    // the CommonJS packages in the bundle call require() for Node's own modules
    banner: { js: "import { createRequire as __sanformRequire } from 'node:module'; const require = __sanformRequire(import.meta.url);" },
    plugins: [validatorPlugin(), metaUrlPlugin((file) => `new URL(${JSON.stringify(rel(file))}, import.meta.url).href`)],
    logLevel: 'warning',
    legalComments: 'none',
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outdir');
  const outdir = i > 0 ? resolve(process.argv[i + 1]!) : join(ROOT, 'dist');
  const t0 = performance.now();
  await buildDist(outdir);
  process.stdout.write(`sanform: built ${relative(process.cwd(), outdir) || '.'} in ${Math.round(performance.now() - t0)} ms\n`);
}
