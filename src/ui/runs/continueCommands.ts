/** The run file and result names the "Continue on a GPU machine" commands use. */
export const RUN_FILE = 'run.zip';
export const RESULT_FILE = 'run-out.zip';

export interface ContinueCommand {
  label: string;
  command: string;
}

/**
 * The command lines that continue a run in PyTorch (scale/train.py) for the steps left until
 * the run's total: one GPU, all the GPUs of a machine, and the CPU. `--redirects 1 --tee 1`
 * keeps torchrun working with Debian's PyTorch 1.13 on Python 3.11, whose default for them
 * fails to parse; newer torchrun accepts them alike.
 */
export function continueCommands(step: number, totalSteps: number): ContinueCommand[] {
  const steps = Math.max(1, totalSteps - step);
  const train = `-m scale.train ${RUN_FILE} --out ${RESULT_FILE} --steps ${steps}`;
  const torchrun = (processes: number) => `torchrun --redirects 1 --tee 1 --nproc_per_node=${processes} ${train}`;
  return [
    { label: 'One GPU (or the CPU, one process)', command: `python ${train}` },
    { label: 'Every GPU of the machine (here 4)', command: torchrun(4) },
    { label: 'CPU cores as processes (here 2)', command: torchrun(2) },
  ];
}
