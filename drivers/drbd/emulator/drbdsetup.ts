/**
 * The emulated `drbdsetup` and `drbdmeta`: the commands `drbdadm` runs (adjust, up, down,
 * create-md, primary, resize), with the kernel's refusals and DRBD's exit codes (10 for a
 * refused state change, 17 for a refused role change, 20 when the object is missing).
 *
 * Not modelled (README.md has the full list): data and bitmaps (a resync is a counter), generation
 * UUIDs and real split-brain detection, quorum and fencing, `down` refused while the device is
 * open, a Secondary refusing opens, more than one path per connection.
 */
import type { ExecResult } from '../../../reconciler/host/host.js';
import { advanceResync, connState, diskState } from './link.js';
import { renderShow, renderStatus } from './render.js';
import type { DrbdResource, DrbdWorld, NodeState } from './state.js';
import { emptyNode } from './state.js';

/** What the emulator needs to know of the machine: the size of a block device, if it exists. */
export interface Machine {
  node: string;
  deviceSize(path: string): number | undefined;
}

class Refused extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}
const fail = (code: number, msg: string): never => {
  throw new Refused(code, msg);
};

/** `--key=value` options and positional arguments; `--set-defaults` resets the section first. */
function parseArgs(args: string[]): { pos: string[]; opts: Record<string, string>; flags: Set<string> } {
  const pos: string[] = [];
  const opts: Record<string, string> = {};
  const flags = new Set<string>();
  for (const a of args) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (!m) pos.push(a);
    else if (m[2] === undefined) flags.add(m[1]!);
    else opts[m[1]!] = m[2];
  }
  return { pos, opts, flags };
}

const setOpts = (target: Record<string, string>, opts: Record<string, string>, flags: Set<string>): Record<string, string> =>
  flags.has('set-defaults') ? { ...opts } : { ...target, ...opts };

function res(n: NodeState, name: string | undefined): DrbdResource {
  const r = name ? n.resources[name] : undefined;
  return r ?? fail(10, `${name}: failure: (158) Unknown resource`);
}

function minorOf(n: NodeState, minor: string | undefined): { r: DrbdResource; vol: string; name: string } {
  for (const [name, r] of Object.entries(n.resources)) {
    for (const [vol, v] of Object.entries(r.volumes)) if (String(v.minor) === minor) return { r, vol, name };
  }
  return fail(10, `${minor}: failure: (127) Device minor not allocated`);
}

function peerOf(r: DrbdResource, id: string | undefined) {
  const p = id !== undefined ? r.peers[id] : undefined;
  return p ?? fail(10, `failure: (162) Unknown connection`);
}

type Cmd = (w: DrbdWorld, m: Machine, a: ReturnType<typeof parseArgs>) => string | void;

