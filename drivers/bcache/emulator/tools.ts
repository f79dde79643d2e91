/**
 * make-bcache and bcache-super-show (bcache-tools 1.0.8) over emulated disks: the same argv
 * grammar, stdout, stderr and exit codes as the real tools, step for step (checked against them
 * on loop devices in real-tools.test.ts).
 */
import type { ExecResult } from '../../../reconciler/host/host.js';
import type { BlockDevices } from '../../sim/block-devices.js';
import type { BackingSb, CacheSb, Superblock } from './superblock.js';
import { BDEV_DATA_START_DEFAULT, REPLACEMENT, SB_OFFSET_BYTES, renderSuperShow } from './superblock.js';

const USAGE =
  'Usage: make-bcache [options] device\n' +
  '\t-C, --cache\t\tFormat a cache device\n' +
  '\t-B, --bdev\t\tFormat a backing device\n' +
  '\t-b, --bucket\t\tbucket size\n' +
  '\t-w, --block\t\tblock size (hard sector size of SSD, often 2k)\n' +
  '\t-o, --data-offset\tdata offset in sectors\n' +
  '\t    --cset-uuid\t\tUUID for the cache set\n' +
  '\t    --writeback\t\tenable writeback\n' +
  '\t    --discard\t\tenable discards\n' +
  '\t    --cache_replacement_policy=(lru|fifo)\n' +
  '\t-h, --help\t\tdisplay this help and exit\n';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown inside a tool run: ends it with this exit code (what exit(3) does in C). */
class Exit {
  constructor(readonly code: number) {}
}

interface Io {
  out: string[];
  err: string[];
}

/** The tool's environment: the disks and where its random UUIDs come from. */
export interface ToolEnv {
  disks: BlockDevices;
  /** a fresh UUID (make-bcache calls uuid_generate once for the set, once per device). */
  uuid(): string;
  /** the device is open exclusively by the kernel (registered, or held): O_EXCL fails. */
  busy(path: string): boolean;
}

/** strtoll + the k/M/G/T suffix fall-through of bcache-tools' hatoi. */
function hatoi(s: string): number {
  const m = /^\s*([+-]?\d*)(.?)/.exec(s);
  let i = Number(m?.[1] || 0);
  const mult: Record<string, number> = { t: 4, g: 3, m: 2, k: 1 };
  i *= 1024 ** (mult[(m?.[2] ?? '').toLowerCase()] ?? 0);
  return i;
}

function hatoiValidate(io: Io, s: string, what: string): number {
  const v = hatoi(s);
  if (v & (v - 1)) fail(io, `${what} must be a power of two`);
  const sectors = Math.floor(v / 512);
  if (sectors > 0xffff) fail(io, `${what} too large`);
  if (!sectors) fail(io, `${what} too small`);
  return sectors;
}

function fail(io: Io, msg: string, code = 1): never {
  io.err.push(`${msg}\n`);
  throw new Exit(code);
}

interface MakeOpts {
  bdev: number;
  cache: string[];
  backing: string[];
  blockSize: number;
  bucketSize: number;
  writeback: boolean;
  discard: boolean;
  wipe: boolean;
  replacement: number;
  dataOffset: number;
  setUuid?: string;
}

const LONG_FLAGS: Record<string, keyof MakeOpts> = { writeback: 'writeback', 'wipe-bcache': 'wipe', discard: 'discard' };
const LONG_ARGS: Record<string, string> = {
  cache: 'C', bdev: 'B', bucket: 'b', block: 'w', cache_replacement_policy: 'p', 'cache-replacement-policy': 'p',
  data_offset: 'o', 'data-offset': 'o', 'cset-uuid': 'u', help: 'h',
};

