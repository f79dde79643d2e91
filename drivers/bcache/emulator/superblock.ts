/**
 * The bcache superblock as make-bcache writes it and bcache-super-show prints it (bcache-tools
 * 1.0.8; kernel include/uapi/linux/bcache.h). Sizes are in 512-byte sectors, like the tools.
 */
import { createHash } from 'node:crypto';

export const CACHE_MODES = ['writethrough', 'writeback', 'writearound', 'none'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];
/** BDEV_STATE values: what the superblock of a backing device says of its cached data. */
export const BDEV_STATES = ['detached', 'clean', 'dirty', 'inconsistent'] as const;
export const REPLACEMENT = ['lru', 'fifo', 'random'] as const;

/** The superblock sits at sector 8 (4 KiB); blkid/wipefs find its magic at 0x1018. */
export const SB_OFFSET_BYTES = 0x1018;
/** Default start of a backing device's data (sectors); `-o` may move it further. */
export const BDEV_DATA_START_DEFAULT = 16;

export interface BackingSb {
  kind: 'backing';
  /** 1, or 4 with a data offset other than the default. */
  version: 1 | 4;
  uuid: string;
  setUuid: string;
  label: string;
  blockSize: number;
  bucketSize: number;
  dataOffset: number;
  /** index into CACHE_MODES. */
  cacheMode: number;
  /** index into BDEV_STATES. */
  state: number;
}

export interface CacheSb {
  kind: 'cache';
  version: 0;
  uuid: string;
  setUuid: string;
  label: string;
  blockSize: number;
  bucketSize: number;
  nbuckets: number;
  firstBucket: number;
  discard: boolean;
  /** index into REPLACEMENT (3 bits on disk: a bad value shows as a number). */
  replacement: number;
}

export type Superblock = BackingSb | CacheSb;

/** A stand-in for the superblock's crc64: stable for the same fields, 16 upper-case hex digits. */
export function csum(sb: Superblock): string {
  return createHash('sha256').update(JSON.stringify(sb)).digest('hex').slice(0, 16).toUpperCase();
}

const named = (list: readonly string[], i: number) => `${i} [${list[i] ?? 'unknown'}]`;

/** bcache-super-show's stdout for a valid superblock. */
export function renderSuperShow(sb: Superblock): string {
  const head = [
    'sb.magic\t\tok',
    'sb.first_sector\t\t8 [match]',
    `sb.csum\t\t\t${csum(sb)} [match]`,
    `sb.version\t\t${sb.version} [${sb.kind === 'cache' ? 'cache device' : 'backing device'}]`,
    '',
    `dev.label\t\t${sb.label === '' ? '(empty)' : sb.label}`,
    `dev.uuid\t\t${sb.uuid}`,
    `dev.sectors_per_block\t${sb.blockSize}`,
    `dev.sectors_per_bucket\t${sb.bucketSize}`,
  ];
  const body =
    sb.kind === 'backing'
      ? [
          `dev.data.first_sector\t${sb.dataOffset}`,
          `dev.data.cache_mode\t${named(CACHE_MODES, sb.cacheMode)}`,
          `dev.data.cache_state\t${named(BDEV_STATES, sb.state)}`,
        ]
      : [
          `dev.cache.first_sector\t${sb.bucketSize * sb.firstBucket}`,
          `dev.cache.cache_sectors\t${sb.bucketSize * (sb.nbuckets - sb.firstBucket)}`,
          `dev.cache.total_sectors\t${sb.bucketSize * sb.nbuckets}`,
          'dev.cache.ordered\tno',
          `dev.cache.discard\t${sb.discard ? 'yes' : 'no'}`,
          'dev.cache.pos\t\t0',
          `dev.cache.replacement\t${named(REPLACEMENT, sb.replacement)}`,
        ];
  return [...head, ...body, '', `cset.uuid\t\t${sb.setUuid}`, ''].join('\n');
}

export { seededUuid } from '../uuid.js';
