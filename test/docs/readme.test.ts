/**
 * The README as a newcomer meets it: every ```sh block runs as printed, in order, in a temp
 * directory laid out like a fresh clone (examples/, and `npx sanform` resolving to this checkout);
 * the project commands (npm install, npm test, npm run X, node test/run.js X) are checked against
 * package.json and the test files instead of being run (they would run this suite inside
 * itself). Also: every CLI command has a row in the README's command table, and every document
 * in docs/ is listed in docs/README.md.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { commands } from '../../cli/commands/index.js';
import { fuseSkip } from '../fuse/fixture.js';
import { SANFORM_BIN } from '../bin.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface Block {
  /** 1-based line of the opening fence. */
  line: number;
  lines: string[];
}

/** The ```sh blocks of a Markdown text, with their command lines (comments and blanks dropped). */
function shBlocks(md: string): Block[] {
  const out: Block[] = [];
  const all = md.split('\n');
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.trim() !== '```sh') continue;
    const b: Block = { line: i + 1, lines: [] };
    for (i++; i < all.length && all[i]!.trim() !== '```'; i++) {
      const cmd = all[i]!.replace(/\s+#\s.*$/, '').replace(/^#.*$/, '').trim();
      if (cmd) b.lines.push(cmd);
    }
    out.push(b);
  }
  return out;
}

const PROJECT = /^(npm |node test\/run\.js|[A-Z_]+=\S+ node test\/run\.js)/;
const isProjectBlock = (b: Block) => b.lines.every((l) => l.split('&&').every((p) => PROJECT.test(p.trim())));

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const testFiles = ['schema', 'reconciler', 'drivers', 'native', 'cli', 'pack', 'test'].flatMap((d) =>
  readdirSync(join(root, d), { recursive: true }).map((f) => join(d, String(f))).filter((f) => f.endsWith('.test.ts')),
);

/** Why a project command would not run as printed, or undefined. */
function projectProblem(cmd: string): string | undefined {
  const words = cmd.split(/\s+/);
  if (words[0] === 'npm' && words[1] === 'install' && words.length === 2) return undefined;
  if (words[0] === 'npm' && words[1] === 'test') return pkg.scripts.test ? undefined : 'package.json has no test script';
  if (words[0] === 'npm' && words[1] === 'run') return pkg.scripts[words[2] ?? ''] ? undefined : `package.json has no script ${words[2]}`;
  const at = words.indexOf('test/run.js');
  if (at > 0) {
    const subs = words.slice(at + 1).filter((w) => !w.startsWith('-'));
    const none = subs.filter((s) => !testFiles.some((f) => f.includes(s)));
    return none.length ? `no test file matches ${none.join(', ')}` : undefined;
  }
  return 'not a command this test knows how to check';
}

describe('README', () => {
  const blocks = shBlocks(readme);

  it('has sh blocks, and every sanform in them is run through npx', () => {
    assert.ok(blocks.length >= 3, 'the README lost its command blocks');
    for (const b of blocks) {
      for (const l of b.lines) {
        const bare = /(^|[;&|(]\s*)sanform\s/.test(l);
        assert.equal(bare, false, `README.md:${b.line}: "${l}" runs a bare sanform, which npm install does not put on PATH`);
      }
    }
  });

  it('project commands name scripts and test files that exist', () => {
    const project = blocks.filter(isProjectBlock);
    assert.ok(project.length >= 2);
    for (const b of project) {
      for (const l of b.lines) {
        for (const part of l.split('&&')) {
          const why = projectProblem(part.trim());
          assert.equal(why, undefined, `README.md:${b.line}: ${part.trim()}: ${why}`);
        }
      }
    }
  });

  describe('the other blocks run as printed on a fresh clone', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'sanform-readme-'));
      cpSync(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
      // what `npx sanform` finds in a clone after npm install: this checkout's sanform, here built
      // from the sources of this run (test/bin.ts) so the code under test runs, not a dist/ built
      // before an edit
      mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
      symlinkSync(SANFORM_BIN, join(dir, 'node_modules', '.bin', 'sanform'));
    });
    after(() => {
      // a mount left by a failed block would keep the directory busy
      spawnSync('fusermount', ['-u', '-z', join(dir, 'mnt')], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    });

    const env = (): NodeJS.ProcessEnv => {
      const e: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, NO_COLOR: '1' };
      return e;
    };
    // the blocks share one shell session's exports, as a reader typing them in one terminal would
    let exports = '';
    for (const b of blocks.filter((x) => !isProjectBlock(x))) {
      const fuse = b.lines.some((l) => /\bsanform sim mount\b/.test(l));
      it(`README.md:${b.line} (${b.lines.length} commands)`, { skip: fuse ? fuseSkip() : false, timeout: 300_000 }, () => {
        const script = ['set -euo pipefail', exports, ...b.lines].join('\n');
        const r = spawnSync('bash', ['-c', script], { cwd: dir, env: env(), encoding: 'utf8', timeout: 280_000 });
        assert.equal(r.status, 0, `README.md:${b.line} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
      });
      exports += b.lines.filter((l) => l.startsWith('export ')).map((l) => `${l}\n`).join('');
    }
  });

  it('the command table has a row for every command, and names no other', () => {
    const section = readme.slice(readme.indexOf('## Commands'));
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
    const named = new Set<string>();
    for (const row of table.split('\n').filter((l) => l.startsWith('| `'))) {
      const first = row.split(/(?<!\\)\|/)[1] ?? '';
      for (const m of first.matchAll(/`sanform ([a-z-]+)/g)) named.add(m[1]!);
    }
    const missing = commands.map((c) => c.name).filter((n) => !named.has(n));
    assert.deepEqual(missing, [], `commands without a row in README.md's command table: ${missing.join(', ')}`);
    const unknown = [...named].filter((n) => !commands.some((c) => c.name === n));
    assert.deepEqual(unknown, [], `rows naming no command: ${unknown.join(', ')}`);
  });
});

describe('docs/README.md', () => {
  it('lists every document in docs/', () => {
    const index = readFileSync(join(root, 'docs', 'README.md'), 'utf8');
    const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    assert.ok(docs.length > 0);
    const unlisted = docs.filter((f) => !index.includes(`(${f})`) && !index.includes(`\`${f}\``));
    assert.deepEqual(unlisted, [], `docs/README.md does not list: ${unlisted.join(', ')}`);
  });
});