/** getopt_long with "-hCBUo:w:b:": options and devices in order, the device list keyed by -C/-B. */
function parseMake(io: Io, argv: string[]): MakeOpts {
  const o: MakeOpts = { bdev: -1, cache: [], backing: [], blockSize: 0, bucketSize: 1024, writeback: false, discard: false, wipe: false, replacement: 0, dataOffset: BDEV_DATA_START_DEFAULT };
  const needsArg = new Set(['b', 'w', 'o', 'p', 'u']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    let opt: string | undefined;
    let val: string | undefined;
    if (a.startsWith('--') && a.length > 2) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const flag = LONG_FLAGS[name];
      if (flag) {
        (o[flag] as boolean) = true;
        continue;
      }
      opt = LONG_ARGS[name];
      // getopt prints its complaint and make-bcache's switch ignores the '?' it returns
      if (!opt) {
        io.err.push(`make-bcache: unrecognized option '--${name}'\n`);
        continue;
      }
      if (needsArg.has(opt)) val = inline ?? argv[++i];
    } else if (a.startsWith('-') && a.length > 1) {
      // clustered short options: -CB, -b512k
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        if (!'hCBUowb'.includes(c)) {
          io.err.push(`make-bcache: invalid option -- '${c}'\n`);
          continue;
        }
        if (needsArg.has(c)) {
          val = a.slice(j + 1) || argv[++i];
          opt = c;
          break;
        }
        applyOpt(io, o, c, undefined);
      }
      if (!opt) continue;
    } else {
      if (o.bdev === -1) fail(io, 'Please specify -C or -B');
      (o.bdev ? o.backing : o.cache).push(a);
      continue;
    }
    if (needsArg.has(opt) && val === undefined) {
      io.err.push(`make-bcache: option requires an argument -- '${opt}'\n`);
      continue;
    }
    applyOpt(io, o, opt, val);
  }
  return o;
}

function applyOpt(io: Io, o: MakeOpts, c: string, val: string | undefined): void {
  switch (c) {
    case 'C': o.bdev = 0; break;
    case 'B': o.bdev = 1; break;
    case 'b': o.bucketSize = hatoiValidate(io, val ?? '', 'bucket size'); break;
    case 'w': o.blockSize = hatoiValidate(io, val ?? '', 'block size'); break;
    case 'p': {
      const i = REPLACEMENT.indexOf((val ?? '').trim() as (typeof REPLACEMENT)[number]);
      // read_string_list returns -EINVAL, stored unchecked; 3 bits of it reach the superblock
      o.replacement = i >= 0 ? i : -22 & 7;
      break;
    }
    case 'o':
      o.dataOffset = Number(/^\s*-?\d+/.exec(val ?? '')?.[0] ?? 0);
      if (o.dataOffset < BDEV_DATA_START_DEFAULT) fail(io, `Bad data offset; minimum ${BDEV_DATA_START_DEFAULT} sectors`);
      break;
    case 'u':
      if (!UUID_RE.test(val ?? '')) fail(io, 'Bad uuid');
      o.setUuid = (val as string).toLowerCase();
      break;
    case 'h':
      io.err.push(USAGE);
      throw new Exit(1);
    default: // -U is accepted and ignored
  }
}

const strerror: Record<string, string> = { ENOENT: 'No such file or directory', EBUSY: 'Device or resource busy' };

