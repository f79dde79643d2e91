/**
 * The fast reader (fast-yaml.ts) against the yaml library's walk (parse.ts): on every YAML file
 * of the repository, on the reference configuration of bench/, and on mutations of them (lines
 * dropped, indented, cut; characters changed), the fast reader either declines or gives exactly
 * the same value and the same positions, and never takes a text the yaml library finds wrong.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateLargeConfig } from '../../bench/gen-config.js';
import { fastParse, resolvePlain } from './fast-yaml.js';
import { parseFile, parseWithYaml } from './parse.js';
import type { PathIndex } from './sources.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'dist' || e.name === 'out') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p); // symlinks (the hostile corpus has one to /dev/zero) are not read
  }
  return out;
}

const positions = (index: PathIndex) => [...index.paths()];

/** 'declined', or 'same' after checking the two readers agree; fails the test when they do not. */
function compare(name: string, text: string): 'declined' | 'same' {
  const fast = fastParse(name, text);
  if (!fast) return 'declined';
  const slow = parseWithYaml(name, text);
  assert.deepEqual(slow.diagnostics, [], `${name}: the fast reader took a text the yaml library rejects:\n${text.slice(0, 400)}`);
  assert.deepEqual(fast.value, slow.value, `${name}: values differ`);
  assert.deepEqual(positions(fast.index), positions(slow.index), `${name}: positions differ`);
  return 'same';
}

test('plain scalars resolve as the yaml library resolves them (core schema)', () => {
  for (const s of ['0', '-0', '+12', '007', '0o17', '0x1F', '0xg', '1.5', '.5', '1.', '1e3', '-2.5E-2', '.inf', '-.Inf', '.NaN', 'null', 'Null', '~', 'true', 'False', 'TRUE', 'yes', 'on', '10G', 'iqn.2026-01.com.x:t0', '1_000', '12:30', '0b101', 'nan']) {
    const y = parseWithYaml('s.yaml', `k: ${s}\n`).value as { k: unknown };
    assert.deepEqual(resolvePlain(s), y.k, s);
  }
});

test('the reference configuration is read by the fast reader, the same as by yaml', () => {
  const { text } = generateLargeConfig({ devices: 120, targets: 12, lunMappings: 600, initiators: 40 });
  assert.equal(compare('ref.yaml', text), 'same');
  // parseFile takes the fast path for it
  assert.deepEqual(parseFile('ref.yaml', text).value, parseWithYaml('ref.yaml', text).value);
});

test('every YAML file of the repository: declined or the same', () => {
  const files = yamlFiles(ROOT);
  assert.ok(files.length > 10, `found ${files.length} YAML files`);
  let same = 0;
  for (const f of files) if (compare(f, readFileSync(f, 'utf8')) === 'same') same++;
  assert.ok(same > 0, 'the fast reader took none of the repository\'s files');
});

test('forms outside the subset are declined', () => {
  for (const t of [
    'a:\n  - x\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: |\n  x\n', 'a: "x\\ty"\n', 'a: b\na: c\n', 'a:\nb: 1\n',
    '---\na: 1\n', 'a: x\n  y\n', 'a: [x,\n  y]\n', 'a:\tb\n', '"a": 1\n', '? a\n: b\n', 'a: b: c\n', '', '# only\n',
    'a: { b }\n', `a: ${'['.repeat(100000)}${']'.repeat(100000)}\n`, `a: ${'{b: '.repeat(20000)}1${'}'.repeat(20000)}\n`, 'a: [b: c]\n', '__proto__: 1\n', 'a:\n    b: 1\n  c: 2\n', 'a: {b: 1, b: 2}\n', 'a: [x] y\n',
  ]) {
    assert.equal(fastParse('t.yaml', t), undefined, JSON.stringify(t));
  }
});

test('mutations of real files: the fast reader declines or agrees', () => {
  const texts = [
    generateLargeConfig({ devices: 30, targets: 3, lunMappings: 60, initiators: 6 }).text,
    ...yamlFiles(join(ROOT, 'examples')).map((f) => readFileSync(f, 'utf8')),
  ];
  // deterministic pseudo-random mutations
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const junk = [' ', '  ', ':', ': ', '#', ' #', '-', '- ', '{', '}', '[', ']', ',', "'", '"', '&a', '*a', '!', '|', '>', '?', '0', 'null', '\\', 'x'];
  let same = 0;
  let declined = 0;
  for (let round = 0; round < 1500; round++) {
    const lines = texts[round % texts.length]!.split('\n');
    const i = rnd(lines.length);
    const line = lines[i]!;
    switch (rnd(5)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines[i] = ' '.repeat(1 + rnd(3)) + line; break;
      case 2: lines[i] = line.slice(0, rnd(line.length + 1)); break;
      case 3: {
        const at = rnd(line.length + 1);
        lines[i] = line.slice(0, at) + junk[rnd(junk.length)]! + line.slice(at + rnd(2));
        break;
      }
      default: lines[i] = line.replace(/^(\s*)/, (s) => s.slice(0, Math.max(0, s.length - 1 - rnd(2))));
    }
    if (compare(`m${round}.yaml`, lines.join('\n')) === 'same') same++;
    else declined++;
  }
  assert.ok(same > 100 && declined > 100, `same ${same}, declined ${declined}`);
});
