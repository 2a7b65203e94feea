import { DEFAULT_CONFIG, validateConfig, type TrainingConfig } from '../core/config';
import { FILTER_NAMES } from '../core/demos/filters';
import { BACKEND_NAMES } from '../worker/backends/backendReport';
import type { BackendChoice } from '../worker/backends/backendControl';

/** A bundled demo or the student's own images. */
export type Task = (typeof FILTER_NAMES)[number] | 'own';
const TASKS: readonly string[] = [...FILTER_NAMES, 'own'];

export interface UrlSettings {
  config: Partial<TrainingConfig>;
  backend?: BackendChoice;
  task?: Task;
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
    if (key === 'task') {
      if (!TASKS.includes(raw)) problems.push(`task=${raw} is not one of ${TASKS.join(', ')}`);
    } else if (key === 'backend') {
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
  const task = params.get('task');
  return {
    config,
    backend: backend && !problems.some((p) => p.startsWith('backend=')) ? (backend as BackendChoice) : undefined,
    ...(task && TASKS.includes(task) ? { task: task as Task } : {}),
    problems,
  };
}

/**
 * The query string that reproduces a setup: the task, the backend unless automatic, and every
 * setting that differs from `base` (the preset the page opens with), seed included.
 */
export function writeUrlSettings(config: TrainingConfig, base: TrainingConfig, backend: BackendChoice, task: Task): string {
  const params = new URLSearchParams();
  params.set('task', task);
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof TrainingConfig)[]) if (config[key] !== base[key]) params.set(key, String(config[key]));
  if (backend !== 'auto') params.set('backend', backend);
  return `?${params.toString()}`;
}
