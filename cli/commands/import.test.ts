import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../test/engine/cli-run.js';

const full = fileURLToPath(new URL('../../test/fixtures/scst-conf/full.conf', import.meta.url));


/** runs `sanform ARGV` in `cwd`; exit code and both streams. */
const run = (cwd: string, argv: string[]) => runCli(cwd, argv);

/** the error code `main` printed (`sanform import: error CODE: ...`). */
const errorCode = (err: string): string | undefined => /^sanform import: error ([A-Z_]+):/m.exec(err)?.[1];

/** every file under `dir`, relative, sorted (temporary files would show up here). */
const filesUnder = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true })).map(String).sort();

let tmp = '';
let n = 0;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sanform-cli-import-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});
/** a fresh empty directory per test. */
async function fresh(): Promise<string> {
  const d = join(tmp, `t${n++}`);
  await mkdir(d);
  return d;
}

const conf = (body: string): string => `HANDLER vdisk_blockio {\n\tDEVICE db01 {\n\t\tfilename /dev/sdb\n\t}\n}\n${body}`;
const iscsiLun = (dev: string): string => `TARGET_DRIVER iscsi {\n\tenabled 1\n\tTARGET iqn.2024-01.com.example:t1 {\n\t\tenabled 1\n\t\tLUN 0 ${dev}\n\t}\n}\n`;

test('import --out refuses to replace a hand-written file: IMPORT_WOULD_OVERWRITE, hint names --force, nothing written', async () => {
  const dir = await fresh();
  const mine = '# my hand-written file\nversion: 1\n';
  await writeFile(join(dir, 'sanform.yaml'), mine);
  const r = await run(dir, ['import', '--from-scst-conf', full, '--out', 'sanform.yaml']);
  assert.equal(r.code, 1);
  assert.equal(errorCode(r.err), 'IMPORT_WOULD_OVERWRITE');
  assert.match(r.err, /^ {2}hint: .*--force/m);
  assert.equal(await readFile(join(dir, 'sanform.yaml'), 'utf8'), mine);
  assert.deepEqual(await filesUnder(dir), ['sanform.yaml'], 'no secrets, no temporary files');
});

test('import refuses to replace an existing secret file with other content, and writes no YAML either', async () => {
  const dir = await fresh();
  await mkdir(join(dir, 'secrets'));
  await writeFile(join(dir, 'secrets', 'chap-dbhost'), 'the-real-secret\n');
  const r = await run(dir, ['import', '--from-scst-conf', full, '--out', 'sanform.yaml']);
  assert.equal(r.code, 1);
  assert.equal(errorCode(r.err), 'IMPORT_WOULD_OVERWRITE');
  assert.equal(await readFile(join(dir, 'secrets', 'chap-dbhost'), 'utf8'), 'the-real-secret\n');
  assert.deepEqual(await filesUnder(dir), ['secrets', 'secrets/chap-dbhost']);
});

test('import --force replaces the YAML and the secrets; importing the same thing again changes nothing', async () => {
  const dir = await fresh();
  await mkdir(join(dir, 'secrets'));
  await writeFile(join(dir, 'secrets', 'chap-dbhost'), 'stale\n', { mode: 0o644 });
  await writeFile(join(dir, 'sanform.yaml'), '# old\n');
  const r = await run(dir, ['import', '--from-scst-conf', full, '--out', 'sanform.yaml', '--force']);
  assert.equal(r.code, 0, r.err);
  assert.equal(await readFile(join(dir, 'secrets', 'chap-dbhost'), 'utf8'), '0123456789abcdefgh\n');
  assert.equal((await stat(join(dir, 'secrets', 'chap-dbhost'))).mode & 0o777, 0o600);
  const yaml = await readFile(join(dir, 'sanform.yaml'), 'utf8');
  assert.match(yaml, /^version: 1$/m);
  // the same import again, without --force: every file already holds what it would write
  const again = await run(dir, ['import', '--from-scst-conf', full, '--out', 'sanform.yaml']);
  assert.equal(again.code, 0, again.err);
  assert.equal(await readFile(join(dir, 'sanform.yaml'), 'utf8'), yaml);
});

