/**
 * Every hostile input of corpus/ through validate, plan and apply on a fresh emulated machine, in
 * process: each either stops with located diagnostics (file:line:col and a code; a whole-file
 * refusal names the file) carrying the code its header expects, or applies, converges (the
 * next plan is empty) and every value written reads back equal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { drivers } from '../../cli/drivers.js';
import { createSimHost, type SimHost } from '../../drivers/sim/index.js';
import { loadDesired, type Diagnostic } from '../../reconciler/load/index.js';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { SCST_ROOT } from '../../reconciler/host/host.js';
import { OK_SECRET, entries, materialize, secretsDir, type Entry } from './corpus.js';

const tmp = mkdtempSync(join(tmpdir(), 'sanform-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const secrets = secretsDir(tmp);
const env = { SANFORM_SECRETS_DIR: secrets, SANFORM_HOSTILE_OK: OK_SECRET };

/** Every error is located in one of the entry's files, with a code; returns their codes. */
function checkLocated(diags: readonly Diagnostic[], path: string): string[] {
  const errors = diags.filter((d) => d.severity === 'error');
  for (const d of errors) {
    const where = `${d.file}:${d.line}:${d.col} ${d.code}`;
    assert.ok(d.file === path || d.file.startsWith(`${path}/`), `diagnostic outside the entry: ${where}`);
    assert.match(d.code, /^[A-Z][A-Z0-9_]+$/, where);
    // a refusal of a whole file (unreadable, too large, not a regular file) has no line to point at
    if (!d.code.startsWith('FILE_')) assert.ok(d.line >= 1 && d.col >= 1, `not located: ${where}`);
    assert.ok(d.message.length > 0 && !d.message.includes(OK_SECRET), where);
  }
  return errors.map((d) => d.code);
}

interface Written {
  attrs: { path: string; value: string }[];
  commands: { path: string; command: string }[];
  files: { path: string; content: string }[];
}

/** Records every kernel write and file the apply makes (the host is this test's own). */
function recording(host: SimHost): Written {
  const w: Written = { attrs: [], commands: [], files: [] };
  const { sysfs, files } = host;
  const writeAttr = sysfs.writeAttr.bind(sysfs);
  const mgmt = sysfs.mgmt.bind(sysfs);
  const writeAtomic = files.writeAtomic.bind(files);
  sysfs.writeAttr = async (path, value) => {
    w.attrs.push({ path, value });
    return writeAttr(path, value);
  };
  sysfs.mgmt = async (path, command) => {
    w.commands.push({ path, command });
    return mgmt(path, command);
  };
  files.writeAtomic = async (path, content, mode) => {
    w.files.push({ path, content });
    return writeAtomic(path, content, mode);
  };
  return w;
}

/** Each value written reads back byte for byte: attributes, add_device parameters, files. */
async function checkReadBack(host: SimHost, w: Written): Promise<void> {
  const last = new Map(w.attrs.map((a) => [a.path, a.value]));
  for (const [path, value] of last) {
    if (!(await host.sysfs.exists(path))) continue;
    const shown = (await host.sysfs.read(path)).split('\n')[0];
    assert.equal(shown, value.replace(/\n$/, ''), `${path} reads back different`);
  }
  for (const { command } of w.commands) {
    const m = /^add_device (\S+) (.*)$/.exec(command);
    if (!m) continue;
    for (const param of m[2].split(';').filter(Boolean)) {
      const eq = param.indexOf('=');
      const [k, v] = [param.slice(0, eq), param.slice(eq + 1)];
      const attr: string = `${SCST_ROOT}/devices/${m[1]}/${k}`;
      if (!(await host.sysfs.exists(attr))) continue;
      assert.equal((await host.sysfs.read(attr)).split('\n')[0], v, `${attr} reads back different from add_device's ${k}`);
    }
  }
  for (const f of w.files) assert.equal(await host.files.read(f.path), f.content, `${f.path} reads back different`);
}

async function run(e: Entry): Promise<void> {
  const path = materialize(e.name, tmp, secrets);
  const expected = e.expect.kind === 'error' ? e.expect.codes : [];
  const failWith = (codes: string[]) => {
    assert.ok(e.expect.kind === 'error', `expected to converge, refused with ${codes.join(', ')}`);
    assert.ok(codes.some((c) => expected.includes(c)), `expected ${expected.join(' or ')}, got ${codes.join(', ')}`);
  };
  // validate
  const loaded = await loadDesired(path);
  if (!loaded.ok) return failWith(checkLocated(loaded.diagnostics, path));
  checkLocated(loaded.diagnostics, path);
  // plan on a fresh machine
  const host = createSimHost();
  try {
    const first = await loadAndPlan({ config: path, host, drivers, env });
    if (!first.ok) return failWith(checkLocated(first.diagnostics, path));
    assert.equal(e.expect.kind, 'converge', `expected ${expected.join(' or ')}, but it planned ${first.plan.changes.length} changes`);
    assert.deepEqual(first.plan.blocked, [], 'nothing is blocked on a fresh machine');
    // apply, then nothing left to do, and what was written reads back
    const written = recording(host);
    const r = await applyPlan({ host, plan: first.plan, drivers, secrets: first.secrets });
    assert.ok(r.ok, JSON.stringify(r.results.filter((x) => x.status !== 'applied'), null, 1));
    const next = await loadAndPlan({ config: path, host, drivers, env });
    assert.ok(next.ok);
    assert.deepEqual(next.plan.changes.map((c) => `${c.action} ${c.address} ${c.fields.map((f) => f.field).join(',')}`), [], 'the next plan is empty');
    await checkReadBack(host, written);
  } finally {
    await host.close();
  }
}

const all = entries();
test('the corpus holds at least 60 entries, each with an expectation', () => {
  assert.ok(all.length >= 60, `${all.length} entries`);
  assert.ok(all.some((e) => e.expect.kind === 'converge') && all.some((e) => e.expect.kind === 'error'));
});

for (const e of all) test(`${e.name}: ${e.why}`, () => run(e));
