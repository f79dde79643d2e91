/**
 * Every example applied end to end on a fresh emulated machine through the CLI, as a user would:
 * `sanform sim init DIR --files-for EXAMPLE`, `sanform apply --auto-approve`, then the next
 * `sanform plan --detailed-exitcode` must say there is nothing to do (exit 0).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../engine/cli-run.js';
import { drivers } from '../../cli/drivers.js';
import { loadDesired } from '../../reconciler/load/index.js';
import type { SanformModel } from '../../schema/model.js';

/** The driver each section needs; an example whose driver the CLI does not load yet is skipped, saying so. */
const NEEDS: [keyof NonNullable<SanformModel['storage']>, string][] = [['md', 'md'], ['lvm', 'lvm'], ['drbd', 'drbd'], ['bcache', 'bcache'], ['btier', 'btier']];
async function notYet(path: string): Promise<string | undefined> {
  const r = await loadDesired(path);
  if (!r.ok) return undefined; // the test fails on it below
  const loaded = new Set(drivers.map((d) => d.name));
  const missing = NEEDS.filter(([section, drv]) => r.model.storage?.[section] && !loaded.has(drv)).map(([, drv]) => drv);
  return missing.length ? `the CLI loads no ${missing.join(', ')} driver yet (cli/drivers.ts)` : undefined;
}

const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isDirectory() || e.name.endsWith('.yaml'))
  .map((e) => e.name)
  .sort();
const tmp = mkdtempSync(join(tmpdir(), 'sanform-examples-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Examples a single sim cannot apply, and the test that applies them instead. */
const ELSEWHERE: Record<string, string> = { 'ha-drbd-alua': 'an HA pair: applied with apply --pair on two linked sims by test/ha/example.test.ts' };

for (const name of examples) {
  const skip = ELSEWHERE[name] ?? (await notYet(join(dir, name)));
  if (skip) console.log(`# not applied end to end: ${name}: ${skip}`);
  test(`example ${name} applies on a fresh sim host and the next plan is empty`, { skip }, async () => {
    const sim = join(tmp, name.replace(/\.yaml$/, ''));
    const cfg = join(dir, name);
    const env = { SANFORM_CHAP_DISCOVERY: 'discovery-secret-1' };
    const init = await runCli(tmp, ['sim', 'init', sim, '--files-for', cfg], env);
    assert.equal(init.code, 0, init.err);
    const nodes = name === 'ha-drbd-alua' ? ['--node', 'esos-a'] : [];
    const applied = await runCli(tmp, ['apply', '-c', cfg, '--host', `sim:${sim}`, '--auto-approve', ...nodes], env);
    assert.equal(applied.code, 0, `${applied.out}\n${applied.err}`);
    const next = await runCli(tmp, ['plan', '-c', cfg, '--host', `sim:${sim}`, '--detailed-exitcode', ...nodes], env);
    assert.equal(next.code, 0, `the next plan is not empty:\n${next.out}\n${next.err}`);
  });
}
