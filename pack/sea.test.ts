/**
 * `npm run package`: the single executable, built into a temp dir, runs the demo flow on an
 * emulated host with no Node installation involved (its launcher starts the executable alone),
 * and reads a sysfs tree through the native helper it carries. Skipped, with the reason, where a
 * single executable cannot be built (not linux-x64, Node without it, postject not installed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSea, seaUnavailable } from './sea.js';

const why = seaUnavailable();

test('the single executable runs the demo flow on a sim host and loads the helper it carries', { skip: why ?? false, timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-sea-test-'));
  try {
    const exe = join(dir, 'sanform');
    const built = await buildSea(exe);
    const env = { PATH: '/usr/bin:/bin', HOME: dir, NO_COLOR: '1', SANFORM_RUNTIME_DIR: join(dir, 'run') };
    const sanform = (args: string[], cwd = dir) => spawnSync(exe, args, { cwd, encoding: 'utf8', env });

    const version = sanform(['--version']);
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);

    const ws = join(dir, 'demo');
    const demo = sanform(['demo', '--dir', ws]);
    assert.equal(demo.status, 0, `${demo.stdout}\n${demo.stderr}`);
    // the workspace's launcher starts the executable itself; the machine is converged
    assert.ok(readFileSync(join(ws, 'sanform'), 'utf8').includes(`exec ${exe} "$@"`));
    const drift = spawnSync('./sanform', ['drift', '-c', 'sanform.yaml', '--host', 'sim:machine'], { cwd: ws, encoding: 'utf8', env });
    assert.equal(drift.status, 0, drift.stderr);

    // a materialized tree read through the carried helper: no fallback notice
    const tree = join(dir, 'tree');
    assert.equal(sanform(['sim', 'materialize', join(ws, 'machine'), tree]).status, 0);
    const observed = sanform(['observe', '--host', `local:${tree}`]);
    assert.equal(observed.status, 0, observed.stderr);
    if (built.native) assert.doesNotMatch(observed.stderr, /native sysfs helper is not in use/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
