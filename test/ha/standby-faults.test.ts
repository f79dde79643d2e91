/**
 * Fault injection on a pair rollout (the SCST layer's mechanism, reconciler/host/intercept.ts,
 * armed for one node's apply): each write of the standby's apply failing in turn (kernel writes,
 * resource files, the tools' commands the plan runs) stops the rollout at the `standby-apply`
 * gate naming the failure, the active node sees no write at all, and the next rollout, with no
 * fault, converges both nodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drivers } from '../../cli/drivers.js';
import { defaultHardware, initSimDir, openSimHost } from '../../drivers/sim/index.js';
import { linkSimDirs } from '../../drivers/sim/pair.js';
import type { Plan } from '../../reconciler/core/change.js';
import { interceptHost, type HostOp, type InterceptedHost } from '../../reconciler/host/intercept.js';
import { loadDesired } from '../../reconciler/load/index.js';
import { planPair, rollout, type NodePlan } from '../../reconciler/pair/rollout.js';
import { loadAndPlan } from '../../reconciler/pipeline.js';

/** A write of the machine: a sysfs write, a file written, or a command the plan itself runs (not the reads around it). */
const writeOf = (plan: Plan) => {
  const tools = new Set(plan.changes.flatMap((c) => c.ops.flatMap((o) => (o.type === 'exec' ? [o.argv[0]] : []))));
  return (op: HostOp): boolean => op.kind === 'mgmt' || op.kind === 'writeAttr' || op.kind === 'files.writeAtomic' || (op.kind === 'exec' && tools.has(op.path));
};

interface Pair {
  dir: string;
  config: string;
  hosts: Record<string, InterceptedHost>;
  close(): Promise<void>;
}

async function makePair(): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-pair-faults-'));
  await initSimDir(join(dir, 'a'), { ...defaultHardware(), hostname: 'esos-a' });
  await initSimDir(join(dir, 'b'), { ...defaultHardware(), hostname: 'esos-b' });
  await linkSimDirs(join(dir, 'a'), join(dir, 'b'));
  copyFileSync(new URL('./pair.yaml', import.meta.url), join(dir, 'sanform.yaml'));
  const hosts = { 'esos-a': interceptHost(await openSimHost(join(dir, 'a'))), 'esos-b': interceptHost(await openSimHost(join(dir, 'b'))) };
  return {
    dir, config: join(dir, 'sanform.yaml'), hosts,
    close: async () => {
      for (const h of Object.values(hosts)) await h.close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function plans(p: Pair): Promise<NodePlan[]> {
  const loaded = await loadDesired(p.config);
  assert.ok(loaded.ok);
  const r = await planPair({ config: p.config, drivers, hosts: p.hosts }, loaded.model);
  assert.ok(r.ok, 'the pair plans');
  return r.plans;
}

/** The rollout as `apply --pair` runs it (re-planning the active node after the gates). */
const run = (p: Pair, planned: NodePlan[], onStep?: () => void) =>
  rollout({
    plans: planned, hosts: p.hosts, drivers, gateTimeoutMs: 2000, onStep,
    replan: async (np) => {
      const r = await loadAndPlan({ config: p.config, host: p.hosts[np.node], drivers, node: np.node });
      assert.ok(r.ok);
      return { ...r, role: np.role, why: np.why };
    },
  });

test('pair rollout: each write of the standby failing in turn leaves the active node untouched; the next rollout converges', { timeout: 580_000 }, async () => {
  // how many writes the standby's apply makes
  const probe = await makePair();
  let total: number;
  try {
    const planned = await plans(probe);
    const isWrite = writeOf(planned[0]!.plan);
    const standby = probe.hosts[planned[0]!.node]!;
    standby.clearLog();
    let writes = 0;
    const r = await run(probe, planned, () => void (writes ||= standby.log.filter(isWrite).length));
    assert.equal(r.ok, true);
    total = writes;
  } finally {
    await probe.close();
  }
  assert.ok(total >= 20, `the standby's apply makes ${total} writes`);

  for (let n = 1; n <= total; n++) {
    const p = await makePair();
    try {
      const planned = await plans(p);
      const [standby, active] = [planned[0]!, planned[1]!];
      assert.deepEqual([standby.node, active.node], ['esos-b', 'esos-a']);
      const isWrite = writeOf(standby.plan);
      let seen = 0;
      const hit: HostOp[] = [];
      p.hosts[standby.node]!.arm({ match: (op) => isWrite(op) && ++seen === n && hit.push(op) > 0, fail: 'EIO' });
      p.hosts[active.node]!.clearLog();
      const r = await run(p, planned);
      assert.equal(hit.length, 1, `write ${n} was reached`);
      const what = `write ${n} (${hit[0]!.kind} ${hit[0]!.path} ${hit[0]!.value ?? ''})`;
      assert.equal(r.ok, false, what);
      assert.equal(r.stoppedBefore, 'esos-a', what);
      assert.deepEqual(r.failed?.map((f) => f.gate), ['standby-apply'], what);
      assert.match(r.failed![0]!.why, /^esos-b: 1 change\(s\) failed, \d+ skipped$/, what);
      const failed = r.steps[0]!.result!.results.filter((x) => x.status === 'failed');
      assert.equal(failed.length, 1, what);
      assert.deepEqual(r.steps.map((s) => s.node), ['esos-b'], `${what}: only the standby was applied`);
      const touched = p.hosts[active.node]!.log.filter(writeOf(active.plan));
      assert.deepEqual(touched, [], `${what}: the active node saw no write`);

      p.hosts[standby.node]!.arm([]);
      const again = await run(p, await plans(p));
      assert.equal(again.ok, true, `${what}: the next rollout converges (${JSON.stringify(again.failed)})`);
      for (const np of await plans(p)) assert.deepEqual(np.plan.changes.map((c) => c.address), [], `${what}: ${np.node} has nothing left`);
    } finally {
      await p.close();
    }
  }
});
