/**
 * The SCST conformance suite: kernel rules from reference/scst-sysfs.md (§1–§5, checklist §8),
 * written only against the Host interface plus SimControl, so the same tests run against an
 * in-process SimHost, a persistent one, and LocalHost over the FUSE mount.
 *
 * Every target must start from a fresh machine with the DEFAULT hardware profile
 * (drivers/sim/hardware.ts defaultHardware()) and the iSCSI daemon up.
 */
import { describe, test } from 'node:test';
import type { Host } from '../../reconciler/host/host.js';
import type { SimControl } from '../../drivers/sim/index.js';
import type { Case } from './helpers.js';
import { grammarCases } from './cases/grammar.js';
import { deviceCases } from './cases/devices.js';
import { lunCases } from './cases/luns.js';
import { targetCases } from './cases/targets.js';
import { groupCases } from './cases/groups.js';
import { aluaCases } from './cases/alua.js';
import { iscsiCases } from './cases/iscsi.js';
import { hardwareCases } from './cases/hardware.js';
import { asyncCases } from './cases/async.js';

export interface ConformanceTarget {
  name: string;
  setup(): Promise<{ host: Host; control: SimControl; cleanup(): Promise<void> }>;
}

export const allCases = (): Case[] => [
  ...grammarCases, ...deviceCases, ...lunCases, ...targetCases, ...groupCases,
  ...aluaCases, ...iscsiCases, ...hardwareCases, ...asyncCases,
];

/** Registers every conformance case as a node:test test against `target`. */
export function defineConformance(target: ConformanceTarget): void {
  describe(`SCST conformance: ${target.name}`, () => {
    for (const c of allCases())
      test(c.title, async () => {
        const env = await target.setup();
        try {
          await c.run(env);
        } finally {
          await env.cleanup();
        }
      });
  });
}

export * from './helpers.js';
