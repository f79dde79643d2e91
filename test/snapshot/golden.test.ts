/**
 * Golden snapshot-set plans: test/snapshot/golden/<case>/ holds `desired.yaml` and `live.txt`
 * (the steps that build an emulated machine), and what `sanform plan` prints for it against that
 * machine, `--now` the case's clock: `expected.txt` (text), `expected.md` (--markdown) and
 * `expected.json` (--json, its observedHash as `sha256:(hash)`). `$DIR` stands for the case's
 * temporary directory in every file.
 * `show` of the saved plan (--out) must print the text and Markdown again, from the file alone.
 *
 * live.txt, one step a line (`#` starts a comment):
 *   mount PATH              PATH becomes an emulated btrfs file system
 *   btrfs ARGS...           a btrfs command on the machine (subvolume create|snapshot -r|delete)
 *   write PATH TEXT         a file's content
 *   now ISO                 the clock of every command (--now)
 *   exit N                  plan --detailed-exitcode must exit N
 * UPDATE_GOLDEN=1 rewrites the expectations: review every diff by hand.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../engine/cli-run.js';

const root = fileURLToPath(new URL('./golden/', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const env = { ...process.env, NO_COLOR: '1' };

test('there are snapshot golden cases', () => assert.ok(cases.length >= 5, `only ${cases.length}`));

for (const name of cases) {
  test(`snapshot golden plan: ${name}`, async () => {
    const src = join(root, name);
    const dir = mkdtempSync(join(tmpdir(), 'sanform-snap-golden-'));
    try {
      const sub = (t: string) => t.replaceAll('$DIR', dir);
      const back = (t: string) => t.replaceAll(dir, '$DIR');
      const cli = async (args: string[]) => runCli(dir, args, env);
      const must = async (args: string[]) => {
        const r = await cli(args);
        assert.equal(r.code, 0, `${args.join(' ')}: ${r.out}${r.err}`);
        return r;
      };
      writeFileSync(join(dir, 'sanform.yaml'), sub(await readFile(join(src, 'desired.yaml'), 'utf8')));
      await must(['sim', 'init', 'machine']);
      let now = '2026-12-05T10:30:00Z';
      let exit: number | undefined;
      for (const [i, raw] of (await readFile(join(src, 'live.txt'), 'utf8')).split('\n').entries()) {
        const line = sub(raw.trim());
        if (!line || line.startsWith('#')) continue;
        const [verb, ...rest] = line.split(/\s+/);
        const where = `live.txt:${i + 1}`;
        if (verb === 'mount') await must(['sim', 'ctl', 'machine', 'btrfs-mount', rest[0]!]);
        else if (verb === 'btrfs') await must(['sim', 'ctl', 'machine', 'exec', '--', 'btrfs', ...rest]);
        else if (verb === 'write') {
          mkdirSync(dirname(rest[0]!), { recursive: true });
          writeFileSync(rest[0]!, rest.slice(1).join(' '));
        } else if (verb === 'now') now = rest[0]!;
        else if (verb === 'exit') exit = Number(rest[0]);
        else throw new Error(`${where}: unknown step ${verb}`);
      }
      const plan = ['plan', '--host', 'sim:machine', '--now', now];
      const text = await cli([...plan, '--detailed-exitcode', '--out', 'saved.json']);
      assert.equal(text.code, exit ?? 2, text.out + text.err);
      const got = {
        'expected.txt': back(text.out),
        'expected.md': back((await must([...plan, '--markdown'])).out),
        // the hash of the whole emulated machine's state moves with every driver's observe: not this test's subject
        'expected.json': back((await must([...plan, '--json'])).out).replace(/"observedHash": "sha256:[0-9a-f]{64}"/, '"observedHash": "sha256:(hash)"'),
      };
      for (const [file, content] of Object.entries(got)) {
        if (process.env.UPDATE_GOLDEN === '1') await writeFile(join(src, file), content);
        else assert.equal(content, await readFile(join(src, file), 'utf8').catch(() => `(${file} missing: run with UPDATE_GOLDEN=1)\n`), `${name}/${file}`);
      }
      // the saved plan carries the same steps: show prints them from the file alone
      assert.equal(back((await must(['show', 'saved.json'])).out), got['expected.txt']);
      assert.equal(back((await must(['show', 'saved.json', '--markdown'])).out), got['expected.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