test('import --help documents --force', async () => {
  const r = await run(tmp, ['import', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^ {2}--force\s/m);
});

test('a write that fails part-way leaves nothing behind: IMPORT_WRITE_FAILED, no YAML, no temporary file', async () => {
  const dir = await fresh();
  await writeFile(join(dir, 'not-a-dir'), 'x');
  // the YAML can be written, the secrets cannot (their directory would be under a regular file)
  const r = await run(dir, ['import', '--from-scst-conf', full, '--out', 'out/sanform.yaml', '--secrets-dir', 'not-a-dir/secrets']);
  assert.equal(r.code, 1);
  assert.equal(errorCode(r.err), 'IMPORT_WRITE_FAILED');
  assert.deepEqual(await filesUnder(dir), ['not-a-dir'], 'the YAML, its directory and the temporary files are gone');
});

test('import --from-scst-conf --out into a directory that does not exist creates it', async () => {
  const dir = await fresh();
  await writeFile(join(dir, 'in.conf'), conf(iscsiLun('db01')));
  const r = await run(dir, ['import', '--from-scst-conf', 'in.conf', '--out', 'newdir/sub/x.yaml']);
  assert.equal(r.code, 0, r.err);
  assert.match(await readFile(join(dir, 'newdir/sub/x.yaml'), 'utf8'), /db01/);
});

test('live import --out into a directory that does not exist creates it (no secrets to make it first)', async () => {
  const dir = await fresh();
  assert.equal((await run(dir, ['sim', 'init', 'm'])).code, 0);
  const r = await run(dir, ['import', '--host', 'sim:m', '--out', 'newdir/x.yaml']);
  assert.equal(r.code, 0, r.err);
  assert.match(await readFile(join(dir, 'newdir/x.yaml'), 'utf8'), /^version: 1$/m);
});

test('I/O failures are coded errors naming the path: a missing scst.conf, an --out that is a directory', async () => {
  const dir = await fresh();
  const missing = await run(dir, ['import', '--from-scst-conf', 'nope.conf']);
  assert.equal(missing.code, 1);
  assert.equal(errorCode(missing.err), 'IMPORT_READ_FAILED');
  assert.ok(missing.err.includes(join(dir, 'nope.conf')));
  await mkdir(join(dir, 'adir'));
  const isDir = await run(dir, ['import', '--from-scst-conf', full, '--out', 'adir']);
  assert.equal(isDir.code, 1);
  assert.equal(errorCode(isDir.err), 'IMPORT_WRITE_FAILED');
  assert.ok(isDir.err.includes(join(dir, 'adir')));
  assert.deepEqual(await filesUnder(dir), ['adir']);
});

const invalid: [string, string, string, number][] = [
  ['a LUN naming a device that does not exist', conf(iscsiLun('nodev')), 'UNKNOWN_DEVICE', 10],
  ['an upper-case initiator WWPN', conf('TARGET_DRIVER qla2x00t {\n\tTARGET 21:00:00:24:ff:00:00:01 {\n\t\tHW_TARGET\n\t\tenabled 1\n\t\tGROUP esx {\n\t\t\tLUN 0 db01\n\t\t\tINITIATOR 21:00:00:1B:32:AA:BB:CC\n\t\t}\n\t}\n}\n'), 'WWPN_CASE', 12],
];
for (const [what, text, code, line] of invalid) {
  test(`an scst.conf whose import is not a valid sanform file is refused (${what}): diagnostics printed, nothing written`, async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'in.conf'), text);
    const r = await run(dir, ['import', '--from-scst-conf', 'in.conf', '--out', 'out/sanform.yaml']);
    assert.equal(r.code, 1);
    assert.equal(errorCode(r.err), 'IMPORT_INVALID');
    // found in the imported model, pointed at the scst.conf line it came from
    assert.match(r.err, new RegExp(`^in\\.conf:${line}:1: error ${code}:`, 'm'));
    assert.deepEqual(await filesUnder(dir), ['in.conf']);
    const toStdout = await run(dir, ['import', '--from-scst-conf', 'in.conf']);
    assert.equal(toStdout.code, 1);
    assert.equal(errorCode(toStdout.err), 'IMPORT_INVALID');
    assert.equal(toStdout.out, '', 'no YAML on stdout');
  });
}

test('warnings of the imported YAML are printed and do not stop the import', async () => {
  const dir = await fresh();
  await writeFile(join(dir, 'in.conf'), `HANDLER vdisk_blockio {\n\tDEVICE md {\n\t\tfilename /dev/md0\n\t}\n}\n${iscsiLun('md')}`);
  const r = await run(dir, ['import', '--from-scst-conf', 'in.conf', '--out', 'sanform.yaml']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /^in\.conf:3:1: warning UNKNOWN_BLOCK_DEVICE:/m);
  assert.match(await readFile(join(dir, 'sanform.yaml'), 'utf8'), /\/dev\/md0/);
});

