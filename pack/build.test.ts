/**
 * The build (pack/build.ts) into a temp dir, run the way bin/sanform.js runs dist/: it starts
 * without tsx, finds package.json and the native helper from its own location, validates with the
 * precompiled validator exactly as the sources do, and writes hooks that start the build again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from './build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dev = join(root, 'bin', 'sanform-dev.js');

test('the bundle runs without tsx and behaves as the sources do', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-dist-'));
  try {
    const out = join(dir, 'dist');
    await buildDist(out);
    // the entry bin/sanform.js is, pointed at this build
    const entry = join(dir, 'sanform.mjs');
    writeFileSync(entry, [
      `import { run } from ${JSON.stringify(join(out, 'sanform.js'))};`,
      `process.exitCode = await run(process.argv.slice(2), [process.execPath, ${JSON.stringify(entry)}]);`, ''].join('\n'));
    const sanform = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env } });

    const version = sanform(['--version']);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    assert.equal(version.stderr, '');

    // schema errors from the standalone validator = those of ajv compiled at run time
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nscst:\n  devices:\n    d1: { handler: vdisk_nullio, blocksize: four }\n    d2: { handler: nope }\n  bogus: 1\n');
    const built = sanform(['validate', '-c', 'bad.yaml', '--json']);
    const source = spawnSync(process.execPath, [dev, 'validate', '-c', 'bad.yaml', '--json'], { encoding: 'utf8', cwd: dir });
    assert.equal(built.status, 1, built.stderr);
    const codes = (s: string) => (JSON.parse(s) as { diagnostics: { code: string; path: string }[] }).diagnostics.map((d) => `${d.code} ${d.path}`);
    assert.ok(codes(built.stdout).some((c) => c.startsWith('SCHEMA_')), built.stdout);
    assert.deepEqual(codes(built.stdout), codes(source.stdout));

    // the native helper is found from dist/ (it is built here: no fallback notice)
    const sys = join(dir, 'sys');
    assert.equal(sanform(['sim', 'init', join(dir, 'machine')]).status, 0);
    const sim = sanform(['sim', 'materialize', join(dir, 'machine'), sys]);
    assert.equal(sim.status, 0, sim.stderr);
    const observed = sanform(['observe', '--host', `local:${sys}`]);
    assert.equal(observed.status, 0, observed.stderr);
    assert.doesNotMatch(observed.stderr, /native sysfs helper is not in use/);

    // hooks start the entry that installed them
    const repo = join(dir, 'state.git');
    const init = sanform(['init', '--repo', repo, '--host', `sim:${join(dir, 'machine')}`, '--node', 'n1']);
    assert.equal(init.status, 0, init.stderr);
    assert.match(readFileSync(join(repo, 'hooks', 'pre-receive'), 'utf8'), new RegExp(entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
