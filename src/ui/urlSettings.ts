import { DEFAULT_CONFIG, validateConfig, type TrainingConfig } from '../core/config';
import { BACKEND_NAMES } from '../worker/backendReport';
import type { BackendChoice } from '../worker/protocol';

export interface UrlSettings {
  config: Partial<TrainingConfig>;
  backend?: BackendChoice;
  /** Parameters that were present but could not be used, each with its reason. */
  problems: string[];
}

/**
 * Reads training settings from the page's query string (`?resolution=32&backend=webgl`), so a
 * link reproduces a setup. Unknown or invalid values are reported, never applied.
 */
export function readUrlSettings(search: string, base: TrainingConfig): UrlSettings {
  const params = new URLSearchParams(search);
  const config: Partial<TrainingConfig> = {};
  const problems: string[] = [];
  for (const [key, raw] of params) {
    if (key === 'backend') {
      if (raw === 'auto' || (BACKEND_NAMES as readonly string[]).includes(raw)) continue;
      problems.push(`backend=${raw} is not one of auto, ${BACKEND_NAMES.join(', ')}`);
    } else if (key in DEFAULT_CONFIG) {
      const k = key as keyof TrainingConfig;
      const kind = typeof DEFAULT_CONFIG[k];
      const value = kind === 'number' ? Number(raw) : kind === 'boolean' ? raw === 'true' || raw === '1' : raw;
      Object.assign(config, { [k]: value });
    } else {
      problems.push(`${key} is not a setting`);
    }
  }
  const invalid = validateConfig({ ...base, ...config });
  if (invalid.length > 0) return { config: {}, problems: [...problems, ...invalid.map((p) => `Link settings ignored: ${p}`)] };
  const backend = params.get('backend');
  return { config, backend: backend && !problems.some((p) => p.startsWith('backend=')) ? (backend as BackendChoice) : undefined, problems };
}