test('the suggested plan command carries the --host and --node given, and works as printed', async () => {
  const dir = await fresh();
  assert.equal((await run(dir, ['sim', 'init', 'm'])).code, 0);
  const r = await run(dir, ['import', '--host', 'sim:m', '--node', 'esos-sim', '--out', 'sanform.yaml']);
  assert.equal(r.code, 0, r.err);
  const suggested = /'(sanform plan [^']*)' should show no changes/.exec(r.err)?.[1];
  assert.equal(suggested, 'sanform plan -c sanform.yaml --host sim:m --node esos-sim');
  const plan = await run(dir, suggested.split(' ').slice(1));
  assert.equal(plan.code, 0, plan.err + plan.out);
});

test('an import whose YAML declares nodes suggests the --node it was made as; the suggestion plans clean after apply', async () => {
  const dir = await fresh();
  assert.equal((await run(dir, ['sim', 'init', 'm'])).code, 0);
  const alua = 'DEVICE_GROUP dg {\n\tDEVICE db01\n\tTARGET_GROUP a {\n\t\tgroup_id 1\n\t\tTARGET iqn.2024-01.com.example:t1\n\t}\n\tTARGET_GROUP b {\n\t\tgroup_id 2\n\t\tTARGET iqn.2024-01.com.example:peer {\n\t\t\trel_tgt_id 2\n\t\t}\n\t}\n}\n';
  await writeFile(join(dir, 'scst.conf'), conf(iscsiLun('db01') + alua));
  const r = await run(dir, ['import', '--from-scst-conf', 'scst.conf', '--out', 'sanform.yaml']);
  assert.equal(r.code, 0, r.err);
  const suggested = /'(sanform plan [^']*)' should show no changes/.exec(r.err)?.[1];
  assert.equal(suggested, 'sanform plan -c sanform.yaml --node localhost');
  // on the machine the file came from (here: the sim, after an apply as that node) it plans clean
  const on = ['--host', 'sim:m', '--node', 'localhost'];
  assert.equal((await run(dir, ['apply', '-c', 'sanform.yaml', ...on, '--auto-approve'])).code, 0);
  assert.equal((await run(dir, ['plan', '-c', 'sanform.yaml', ...on, '--detailed-exitcode'])).code, 0);
});

test('--from-scst-conf and --host conflict: refused, nothing imported', async () => {
  const dir = await fresh();
  await writeFile(join(dir, 'scst.conf'), conf(''));
  const r = await run(dir, ['import', '--from-scst-conf', 'scst.conf', '--host', 'sim:m', '--out', 'sanform.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.err, /error USAGE: --from-scst-conf and --host conflict/);
  assert.deepEqual(await filesUnder(dir), ['scst.conf']);
});

test('a live NPIV target made through apply on a sim imports (its parent port found) and the imported file plans clean', async () => {
  const dir = await fresh();
  assert.equal((await run(dir, ['sim', 'init', 'm'])).code, 0);
  const yaml = [
    'version: 1',
    'scst:',
    '  targets:',
    '    qla2x00t:',
    '      "21:00:00:24:ff:00:10:01":',
    '        npiv: { nodeName: "20:00:00:24:ff:00:10:01", parentHost: "21:00:00:24:ff:00:00:01" }',
    '        enabled: true',
    '',
  ].join('\n');
  await writeFile(join(dir, 'want.yaml'), yaml);
  const on = ['--host', 'sim:m', '--node', 'esos-sim'];
  const applied = await run(dir, ['apply', '-c', 'want.yaml', ...on, '--auto-approve']);
  assert.equal(applied.code, 0, applied.err);
  const r = await run(dir, ['import', ...on, '--out', 'sanform.yaml']);
  assert.equal(r.code, 0, r.err);
  assert.match(await readFile(join(dir, 'sanform.yaml'), 'utf8'), /parentHost: ["']?21:00:00:24:ff:00:00:01/);
  const plan = await run(dir, ['plan', '-c', 'sanform.yaml', ...on, '--detailed-exitcode']);
  assert.equal(plan.code, 0, plan.err + plan.out);
});
