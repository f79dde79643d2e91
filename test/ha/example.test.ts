/**
 * examples/ha-drbd-alua through the CLI, as an administrator would run it on two emulated
 * machines: `sim init` both, `sim link`, `apply --pair`; both next plans empty; `sim ctl
 * failover` (Pacemaker moves the promoted role, ALUA states swap), then a plain `apply` on each
 * node changes nothing the cluster owns and `drift` classes the difference `failover`; with the
 * replication link cut, a gate stops the next rollout before the active node (exit 1, which gate
 * and why) and the active node keeps its old state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSimHost } from '../../drivers/sim/index.js';
import { runCli } from '../engine/cli-run.js';

const EXAMPLE = new URL('../../examples/ha-drbd-alua/', import.meta.url);
/** A copy of the example in DIR/cfg, as it is. */
function copyExample(dir: string): string {
  const cfg = join(dir, 'cfg');
  cpSync(EXAMPLE, cfg, { recursive: true });
  return cfg;
}

async function tgStates(dir: string): Promise<string> {
  const h = await openSimHost(dir);
  try {
    const at = (tg: string) => h.sysfs.read(`/sys/kernel/scst_tgt/device_groups/dg_vm/target_groups/${tg}/state`);
    return `${(await at('tg_a')).split('\n')[0]}/${(await at('tg_b')).split('\n')[0]}`;
  } finally {
    await h.close();
  }
}

test('examples/ha-drbd-alua: apply --pair on two linked sims, failover, plain applies, a cut link stops the rollout', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-ha-example-'));
  try {
    const cli = (args: string[]) => runCli(dir, args);
    const ok = async (args: string[], code = 0) => {
      const r = await cli(args);
      assert.equal(r.code, code, `sanform ${args.join(' ')}\n${r.out}${r.err}`);
      return r;
    };
    const cfg = copyExample(dir);
    await ok(['sim', 'init', 'a', '--hostname', 'esos-a', '--files-for', cfg]);
    await ok(['sim', 'init', 'b', '--hostname', 'esos-b', '--files-for', cfg]);
    await ok(['sim', 'link', 'a', 'b']);
    const pair = ['-c', 'cfg', '--node-host', 'esos-a=sim:a', '--node-host', 'esos-b=sim:b'];
    const on = (n: 'a' | 'b') => ['-c', 'cfg', '--host', `sim:${n}`, '--node', `esos-${n}`];

    // the forced first primary on esos-a is data-loss: without an approval the active half is blocked
    const first = await ok(['plan', '--pair', ...pair]);
    assert.match(first.out, /^ {2}\+ drbd\/resource\/r0 \[DATA-LOSS\] {2}# create needs approval$/m);

    const r = await ok(['apply', '--pair', ...pair, '--auto-approve', '--allow', 'drbd/resource/r0']);
    const order = [...r.out.matchAll(/^== (esos-[ab]) \((standby|active)\) ==$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(order, ['esos-b standby', 'esos-a active']);
    assert.match(r.out, /Pair rollout complete: standby then active\./);
    await ok(['plan', '--pair', ...pair, '--detailed-exitcode']);
    for (const n of ['a', 'b'] as const) await ok(['plan', ...on(n), '--detailed-exitcode']);
    assert.equal(await tgStates(join(dir, 'a')), 'active/nonoptimized');
    // the initial sync finishes (each status read advances it): no drift left on either node
    let synced = false;
    for (let i = 0; i < 10 && !synced; i++) synced = (await cli(['drift', ...on('b')])).code === 0;
    assert.ok(synced, 'the initial sync never finished');

    await ok(['sim', 'ctl', 'a', 'failover']);
    for (const n of ['a', 'b'] as const) assert.equal(await tgStates(join(dir, n)), 'nonoptimized/active');
    for (const n of ['a', 'b'] as const) {
      const drift = await ok(['drift', ...on(n), '--json'], 2);
      const classes = (JSON.parse(drift.out) as { drift: { address: string; driftClass: string }[] }).drift.map((d) => `${d.address} ${d.driftClass}`);
      assert.deepEqual(classes.sort(), ['drbd/resource/r0 failover', 'scst/alua/dg_vm/tg/tg_a failover', 'scst/alua/dg_vm/tg/tg_b failover']);
      const a = await ok(['apply', ...on(n), '--auto-approve']);
      assert.match(a.out, /No changes/);
      assert.match(a.out, /cluster-owned \(left to the cluster manager\): scst\/alua\/dg_vm\/tg\/tg_a attributes\.state is "nonoptimized" \(file: "active"\)/);
      assert.equal(await tgStates(join(dir, n)), 'nonoptimized/active', `esos-${n}: a plain apply moved ALUA back`);
      await ok(['plan', ...on(n), '--detailed-exitcode']);
    }

    // a change while the replication link is down: the standby (now esos-a) gets it, esos-b does not
    const scst = join(cfg, 'scst.yaml');
    writeFileSync(scst, readFileSync(scst, 'utf8').replace('  devices:\n', '  devices:\n    scratch: { handler: vdisk_nullio }\n'));
    await ok(['sim', 'ctl', 'a', 'link', 'cut']);
    const stopped = await ok(['apply', '--pair', ...pair, '--auto-approve', '--gate-timeout', '1'], 1);
    assert.match(stopped.out, /^== esos-a \(standby\) ==$/m);
    assert.doesNotMatch(stopped.out, /^== esos-b \(active\) ==$/m);
    assert.match(stopped.out, /^Rollout stopped before esos-b \(active, untouched\): health gate failed$/m);
    assert.match(stopped.out, /^ {2}gate drbd: esos-a: r0: Connecting to esos-b$/m);
    await ok(['plan', ...on('a'), '--detailed-exitcode']);
    const untouched = await ok(['plan', ...on('b'), '--json']);
    assert.deepEqual((JSON.parse(untouched.out) as { changes: { address: string }[] }).changes.map((c) => c.address), ['scst/device/scratch']);
    assert.equal(await tgStates(join(dir, 'b')), 'nonoptimized/active');

    await ok(['sim', 'ctl', 'a', 'link', 'restore']);
    await ok(['apply', '--pair', ...pair, '--auto-approve']);
    await ok(['plan', '--pair', ...pair, '--detailed-exitcode']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('apply --pair: --node-host must name a node of the pair as NAME=SPEC', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-ha-example-'));
  try {
    copyExample(dir);
    const bad = await runCli(dir, ['plan', '--pair', '-c', 'cfg', '--node-host', 'esos-c=sim:c']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /--node-host esos-c=sim:c: esos-c is not a node of this pair \(esos-a, esos-b\)/);
    const shape = await runCli(dir, ['plan', '--pair', '-c', 'cfg', '--node-host', 'sim:a']);
    assert.equal(shape.code, 1);
    assert.match(shape.err, /expected NAME=SPEC/);
    assert.deepEqual(readdirSync(dir), ['cfg']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
