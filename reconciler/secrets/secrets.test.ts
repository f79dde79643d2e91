import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { createSecretResolver, fingerprintKey, FINGERPRINT_FORM, hostFingerprinter, SealedSecret, secretsDir } from '../secrets.js';

const VALUE = 'Zq8-known-secret-value';

test('a sealed secret prints as its name everywhere but reveal()', () => {
  const s = new SealedSecret('chap-esx', VALUE);
  for (const shown of [String(s), `${s}`, JSON.stringify({ s }), inspect(s), inspect({ deep: [s] }), new Error(`failed: ${s}`).message]) {
    assert.ok(!shown.includes(VALUE), shown);
    assert.match(shown, /<secret chap-esx>/);
  }
  assert.equal(s.reveal(), VALUE);
});

test('the secrets directory comes from the machine: SANFORM_SECRETS_DIR, else /etc/sanform/secrets', () => {
  assert.equal(secretsDir({}), '/etc/sanform/secrets');
  assert.equal(secretsDir({ SANFORM_SECRETS_DIR: '/srv/sec/' }), '/srv/sec');
  assert.equal(secretsDir({ SANFORM_SECRETS_DIR: 'relative' }), '/etc/sanform/secrets');
});

test('secret files: only regular files of bounded size inside the secrets directory; refusals never echo the value', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sanform-secdir-'));
  try {
    const dir = join(root, 'secrets');
    mkdirSync(dir);
    const outside = join(root, 'outside');
    writeFileSync(outside, `${VALUE}\n`);
    writeFileSync(join(dir, 'ok'), `${VALUE}\n`);
    symlinkSync(outside, join(dir, 'link-out'));
    writeFileSync(join(dir, 'big'), 'x'.repeat(5000));
    writeFileSync(join(dir, 'two-lines'), `${VALUE}\nsecond\n`);
    writeFileSync(join(dir, 'nul'), `${VALUE}\0x`);
    writeFileSync(join(dir, 'latin1'), Buffer.from([0x61, 0xe9, 0x62]));
    writeFileSync(join(dir, 'empty'), '\n');
    mkdirSync(join(dir, 'adir'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const secrets = {
      ok: { file: join(dir, 'ok') },
      rel: { file: 'ok' },
      outside: { file: outside },
      osrelease: { file: '/etc/os-release' },
      zero: { file: '/dev/zero' },
      dotdot: { file: `${dir}/../outside` },
      linkOut: { file: join(dir, 'link-out') },
      big: { file: join(dir, 'big') },
      twoLines: { file: join(dir, 'two-lines') },
      nul: { file: join(dir, 'nul') },
      latin1: { file: join(dir, 'latin1') },
      empty: { file: join(dir, 'empty') },
      adir: { file: join(dir, 'adir') },
      fifo: { file: join(dir, 'fifo') },
      envOk: { env: 'SANFORM_CHAP' },
      envOther: { env: 'HOME' },
      envNewline: { env: 'SANFORM_NL' },
    };
    const r = createSecretResolver({ secrets, env: { SANFORM_SECRETS_DIR: dir, SANFORM_CHAP: VALUE, HOME: VALUE, SANFORM_NL: `a\nb` } });
    assert.equal((await r.value('ok')).reveal(), VALUE);
    assert.equal((await r.value('rel')).reveal(), VALUE, 'a relative reference is taken inside the directory');
    assert.equal((await r.value('envOk')).reveal(), VALUE);
    const expect: Record<string, RegExp> = {
      outside: /not inside the secrets directory/,
      osrelease: /not inside the secrets directory/,
      zero: /not inside the secrets directory/,
      dotdot: /not inside the secrets directory/,
      linkOut: /resolves outside the secrets directory/,
      big: /larger than 4096 bytes/,
      twoLines: /control character/,
      nul: /control character/,
      latin1: /not valid UTF-8/,
      empty: /empty/,
      adir: /not a regular file/,
      fifo: /not a regular file/,
      envOther: /only variables named SANFORM_\*/,
      envNewline: /control character/,
    };
    for (const [name, why] of Object.entries(expect)) {
      await assert.rejects(r.value(name), (e: Error & { code: string; data: { secret: string } }) => {
        assert.equal(e.code, 'SECRET_REJECTED', `${name}: ${e.message}`);
        assert.equal(e.data.secret, name);
        assert.match(e.message, why, name);
        assert.ok(!JSON.stringify({ m: e.message, d: e.data, h: (e as { hint?: string }).hint }).includes(VALUE), name);
        assert.ok(!e.message.includes('NAME='), 'no file content');
        return true;
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('fingerprints: HMAC under a per-machine key kept in the state directory (0600), stable there, different elsewhere', () => {
  const a = mkdtempSync(join(tmpdir(), 'sanform-fpkey-'));
  const b = mkdtempSync(join(tmpdir(), 'sanform-fpkey-'));
  try {
    const k = fingerprintKey(join(a, 'state'));
    assert.equal(k.length, 32);
    assert.equal(statSync(join(a, 'state', 'fingerprint.key')).mode & 0o777, 0o600);
    assert.deepEqual(readFileSync(join(a, 'state', 'fingerprint.key')), k);
    const fa = hostFingerprinter(join(a, 'state'));
    assert.equal(fa(VALUE), hostFingerprinter(join(a, 'state'))(VALUE), 'same machine, same fingerprint');
    assert.notEqual(fa(VALUE), hostFingerprinter(b)(VALUE), 'another machine cannot compare');
    assert.match(fa(VALUE), FINGERPRINT_FORM);
    assert.ok(!fa(VALUE).includes(VALUE));
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
