/**
 * Two variants measured back to back, `reps` times, which goes first alternating (A first on even repetitions), so
 * drift on a shared machine and caches warmed by the first run hit both alike. Each gets the repetition's index
 * (e.g. to share that repetition's question).
 */
export async function alternatingPairs<T>(reps: number, a: (rep: number) => Promise<T>, b: (rep: number) => Promise<T>): Promise<{ a: T; b: T }[]> {
  const pairs: { a: T; b: T }[] = [];
  for (let rep = 0; rep < reps; rep++) {
    if (rep % 2 === 0) {
      const first = await a(rep);
      pairs.push({ a: first, b: await b(rep) });
    } else {
      const first = await b(rep);
      pairs.push({ a: await a(rep), b: first });
    }
  }
  return pairs;
}
