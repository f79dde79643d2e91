/**
 * Diagnostics of the engine commands: printed as `sanform validate` prints them (the loader's
 * formatDiagnostic); validate and plan print every warning, apply, drift and export only a count
 * line; errors are always printed in full. Checks codes and line counts, not message text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { runCli } from './cli-run.js';

// two LVM-style block devices no declared layer provides: two UNKNOWN_BLOCK_DEVICE warnings
// (the emulated machine has them, as if created by hand)
const valid = [
  'version: 1',
  'scst:',
  '  devices:',
  '    vm1: { handler: vdisk_blockio, filename: /dev/vg0/vm1 }',
  '    vm2: { handler: vdisk_blockio, filename: /dev/vg0/vm2 }',
  '',
].join('\n');
// a reference error found in the same pass as the warnings: one error and the two warnings
const invalid = `${valid}  targets:\n    iscsi:\n      iqn.2026-01.com.example:t1: { luns: { 0: nodev } }\n`;

const hardware = () => {
  const hw = defaultHardware();
  return { ...hw, blockDevices: [...hw.blockDevices, ...['/dev/vg0/vm1', '/dev/vg0/vm2'].map((path) => ({ path, sizeBytes: 2 ** 30 }))] };
};
const count = (s: string, code: string): number => s.split(code).length - 1;
const lines = (s: string): string[] => s.split('\n').filter(Boolean);

test('plan prints warnings as validate does; apply, drift, export print one count line', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-diag-'));
  try {
    await initSimDir(join(dir, 'sim'), hardware());
    writeFileSync(join(dir, 'sanform.yaml'), valid);
    const host = ['--host', 'sim:sim'];
    const v = await runCli(dir, ['validate']);
    assert.equal(count(v.out, 'UNKNOWN_BLOCK_DEVICE'), 2);
    const p = await runCli(dir, ['plan', ...host]);
    assert.equal(p.code, 0, p.err);
    // the same blocks as validate's, minus validate's own summary line
    assert.deepEqual(lines(p.err), lines(v.out).slice(0, -1));
    for (const args of [['apply', ...host, '--auto-approve'], ['drift', ...host], ['export', '--format', 'scst.conf']]) {
      const r = await runCli(dir, args);
      assert.equal(r.code, 0, `${args[0]}: ${r.err}`);
      assert.equal(count(r.err, 'UNKNOWN_BLOCK_DEVICE'), 0, args[0]);
      assert.equal(lines(r.err).length, 1, `${args[0]} prints one count line: ${r.err}`);
      assert.match(r.err, /\b2\b/, 'the line counts the two warnings');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('errors are printed in full by every command; warnings beside them stay a count', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-diag-'));
  try {
    await initSimDir(join(dir, 'sim'), hardware());
    writeFileSync(join(dir, 'sanform.yaml'), invalid);
    const host = ['--host', 'sim:sim'];
    const v = await runCli(dir, ['validate']);
    assert.equal(v.code, 1);
    const errorCodes = [...v.out.matchAll(/: error ([A-Z_]+):/g)].map((m) => m[1]);
    assert.deepEqual(errorCodes, ['UNKNOWN_DEVICE']);
    assert.equal(count(v.out, 'UNKNOWN_BLOCK_DEVICE'), 2);
    for (const args of [['plan', ...host], ['apply', ...host, '--auto-approve'], ['drift', ...host]]) {
      const r = await runCli(dir, args);
      assert.equal(r.code, 1, args[0]);
      for (const code of errorCodes) assert.equal(count(r.err, code), count(v.out, code), `${args[0]} prints ${code}`);
      const warnings = count(r.err, 'UNKNOWN_BLOCK_DEVICE');
      assert.equal(warnings, args[0] === 'plan' ? 2 : 0, args[0]);
      if (args[0] !== 'plan') assert.match(lines(r.err).at(-1) ?? '', /\b2\b/, `${args[0]} ends with the count line`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
