/**
 * The reference server on disk, for benches that run whole sanform processes: the generated
 * configuration (gen-config.ts) applied to an emulated machine in `dir/sim` (what `--host sim:`
 * reads), that machine materialized as plain files in `dir/tree` (what `--host local:` reads
 * through the native helper), and the configuration in `dir/sanform.yaml`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scstDriver } from '../drivers/scst/index.js';
import { defaultHardware, initSimDir, openSimHost } from '../drivers/sim/index.js';
import { materialize } from '../drivers/sim/materialize.js';
import { applyPlan, loadAndPlan } from '../reconciler/pipeline.js';
import { generateLargeConfig, type LargeConfigOptions } from './gen-config.js';

export interface ReferenceServer {
  config: string;
  sim: string;
  tree: string;
  node: string;
  counts: { dirs: number; files: number; links: number };
}

export async function referenceServer(dir: string, opts: LargeConfigOptions = {}): Promise<ReferenceServer> {
  const { text, blockDevices } = generateLargeConfig(opts);
  const config = join(dir, 'sanform.yaml');
  writeFileSync(config, text);
  const sim = join(dir, 'sim');
  const hw = defaultHardware();
  await initSimDir(sim, { ...hw, blockDevices: blockDevices.map((path) => ({ path, sizeBytes: 2 ** 40 })) });
  const host = await openSimHost(sim);
  const drivers = [scstDriver];
  const planned = await loadAndPlan({ texts: [{ file: config, text }], host, drivers });
  if (!planned.ok) throw new Error(`reference config does not load: ${planned.diagnostics[0]?.message}`);
  const applied = await applyPlan({ host, plan: planned.plan, drivers, secrets: planned.secrets, stateDir: join(dir, 'state') });
  if (!applied.ok) throw new Error('reference config did not apply');
  const tree = join(dir, 'tree');
  const m = await materialize(host, tree);
  await host.close?.();
  return { config, sim, tree, node: planned.desired.node, counts: { dirs: m.dirs, files: m.files, links: m.links } };
}