function writeSb(io: Io, env: ToolEnv, dev: string, o: MakeOpts, setUuid: string, bdev: boolean): void {
  const d = env.disks.get(dev);
  if (!d) fail(io, `Can't open dev ${dev}: ${strerror.ENOENT}`);
  if (env.busy(dev)) fail(io, `Can't open dev ${dev}: ${strerror.EBUSY}`);
  const old = env.disks.signature(dev);
  if (old?.type === 'bcache' && !o.wipe) fail(io, `Already a bcache device on ${dev}, overwrite with --wipe-bcache`);
  // blkid probes superblocks and partition tables; it knows bcache too, so --wipe-bcache never helps
  if (old) fail(io, `Device ${dev} already has a non-bcache superblock, remove it using wipefs and wipefs -a`);
  const uuid = env.uuid();
  let sb: Superblock;
  if (bdev) {
    const withOffset = o.dataOffset !== BDEV_DATA_START_DEFAULT;
    sb = { kind: 'backing', version: withOffset ? 4 : 1, uuid, setUuid, label: '', blockSize: o.blockSize, bucketSize: o.bucketSize, dataOffset: o.dataOffset, cacheMode: o.writeback ? 1 : 0, state: 0 } satisfies BackingSb;
    io.out.push(`UUID:\t\t\t${uuid}\nSet UUID:\t\t${setUuid}\nversion:\t\t${sb.version}\nblock_size:\t\t${o.blockSize}\ndata_offset:\t\t${o.dataOffset}\n`);
  } else {
    const nbuckets = Math.floor(Math.floor(d.sizeBytes / 512) / o.bucketSize);
    if (nbuckets < 128) fail(io, `Not enough buckets: ${nbuckets}, need 128`);
    const firstBucket = Math.floor(23 / o.bucketSize) + 1;
    sb = { kind: 'cache', version: 0, uuid, setUuid, label: '', blockSize: o.blockSize, bucketSize: o.bucketSize, nbuckets, firstBucket, discard: o.discard, replacement: o.replacement } satisfies CacheSb;
    io.out.push(`UUID:\t\t\t${uuid}\nSet UUID:\t\t${setUuid}\nversion:\t\t0\nnbuckets:\t\t${nbuckets}\nblock_size:\t\t${o.blockSize}\nbucket_size:\t\t${o.bucketSize}\nnr_in_set:\t\t1\nnr_this_dev:\t\t0\nfirst_bucket:\t\t${firstBucket}\n`);
  }
  env.disks.setSignature(dev, { type: 'bcache', uuid, offset: SB_OFFSET_BYTES, data: sb });
}

function run(body: (io: Io) => void): ExecResult {
  const io: Io = { out: [], err: [] };
  let exitCode = 0;
  try {
    body(io);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    exitCode = e.code;
  }
  return { exitCode, stdout: io.out.join(''), stderr: io.err.join('') };
}

/** `make-bcache ARGS...` (argv without the program name). Caches are written first, then backings. */
export function makeBcache(argv: string[], env: ToolEnv): ExecResult {
  return run((io) => {
    const o = parseMake(io, argv);
    if (!o.cache.length && !o.backing.length) {
      io.err.push('Please supply a device\n', USAGE);
      throw new Exit(1);
    }
    if (o.bucketSize < o.blockSize) fail(io, 'Bucket size cannot be smaller than block size');
    if (!o.blockSize) {
      for (const dev of [...o.cache, ...o.backing]) {
        const d = env.disks.get(dev);
        if (!d) fail(io, `Error statting ${dev}: ${strerror.ENOENT}`);
        o.blockSize = Math.max(o.blockSize, Math.floor((d.logicalBlockSize ?? 512) / 512));
      }
    }
    const setUuid = o.setUuid ?? env.uuid();
    for (const dev of o.cache) writeSb(io, env, dev, o, setUuid, false);
    for (const dev of o.backing) writeSb(io, env, dev, o, setUuid, true);
  });
}

/** `bcache-super-show [-f] DEVICE`. */
export function bcacheSuperShow(argv: string[], env: Pick<ToolEnv, 'disks'>): ExecResult {
  return run((io) => {
    const usage = 'Usage: bcache-super-show [-f] <device>\n';
    const args = argv.filter((a) => a !== '-f');
    const bad = args.find((a) => a.startsWith('-') && a.length > 1);
    if (bad) {
      io.err.push(`bcache-super-show: invalid option -- '${bad[1]}'\n`, usage);
      throw new Exit(1);
    }
    if (args.length !== 1) {
      io.err.push(usage);
      throw new Exit(1);
    }
    const dev = args[0] as string;
    if (!env.disks.get(dev)) {
      io.out.push(`Can't open dev ${dev}: ${strerror.ENOENT}\n`); // printf, not fprintf(stderr)
      throw new Exit(2);
    }
    const sig = env.disks.signature(dev);
    if (sig?.type !== 'bcache') {
      io.out.push('sb.magic\t\tbad magic\n');
      fail(io, 'Invalid superblock (bad magic)', 2);
    }
    io.out.push(renderSuperShow(sig.data as Superblock));
  });
}

/** The superblock on a device, if it carries one. */
export function superblockOf(disks: BlockDevices, dev: string): Superblock | undefined {
  const sig = disks.signature(dev);
  return sig?.type === 'bcache' ? (sig.data as Superblock) : undefined;
}
