/** "Did you mean" help for unknown keys and enum values. */

/** Edit distance (insert, delete, substitute), case-insensitive. */
export function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestD <= limit || (best !== undefined && best.toLowerCase() === word.toLowerCase().replace(/[_-]/g, '')) ? best : undefined;
}

/** "did you mean X?" or the list of what is allowed. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  if (c) return `did you mean '${c}'?`;
  if (candidates.length === 0) return 'nothing else is allowed here';
  if (candidates.length > 12) return `remove it or use a known key (\`sanform schema\` lists them); kernel attributes go under attributes:`;
  return `allowed here: ${candidates.join(', ')}`;
}
