/** Activations the engine fuses into convolutions and instance norms. */
export type Activation = 'none' | 'relu' | 'lrelu' | 'tanh';

/** WGSL: the activation of a pre-activation value `x`. */
export function activate(act: Activation, x: string): string {
  switch (act) {
    case 'none':
      return x;
    case 'relu':
      return `max(${x}, 0.0)`;
    case 'lrelu':
      return `select(0.2 * ${x}, ${x}, ${x} > 0.0)`;
    case 'tanh':
      return `tanh(${x})`;
  }
}

/** WGSL: the activation's derivative, from its output `y` (each of these is recoverable from it). */
export function slope(act: Activation, y: string): string {
  switch (act) {
    case 'none':
      return '1.0';
    case 'relu':
      return `select(0.0, 1.0, ${y} > 0.0)`;
    case 'lrelu':
      return `select(0.2, 1.0, ${y} > 0.0)`;
    case 'tanh':
      return `(1.0 - ${y} * ${y})`;
  }
}