const SETUP: Record<string, Cmd> = {
  'new-resource': (w, m, { pos: [name, id], opts }) => {
    const n = w.nodes[m.node]!;
    if (n.resources[name!]) fail(10, `${name}: failure: (161) Resource already exists`);
    n.resources[name!] = { nodeId: Number(id), role: 'Secondary', options: opts, volumes: {}, peers: {} };
  },
  'resource-options': (w, m, { pos: [name], opts, flags }) => {
    const r = res(w.nodes[m.node]!, name);
    r.options = setOpts(r.options, opts, flags);
  },
  'new-minor': (w, m, { pos: [name, minor, vol] }) => {
    const n = w.nodes[m.node]!;
    const r = res(n, name);
    for (const o of Object.values(n.resources)) if (Object.values(o.volumes).some((v) => String(v.minor) === minor)) fail(10, `failure: (161) Minor or volume exists already`);
    if (r.volumes[vol!]) fail(10, `failure: (161) Minor or volume exists already`);
    r.volumes[vol!] = { minor: Number(minor) };
  },
  'del-minor': (w, m, { pos: [minor] }) => {
    const { r, vol } = minorOf(w.nodes[m.node]!, minor);
    if (r.volumes[vol]!.disk) fail(11, `${minor}: failure: (127) Device has a lower device attached; detach first`);
    delete r.volumes[vol];
  },
  'new-peer': (w, m, { pos: [name, id], opts }) => {
    const r = res(w.nodes[m.node]!, name);
    if (r.peers[id!]) fail(10, `failure: (161) Connection already exists`);
    const { _name, ...rest } = opts;
    r.peers[id!] = { name: _name ?? `peer${id}`, options: rest, paths: [], connect: false };
  },
  'net-options': (w, m, { pos: [name, id], opts, flags }) => {
    const p = peerOf(res(w.nodes[m.node]!, name), id);
    const { _name, ...rest } = opts;
    if (_name) p.name = _name;
    p.options = setOpts(p.options, rest, flags);
  },
  'peer-device-options': (w, m, { pos: [name, id, vol], opts, flags }) => {
    const r = res(w.nodes[m.node]!, name);
    const p = peerOf(r, id);
    if (!r.volumes[vol!]) fail(10, `failure: (127) Device minor not allocated`);
    p.volumes ??= {};
    p.volumes[vol!] = setOpts(p.volumes[vol!] ?? {}, opts, flags);
  },
  'new-path': (w, m, { pos: [name, id, local, remote] }) => {
    const p = peerOf(res(w.nodes[m.node]!, name), id);
    const strip = (s: string) => s.replace(/^ipv4:/, '');
    if (p.paths.some((x) => x.local === strip(local!) && x.remote === strip(remote!))) fail(10, 'failure: (161) Path already exists');
    p.paths.push({ local: strip(local!), remote: strip(remote!) });
  },
  'del-path': (w, m, { pos: [name, id, local, remote] }) => {
    const p = peerOf(res(w.nodes[m.node]!, name), id);
    const strip = (s: string) => s.replace(/^ipv4:/, '');
    p.paths = p.paths.filter((x) => !(x.local === strip(local!) && x.remote === strip(remote!)));
  },
  connect: (w, m, { pos: [name, id] }) => {
    const p = peerOf(res(w.nodes[m.node]!, name), id);
    if (p.paths.length === 0) fail(10, 'failure: (10) Connection needs at least one path');
    p.connect = true;
  },
  disconnect: (w, m, { pos: [name, id] }) => {
    peerOf(res(w.nodes[m.node]!, name), id).connect = false;
  },
  'del-peer': (w, m, { pos: [name, id] }) => {
    const r = res(w.nodes[m.node]!, name);
    peerOf(r, id);
    delete r.peers[id!];
  },
  attach: (w, m, { pos: [minor, lower, metaDev], opts }) => {
    const n = w.nodes[m.node]!;
    const { r, vol } = minorOf(n, minor);
    if (m.deviceSize(lower!) === undefined) fail(10, `${minor}: failure: (104) Can not open backing device ${lower}`);
    if (!n.md[metaDev!]) fail(10, `${minor}: failure: (119) No valid meta-data signature found.\n\t==> Use 'drbdadm create-md res' to initialize meta-data area. <==`);
    if (r.volumes[vol]!.disk) fail(10, `${minor}: failure: (124) Device is attached to a disk already`);
    r.volumes[vol]!.disk = { path: lower!, metaDisk: 'internal', options: opts };
  },
  'disk-options': (w, m, { pos: [minor], opts, flags }) => {
    const { r, vol } = minorOf(w.nodes[m.node]!, minor);
    const d = r.volumes[vol]!.disk ?? fail(10, `${minor}: failure: (138) Device does not have a disk`);
    d.options = setOpts(d.options, opts, flags);
  },
  detach: (w, m, { pos: [minor] }) => {
    const { r, vol } = minorOf(w.nodes[m.node]!, minor);
    if (r.role === 'Primary' && !Object.values(r.peers).length) fail(11, `${minor}: State change failed: (-2) Need access to UpToDate data`);
    delete r.volumes[vol]!.disk;
  },
  primary: (w, m, { pos: [name], flags }) => {
    const r = res(w.nodes[m.node]!, name);
    for (const [id, p] of Object.entries(r.peers)) {
      const other = w.nodes[p.name]?.resources[name!];
      if (connState(w, m.node, name!, id) === 'Connected' && other?.role === 'Primary' && p.options['allow-two-primaries'] !== 'yes') {
        fail(11, `${name}: State change failed: (-1) Multiple primaries not allowed by config`);
      }
    }
    for (const [vol, v] of Object.entries(r.volumes)) {
      if (diskState(w, m.node, name!, vol) === 'UpToDate') continue;
      const peerHas = Object.entries(r.peers).some(([id, p]) => connState(w, m.node, name!, id) === 'Connected' && diskState(w, p.name, name!, vol) === 'UpToDate');
      if (peerHas) continue;
      if (!flags.has('force') || !v.disk) fail(17, `${name}: State change failed: (-2) Need access to UpToDate data`);
      w.nodes[m.node]!.md[v.disk!.path]!.state = 'UpToDate';
    }
    r.role = 'Primary';
  },
  secondary: (w, m, { pos: [name] }) => {
    res(w.nodes[m.node]!, name).role = 'Secondary';
  },
  down: (w, m, { pos: [name] }) => {
    const n = w.nodes[m.node]!;
    res(n, name);
    delete n.resources[name!];
  },
  resize: (w, m, { pos: [minor] }) => {
    const n = w.nodes[m.node]!;
    const { r, vol } = minorOf(n, minor);
    const d = r.volumes[vol]!.disk ?? fail(10, `${minor}: failure: (138) Device does not have a disk`);
    n.md[d.path]!.sizeBytes = m.deviceSize(d.path) ?? n.md[d.path]!.sizeBytes;
  },
  'check-resize': () => undefined,
  show: (w, m, { pos: [name] }) => renderShow(w, m.node, name),
  status: (w, m, { pos: [name], flags }) => {
    advanceResync(w);
    if (name && !w.nodes[m.node]!.resources[name]) fail(10, `${name}: No such resource`);
    return flags.has('json') ? renderStatus(w, m.node, name) : fail(20, 'only --json is emulated');
  },
};

