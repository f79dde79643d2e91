/** The bcache kernel emulator: registration, attach/detach, tunables, and what the kernel refuses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isErrno } from '../../../reconciler/core/errors.js';
import { hprint, parseHprint } from '../hprint.js';
import { BcacheEmulator, MemoryDisks } from './index.js';

const GiB = 1024 ** 3;
const fresh = () =>
  new BcacheEmulator(MemoryDisks.of([{ path: '/dev/md1', sizeBytes: 4 * GiB }, { path: '/dev/md2', sizeBytes: 4 * GiB }, { path: '/dev/nvme0n1p2', sizeBytes: GiB }]));
const ok = (e: BcacheEmulator, argv: string[]) => assert.equal(e.exec(argv).exitCode, 0, argv.join(' '));
const errno = (fn: () => void, name: string) => assert.throws(fn, (e) => isErrno(e, name));

describe('bcache kernel emulator', () => {
  it('registers a backing device: bcache0 appears over it with the data offset taken off', () => {
    const e = fresh();
    ok(e, ['make-bcache', '-B', '/dev/md1']);
    e.fs.write('fs/bcache/register', '/dev/md1\n');
    assert.equal(e.fs.readlink('block/bcache0/bcache'), '../md1/bcache');
    assert.deepEqual(e.disks.holders('/dev/md1'), ['bcache0']);
    assert.equal(e.disks.get('/dev/bcache0')?.sizeBytes, 4 * GiB - 16 * 512);
    assert.equal(e.fs.read('block/md1/bcache/state'), 'no cache\n');
    assert.equal(e.fs.read('block/md1/bcache/cache_mode'), '[writethrough] writeback writearound none\n');
    // a second register is refused, register_quiet is not
    errno(() => e.fs.write('fs/bcache/register', '/dev/md1'), 'EINVAL');
    e.fs.write('fs/bcache/register_quiet', '/dev/md1');
  });

  it('refuses to register what is missing or carries no bcache superblock', () => {
    const e = fresh();
    errno(() => e.fs.write('fs/bcache/register', '/dev/nope'), 'EINVAL');
    errno(() => e.fs.write('fs/bcache/register', '/dev/md2'), 'EINVAL');
    errno(() => e.fs.read('fs/bcache/register'), 'EACCES');
  });

  it('attaches a cache formatted together with the backing device, in either registration order', () => {
    for (const order of [['/dev/nvme0n1p2', '/dev/md1'], ['/dev/md1', '/dev/nvme0n1p2']]) {
      const e = fresh();
      ok(e, ['make-bcache', '-C', '/dev/nvme0n1p2', '-B', '/dev/md1']);
      for (const d of order) e.fs.write('fs/bcache/register', d);
      const [set] = e.fs.readdir('fs/bcache').filter((n) => n.includes('-'));
      assert.ok(set);
      assert.equal(e.fs.readlink('block/md1/bcache/cache'), `../../../fs/bcache/${set}`);
      assert.equal(e.fs.readlink(`fs/bcache/${set}/bdev0`), '../../../block/md1/bcache');
      assert.equal(e.fs.read('block/md1/bcache/state'), 'clean\n');
      assert.equal(e.fs.read('block/bcache0/size'), `${(4 * GiB) / 512 - 16}\n`);
    }
  });

  it('attaches by set UUID and refuses a bad UUID, an unknown set and a second attach', () => {
    const e = fresh();
    ok(e, ['make-bcache', '-B', '/dev/md1']);
    ok(e, ['make-bcache', '-C', '/dev/nvme0n1p2']);
    e.fs.write('fs/bcache/register', '/dev/md1');
    e.fs.write('fs/bcache/register', '/dev/nvme0n1p2');
    assert.equal(e.fs.read('block/md1/bcache/state'), 'no cache\n');
    const set = e.fs.readdir('fs/bcache').find((n) => n.includes('-')) as string;
    errno(() => e.fs.write('block/md1/bcache/attach', 'not-a-uuid'), 'EINVAL');
    errno(() => e.fs.write('block/md1/bcache/attach', '11111111-2222-4333-8444-555555555555'), 'ENOENT');
    e.fs.write('block/md1/bcache/attach', `${set}\n`);
    assert.equal(e.fs.read('block/md1/bcache/state'), 'clean\n');
    errno(() => e.fs.write('block/md1/bcache/attach', set), 'EINVAL');
    // attach writes the set into the superblock
    assert.match(e.exec(['bcache-super-show', '/dev/md1']).stdout, new RegExp(`cset.uuid\\t\\t${set}`));
  });

  it('detach flushes dirty data and zeroes the set UUID; cache_mode goes to the superblock', () => {
    const e = fresh();
    ok(e, ['make-bcache', '-C', '/dev/nvme0n1p2', '-B', '/dev/md1', '--writeback']);
    e.fs.write('fs/bcache/register', '/dev/nvme0n1p2');
    e.fs.write('fs/bcache/register', '/dev/md1');
    e.kernel.setDirty('/dev/md1', 3 << 20);
    assert.equal(e.fs.read('block/md1/bcache/dirty_data'), '3.0M\n');
    assert.equal(e.fs.read('block/md1/bcache/state'), 'dirty\n');
    errno(() => e.fs.write('block/md1/bcache/cache_mode', 'writefast'), 'EINVAL');
    e.fs.write('block/md1/bcache/cache_mode', 'writethrough\n');
    e.fs.write('block/md1/bcache/detach', '1');
    assert.equal(e.fs.read('block/md1/bcache/state'), 'no cache\n');
    assert.equal(e.fs.read('block/md1/bcache/dirty_data'), '0.0k\n');
    const show = e.exec(['bcache-super-show', '/dev/md1']).stdout;
    assert.match(show, /cset.uuid\t\t00000000-0000-0000-0000-000000000000/);
    assert.match(show, /dev.data.cache_mode\t0 \[writethrough\]/);
  });

  it('a backing device whose cache went away waits without bcacheN after re-registration', () => {
    const e = fresh();
    ok(e, ['make-bcache', '-C', '/dev/nvme0n1p2', '-B', '/dev/md1']);
    e.fs.write('fs/bcache/register', '/dev/nvme0n1p2');
    e.fs.write('fs/bcache/register', '/dev/md1');
    e.kernel.cacheGone('/dev/nvme0n1p2');
    assert.equal(e.fs.read('block/md1/bcache/state'), 'clean\n');
    assert.throws(() => e.fs.stat('block/md1/bcache/cache'));
    e.fs.write('block/bcache0/bcache/stop', '1');
    assert.equal(e.disks.get('/dev/bcache0'), undefined);
    e.fs.write('fs/bcache/register', '/dev/md1');
    assert.equal(e.fs.read('block/md1/bcache/running'), '0\n');
    assert.equal(e.disks.get('/dev/bcache0'), undefined);
  });

  it('sequential_cutoff: plain integers, clamped, shown the kernel way', () => {
    const e = fresh();
    ok(e, ['make-bcache', '-B', '/dev/md1']);
    e.fs.write('fs/bcache/register', '/dev/md1');
    assert.equal(e.fs.read('block/bcache0/bcache/sequential_cutoff'.replace('bcache0/bcache', 'md1/bcache')), '4.0M\n');
    e.fs.write('block/md1/bcache/sequential_cutoff', '0');
    assert.equal(e.fs.read('block/md1/bcache/sequential_cutoff'), '0.0k\n');
    errno(() => e.fs.write('block/md1/bcache/sequential_cutoff', '4M'), 'EINVAL');
    e.fs.write('block/md1/bcache/writeback_percent', '95');
    assert.equal(e.fs.read('block/md1/bcache/writeback_percent'), '70\n');
  });

  it('without the module there is no /sys/fs/bcache', () => {
    const e = new BcacheEmulator(MemoryDisks.of([]), { loaded: false, bdevs: {}, sets: {}, uuidCounter: 0 });
    errno(() => e.fs.write('fs/bcache/register', '/dev/md1'), 'ENOENT');
  });

  it('hprint matches the kernel and parses back', () => {
    assert.deepEqual([0, 512, 4 << 20, 1000000, 3 * 1024 ** 3].map(hprint), ['0.0k', '0.5k', '4.0M', '976.5k', '3.0G']);
    assert.equal(parseHprint('4.0M'), 4 << 20);
    assert.equal(parseHprint('12'), 12);
    assert.equal(parseHprint('x'), undefined);
  });
});
