/** Reads `--name value` pairs from the command line, falling back to defaults. */
export function numberArgs<T extends Record<string, number>>(defaults: T): T {
  const out: Record<string, number> = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(key in defaults) || !Number.isFinite(value)) {
      throw new Error(`Unknown or non-numeric option ${argv[i]} ${argv[i + 1] ?? ''}; expected one of ${Object.keys(defaults).map((k) => `--${k}`).join(', ')}`);
    }
    out[key] = value;
  }
  return out as T;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
