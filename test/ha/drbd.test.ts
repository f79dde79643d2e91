/**
 * The DRBD driver on the real Debian drbdadm against the emulated kernel side: the plan's
 * commands are what `drbdadm -d adjust` printed (golden), the emulator's `drbdsetup show` after
 * each apply makes the real tool agree there is nothing left to do (next plan empty), a syntax
 * error comes back at the YAML line, create-md over data and a forced first primary need an
 * approval naming the resource, and a cut link is hardware drift on both nodes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileWorld } from '../../drivers/drbd/emulator/state.js';
import { clusterDir } from '../../drivers/drbd/emulator/cluster.js';
import { setLink } from '../../drivers/sim/pair.js';
import { DRBD_YAML, makePair, type Pair } from './pair-fixture.js';

/** Polls `drift` on a node until it reports none (a resync advances with each status read). */
async function settled(p: Pair, n: 'a' | 'b'): Promise<void> {
  for (let i = 0; i < 10; i++) if ((await p.on(n, ['drift'])).code === 0) return;
  assert.fail(`esos-${n} never settled: ${(await p.on(n, ['drift'])).out}`);
}

const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

test('drbd: plan --commands shows what drbdadm -d adjust prints; after apply both plans are empty; a net option changes in place', { timeout: 240_000 }, async () => {
  const p = await makePair(DRBD_YAML());
  try {
    const planA = await p.on('a', ['plan', '--commands', '--allow', 'drbd/resource/r0']);
    assert.equal(planA.code, 0, planA.err);
    assert.equal(planA.out.slice(planA.out.indexOf('# + drbd/resource/r0')), golden('drbd-create-a.txt'));
    assert.equal((await p.on('b', ['apply', '--auto-approve'])).code, 0);
    const a = await p.on('a', ['apply', '--auto-approve', '--allow', 'drbd/resource/r0']);
    assert.equal(a.code, 0, a.out + a.err);
    for (const n of ['a', 'b'] as const) {
      const again = await p.on(n, ['plan', '--detailed-exitcode']);
      assert.equal(again.code, 0, `esos-${n}: ${again.out}`);
    }
    // health: connected and UpToDate on both sides once the initial sync is done
    await settled(p, 'b');

    writeFileSync(join(p.dir, 'sanform.yaml'), DRBD_YAML({ protocol: 'A' }));
    const change = await p.on('a', ['plan', '--commands']);
    assert.equal(change.out.slice(change.out.indexOf('# ~ drbd/resource/r0')), golden('drbd-protocol-a.txt'));
    const j = JSON.parse((await p.on('a', ['plan', '--json'])).out) as { changes: { action: string; impact: { class: string }[] }[] };
    assert.deepEqual(j.changes.map((c) => [c.action, c.impact.map((i) => i.class)]), [['update', ['benign']]]);
    assert.equal((await p.on('a', ['apply', '--auto-approve'])).code, 0);
    assert.equal((await p.on('a', ['plan', '--detailed-exitcode'])).code, 0);
  } finally {
    p.close();
  }
});

test('drbd: an option drbdadm rejects is reported at its YAML line', { timeout: 120_000 }, async () => {
  const p = await makePair(DRBD_YAML({ options: 'net/after-sb-0prix: discard-zero-changes' }));
  try {
    const r = await p.on('b', ['plan']);
    assert.equal(r.code, 1);
    const lineOf = DRBD_YAML().split('\n').findIndex((l) => l.includes('options:')) + 1;
    assert.match(r.err, new RegExp(`sanform\\.yaml:${lineOf}:\\d+: error DRBD_CONFIG_INVALID`));
    assert.match(r.err, /after-sb-0prix/);
  } finally {
    p.close();
  }
});

test('drbd: create-md over a disk holding data and the forced first primary wait for an approval naming the resource', { timeout: 180_000 }, async () => {
  const p = await makePair(DRBD_YAML());
  try {
    new FileWorld(clusterDir(p.b)).update((w) => void (w.nodes['esos-b'] = { resources: {}, md: {}, signatures: { '/dev/sdb': 'xfs' } }));
    const b = JSON.parse((await p.on('b', ['plan', '--json'])).out) as { blocked: { address: string; because: { class: string }[] }[] };
    assert.deepEqual(b.blocked.map((x) => [x.address, x.because.map((i) => i.class)]), [['drbd/resource/r0', ['data-loss']]]);
    const a = JSON.parse((await p.on('a', ['plan', '--json'])).out) as { blocked: { address: string; because: { class: string }[] }[] };
    assert.deepEqual(a.blocked.map((x) => [x.address, x.because.map((i) => i.class)]), [['drbd/resource/r0', ['data-loss']]]);
    writeFileSync(join(p.dir, 'sanform.yaml'), DRBD_YAML({ extra: 'policy: { approvals: [{ address: drbd/resource/r0, action: create, reason: "new pair, esos-a is the source" }] }' }));
    assert.equal((await p.on('b', ['apply', '--auto-approve'])).code, 0);
    assert.equal((await p.on('a', ['apply', '--auto-approve'])).code, 0);
    assert.equal((await p.on('a', ['plan', '--detailed-exitcode'])).code, 0);
  } finally {
    p.close();
  }
});

test('drbd: a cut replication link is hardware drift on both nodes, and clears when restored', { timeout: 180_000 }, async () => {
  const p = await makePair(DRBD_YAML({ extra: 'policy: { approvals: [{ address: drbd/resource/r0, action: create, reason: "new pair" }] }' }));
  try {
    assert.equal((await p.on('b', ['apply', '--auto-approve'])).code, 0);
    assert.equal((await p.on('a', ['apply', '--auto-approve'])).code, 0);
    await settled(p, 'a');
    setLink(p.a, false);
    for (const n of ['a', 'b'] as const) {
      const d = await p.on(n, ['drift', '--json']);
      assert.equal(d.code, 2, d.out);
      const e = (JSON.parse(d.out) as { drift: { address: string; driftClass?: string }[] }).drift;
      assert.deepEqual(e.map((x) => `${x.address} ${x.driftClass}`), ['drbd/resource/r0 hardware']);
      assert.equal((await p.on(n, ['plan', '--detailed-exitcode'])).code, 0, 'nothing to apply: the link is not sanform\'s to fix');
    }
    setLink(p.a, true);
    await settled(p, 'a');
    await settled(p, 'b');
  } finally {
    p.close();
  }
});