/** `drbdmeta MINOR v09 DISK META IDX CMD...`: create-md, apply-al, check-resize, get-gi. */
function drbdmeta(w: DrbdWorld, m: Machine, args: string[]): string | void {
  const [, fmt, disk, , cmd, ...rest] = args;
  const n = w.nodes[m.node]!;
  if (fmt !== 'v09') fail(20, `drbdmeta: only v09 meta data is emulated`);
  const size = m.deviceSize(disk!);
  if (size === undefined) fail(20, `open(${disk}) failed: No such file or directory`);
  switch (cmd) {
    case 'create-md':
      if (n.md[disk!] && !rest.includes('--force')) fail(20, `There appears to be a v09 meta data block already in place on ${disk}: use --force to overwrite`);
      n.md[disk!] = { state: 'Inconsistent', sizeBytes: size! };
      return 'New drbd meta data block successfully created.\n';
    case 'apply-al':
    case 'get-gi':
    case 'check-resize':
      if (!n.md[disk!]) fail(255, `No valid meta data found`);
      return;
    default:
      return fail(20, `drbdmeta ${cmd}: not emulated`);
  }
}

/** Runs one drbdsetup or drbdmeta command line against the world, as node `m.node`. */
export function runTool(w: DrbdWorld, m: Machine, argv: string[]): ExecResult {
  w.nodes[m.node] ??= emptyNode();
  const [tool, sub, ...rest] = argv;
  try {
    if (tool === 'drbdmeta') return { exitCode: 0, stdout: drbdmeta(w, m, [sub!, ...rest]) ?? '', stderr: '' };
    const cmd = SETUP[sub ?? ''];
    if (!cmd) return { exitCode: 20, stdout: '', stderr: `drbdsetup ${sub}: unknown command\n` };
    return { exitCode: 0, stdout: cmd(w, m, parseArgs(rest)) ?? '', stderr: '' };
  } catch (e) {
    if (e instanceof Refused) return { exitCode: e.exitCode, stdout: '', stderr: `${e.message}\n` };
    throw e;
  }
}
