/** A duration in words: "2 h 5 min", "3 min 20 s", "45 s". */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/** Bytes in MB, or GB from 1 GB up. */
export function bytes(count: number): string {
  return count >= 2 ** 30 ? `${(count / 2 ** 30).toFixed(1)} GB` : `${(count / 2 ** 20).toFixed(1)} MB`;
}
