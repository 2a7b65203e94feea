import { describe, expect, it } from 'vitest';
import { continueCommands } from './continueCommands';

describe('continueCommands', () => {
  it('trains the steps left until the run’s total, on one process and under torchrun', () => {
    const [one, gpus, cpu] = continueCommands(1200, 20_000);
    expect(one.command).toBe('python -m scale.train run.zip --out run-out.zip --steps 18800');
    expect(gpus.command).toBe('torchrun --redirects 1 --tee 1 --nproc_per_node=4 -m scale.train run.zip --out run-out.zip --steps 18800');
    expect(cpu.command).toContain('--nproc_per_node=2 -m scale.train');
  });

  it('asks for at least one step when the run is already at its total', () => {
    expect(continueCommands(20_000, 20_000)[0].command).toContain('--steps 1');
  });
});
