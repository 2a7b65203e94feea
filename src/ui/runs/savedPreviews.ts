/** Previews of the filmstrip kept in a checkpoint: at 256 px the whole filmstrip would be over 100 MB. */
export const SAVED_PREVIEWS = 12;

/** The first and the latest preview, and evenly spaced ones between, at most `max` in all. */
export function previewsToSave<T>(list: readonly T[], max = SAVED_PREVIEWS): T[] {
  if (list.length <= max) return [...list];
  const picks = new Set<number>();
  for (let i = 0; i < max; i++) picks.add(Math.round((i * (list.length - 1)) / (max - 1)));
  return [...picks].sort((a, b) => a - b).map((i) => list[i]);
}
