/**
 * Golden plan fixtures: test/golden/<case>/{desired.yaml, live.txt, expected.txt}.
 * live.txt builds the observed state on a fresh SCST emulator, one line per step:
 *   PATH <- VALUE                  a raw write, PATH relative to /sys/kernel/scst_tgt
 *   login DRIVER TARGET INITIATOR  an initiator logs in (logout likewise)
 *   iscsid down|up                 the iSCSI daemon stops (its targets vanish) or starts
 *   unplug PORT | plug PORT        a hardware port disappears or comes back
 * `#` starts a comment line. `NAME.secret` files hold the values of `env: NAME` secrets.
 * expected.txt is `sanform plan --commands` output: the text plan,
 * a blank line, the exact kernel writes. UPDATE_GOLDEN=1 rewrites expected.txt.
 */
import { writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyPlan, loadAndPlan } from '../../reconciler/pipeline.js';
import { renderCommands, renderText } from '../../reconciler/render/index.js';
import { FINGERPRINT_KEY_FILE } from '../../reconciler/secrets.js';
import { ScstEmulator } from '../../drivers/scst/emulator/emulator.js';
import { emuHost } from '../../drivers/scst/testing/emu-host.js';
import { DRIVERS } from '../../drivers/scst/testing/loop.js';
import type { Plan } from '../../reconciler/core/change.js';

/** applies live.txt to a fresh emulator. */
export function buildLive(text: string): ScstEmulator {
  const emu = new ScstEmulator();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    try {
      step(emu, line);
    } catch (e) {
      throw new Error(`live.txt:${i + 1}: ${line}: ${(e as Error).message}`, { cause: e });
    }
  }
  return emu;
}

function step(emu: ScstEmulator, line: string): void {
  const arrow = line.indexOf(' <- ');
  if (arrow > 0) return emu.write(line.slice(0, arrow).trim(), line.slice(arrow + 4));
  const [verb, ...args] = line.split(/\s+/);
  const c = emu.control;
  if (verb === 'login') return c.login(args[0], args[1], args[2]);
  if (verb === 'logout') return c.logout(args[0], args[1], args[2]);
  if (verb === 'iscsid') return c.iscsiDaemon(args[0] as 'up' | 'down');
  if (verb === 'unplug') return c.unplug(args[0]);
  if (verb === 'plug') return c.plug(args[0]);
  throw new Error(`unknown live.txt step '${verb}'`);
}

/** `NAME.secret` files of a case become environment variables NAME (upper case, `-` as `_`). */
async function secretEnv(dir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const f of await readdir(dir)) {
    if (f.endsWith('.secret')) env['SANFORM_' + f.slice(0, -7).toUpperCase().replace(/-/g, '_')] = (await readFile(join(dir, f), 'utf8')).trim();
  }
  return env;
}

/** the plan text with --commands for one case directory; `converge` applies it and re-plans. */
export async function renderCase(dir: string): Promise<{ text: string; plan: Plan; secretValues: string[]; converge: () => Promise<Plan> }> {
  const yaml = await readFile(join(dir, 'desired.yaml'), 'utf8');
  const live = await readFile(join(dir, 'live.txt'), 'utf8').catch(() => '');
  const host = emuHost(buildLive(live));
  // a fixed machine key, so the fingerprints in expected.txt stay put
  writeFileSync(join(host.stateDir, FINGERPRINT_KEY_FILE), Buffer.alloc(32, 0x5a));
  const env = await secretEnv(dir);
  const run = () =>
    loadAndPlan({ texts: [{ file: 'desired.yaml', text: yaml }], host, drivers: DRIVERS, node: 'esos-a', env });
  const out = await run();
  if (!out.ok) throw new Error(`invalid desired.yaml: ${out.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('; ')}`);
  const fp = (n: string): string => out.secrets.fingerprint(n);
  const text = `${renderText(out.plan)}\n${renderCommands(out.plan, { fingerprint: fp })}`;
  const converge = async (): Promise<Plan> => {
    // the engine's apply: re-checks each write's `expect`, verifies after, skips dependents of failures
    const res = await applyPlan({ host, plan: out.plan, drivers: DRIVERS, secrets: out.secrets });
    const failed = res.results.filter((r) => r.status !== 'applied');
    if (failed.length) throw new Error(`apply failed: ${JSON.stringify(failed).slice(0, 600)}`);
    const again = await run();
    if (!again.ok) throw new Error('desired.yaml became invalid');
    return again.plan;
  };
  return { text, plan: out.plan, secretValues: Object.values(env), converge };
}
