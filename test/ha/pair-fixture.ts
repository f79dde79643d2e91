/** Two linked emulated machines (esos-a, esos-b) in a temp dir, for the HA tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultHardware, initSimDir } from '../../drivers/sim/index.js';
import { linkSimDirs } from '../../drivers/sim/pair.js';
import { runCli } from '../engine/cli-run.js';

export const DRBD_YAML = (o: { options?: string; protocol?: string; extra?: string } = {}) => [
  'version: 1',
  'nodes: { esos-a: {}, esos-b: {} }',
  'storage:',
  '  drbd:',
  '    r0:',
  `      protocol: ${o.protocol ?? 'C'}`,
  '      volumes:',
  '        0: { device: /dev/drbd0, disk: /dev/sdb, metaDisk: internal }',
  '      nodes:',
  '        esos-a: { address: "10.10.0.1:7789", nodeId: 0, role: primary }',
  '        esos-b: { address: "10.10.0.2:7789", nodeId: 1, role: secondary }',
  `      options: { ${o.options ?? 'net/after-sb-0pri: discard-zero-changes'} }`,
  o.extra ?? '',
  '',
].join('\n');

export interface Pair {
  dir: string;
  a: string;
  b: string;
  cli(args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** `plan`/`apply`/`drift` as node N of the pair against its own machine. */
  on(node: 'a' | 'b', args: string[]): Promise<{ code: number; out: string; err: string }>;
  close(): void;
}

export async function makePair(yaml: string): Promise<Pair> {
  const dir = mkdtempSync(join(tmpdir(), 'sanform-pair-'));
  const [a, b] = [join(dir, 'a'), join(dir, 'b')];
  await initSimDir(a, { ...defaultHardware(), hostname: 'esos-a' });
  await initSimDir(b, { ...defaultHardware(), hostname: 'esos-b' });
  await linkSimDirs(a, b);
  writeFileSync(join(dir, 'sanform.yaml'), yaml);
  const cli = (args: string[]) => runCli(dir, args);
  return {
    dir, a, b, cli,
    on: (node, args) => cli([...args, '--host', `sim:${node}`, '--node', `esos-${node}`]),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
