/**
 * The DRBD gate of a pair rollout: every resource that existed before the rollout is connected
 * and UpToDate on both sides. A resync under way is waited for (each status read is a fresh
 * look) until the timeout; a link that stays down fails the gate.
 */
import type { GateFinding, GateInput } from '../../reconciler/core/driver.js';
import { readStatus } from './observe.js';
import { KIND, resourceName } from './address.js';
import { unhealthy } from './status.js';

export async function gate(input: GateInput): Promise<GateFinding[]> {
  const names = [...input.before.resources.values()].filter((r) => r.kind === KIND).map((r) => resourceName(r.address));
  if (names.length === 0) return [];
  const deadline = Date.now() + input.timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 1000)) {
    const status = (await readStatus(input.host)) ?? [];
    const bad = names.map((n) => {
      const s = status.find((x) => x.name === n);
      return s ? unhealthy(s) : `${n} is not up on ${input.node}`;
    }).filter((w): w is string => w !== undefined);
    if (bad.length === 0) return [];
    if (Date.now() >= deadline) return bad.map((why) => ({ gate: 'drbd', why: `${input.node}: ${why}` }));
    await new Promise((r) => setTimeout(r, delay));
  }
}
