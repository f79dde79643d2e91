// Schedules and retention over a simulated clock (property tests with fast-check).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { keep, type Retention } from './retention.js';
import { due, parseEvery, slotOf, snapshotName, timeOfName } from './schedule.js';

const T0 = Date.UTC(2026, 11, 4, 10, 0);
const at = (min: number) => new Date(T0 + min * 60_000);

describe('schedule', () => {
  it('every: one snapshot per slot; due again only when the next slot starts', () => {
    const s = { every: '1h' };
    assert.deepEqual(due(s, [], at(17)), at(0));
    assert.equal(due(s, [at(0)], at(59)), undefined);
    assert.deepEqual(due(s, [at(0)], at(60)), at(60));
  });

  it('at: the latest calendar time at or before now, yesterday\'s last one before the first', () => {
    const s = { at: ['02:00', '14:00'] };
    assert.deepEqual(slotOf(s, new Date(Date.UTC(2026, 11, 4, 1, 0))), new Date(Date.UTC(2026, 11, 3, 14, 0)));
    assert.deepEqual(slotOf(s, new Date(Date.UTC(2026, 11, 4, 15, 0))), new Date(Date.UTC(2026, 11, 4, 14, 0)));
  });

  it('names carry the slot to the minute and read back; other sets and odd names do not match', () => {
    assert.equal(snapshotName('vm_store', at(0)), 'vm_store@2026-12-04T10:00Z');
    assert.deepEqual(timeOfName('vm_store', 'vm_store@2026-12-04T10:00Z'), at(0));
    assert.equal(timeOfName('vm', 'vm_store@2026-12-04T10:00Z'), undefined);
    assert.equal(timeOfName('vm_store', 'vm_store@2026-13-04T10:00Z'), undefined);
    assert.equal(parseEvery('0h'), undefined);
  });

  it('property: run every minute for days, a snapshot taken whenever due: exactly one per slot', () => {
    fc.assert(fc.property(fc.constantFrom('15m', '1h', '6h', '1d'), fc.integer({ min: 1, max: 3 * 24 * 60 }), (every, minutes) => {
      const taken: Date[] = [];
      for (let m = 0; m < minutes; m += 7) {
        const d = due({ every }, taken, at(m));
        if (d) taken.push(d);
      }
      const slots = new Set(taken.map((d) => Math.floor(d.getTime() / parseEvery(every)!)));
      assert.equal(slots.size, taken.length);
    }));
  });
});

describe('retention', () => {
  const rule: Retention = { last: 3, hourly: 24, daily: 7, weekly: 4, monthly: 3 };
  it('keeps the newest N and the newest of each recent hour, day, week and month', () => {
    const hourly = Array.from({ length: 24 * 40 }, (_, h) => at(h * 60));
    const kept = [...keep(rule, hourly)].map((i) => hourly[i]!);
    assert.ok(kept.some((d) => d.getTime() === hourly[hourly.length - 1]!.getTime()), 'the newest');
    const days = new Set(kept.map((d) => d.toISOString().slice(0, 10)));
    assert.ok(days.size >= 7 && kept.length <= 3 + 24 + 7 + 4 + 3);
    assert.ok(kept.length < hourly.length);
  });

  it('property: the newest is always kept when anything is kept; the kept set is stable (pruning twice prunes nothing more)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 * 24 * 120 }), { minLength: 1, maxLength: 200 }), fc.record({ last: fc.nat(5), hourly: fc.nat(30), daily: fc.nat(10), weekly: fc.nat(6), monthly: fc.nat(4) }), (mins, r) => {
      const times = mins.map(at);
      const first = [...keep(r, times)].map((i) => times[i]!);
      const anyRule = Object.values(r).some((n) => n > 0);
      if (anyRule) assert.ok(first.some((d) => d.getTime() === Math.max(...times.map((t) => t.getTime()))));
      const second = keep(r, first);
      assert.equal(second.size, first.length);
    }));
  });
});
