/** The block devices DRBD provides on one node of a sim DIR, for the layers above (SCST's vdisk_blockio). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrbdWorld } from './state.js';

/** Size in bytes of /dev/drbdN on `node`, or undefined when no such minor exists there. */
export function drbdDeviceSize(clusterDir: string, node: string, path: string): number | undefined {
  const file = join(clusterDir, 'drbd.json');
  if (!existsSync(file)) return undefined;
  const w = JSON.parse(readFileSync(file, 'utf8')) as DrbdWorld;
  const n = w.nodes[node];
  for (const r of Object.values(n?.resources ?? {})) {
    for (const v of Object.values(r.volumes)) {
      if (`/dev/drbd${v.minor}` !== path) continue;
      return v.disk ? (n!.md[v.disk.path]?.sizeBytes ?? 0) : 0;
    }
  }
  return undefined;
}
