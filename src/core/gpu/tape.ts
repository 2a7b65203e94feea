import type { Plan, GTensor } from './plan';
import type { GradTarget } from './kernels/conv';
import type { ParamGroup } from './params';

/**
 * Reverse-mode differentiation at plan-building time: each forward op records a closure that
 * encodes its backward kernels; `backward` runs them newest first (recording order is a
 * topological order). Gradient buffers are made when first written; a target says whether a
 * kernel writes over it or adds to what an earlier term wrote. Once an op's backward is
 * encoded its outputs' gradients are dead, and their buffers go to later gradients of the
 * same size.
 */
export class Tape {
  private readonly steps: { outputs: GTensor[]; backward: () => void }[] = [];
  private readonly free = new Map<number, GTensor[]>();
  private readonly grads = new Map<GTensor, { grad: GTensor; written: boolean }>();
  private readonly tracked = new Set<GTensor>();

  constructor(
    readonly plan: Plan,
    /** The group whose weights get gradients in this phase; null for none. */
    readonly trainable: ParamGroup | null,
  ) {}

  /** Marks a tensor as carrying a gradient back (an op's output whose inputs or weights learn). */
  track(t: GTensor): void {
    this.tracked.add(t);
  }

  tracks(t: GTensor): boolean {
    return this.tracked.has(t);
  }

  /** Records the backward of an op that produced `outputs`. */
  record(outputs: GTensor[], backward: () => void): void {
    this.steps.push({ outputs, backward });
  }

  /** Where the next gradient for `t` goes. */
  target(t: GTensor): GradTarget {
    let entry = this.grads.get(t);
    if (!entry) {
      const reused = this.free.get(t.length)?.pop();
      entry = { grad: reused ? { ...reused, shape: t.shape } : this.plan.tensor(t.shape), written: false };
      this.grads.set(t, entry);
    }
    const target = { view: entry.grad, accumulate: entry.written };
    entry.written = true;
    return target;
  }

  /** The gradient that reached `t`, or null when nothing depends on it. */
  gradOf(t: GTensor): GTensor | null {
    const entry = this.grads.get(t);
    return entry?.written ? entry.grad : null;
  }

  backward(): void {
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const { outputs, backward } = this.steps[i];
      backward();
      for (const y of outputs) {
        const entry = this.grads.get(y);
        if (!entry) continue;
        this.grads.delete(y);
        const list = this.free.get(y.length) ?? [];
        list.push(entry.grad);
        this.free.set(y.length, list);
      }
    }
    this.steps.length = 0;
  }
}
