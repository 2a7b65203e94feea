import { describe, expect, it } from 'vitest';
import { queueWork } from './workQueue';

const nextTasks = (n: number) => new Promise<void>((resolve) => {
  const go = (left: number) => (left === 0 ? resolve() : setTimeout(() => go(left - 1), 0));
  go(n);
});

describe('queueWork', () => {
  it('runs jobs after the current task, in the order queued', async () => {
    const ran: number[] = [];
    queueWork(() => ran.push(1));
    queueWork(() => ran.push(2));
    queueWork(() => ran.push(3));
    expect(ran).toEqual([]);
    await nextTasks(2);
    expect(ran).toEqual([1, 2, 3]);
  });

  it('never runs a cancelled job, and runs the others', async () => {
    const ran: string[] = [];
    const cancel = queueWork(() => ran.push('stale'));
    queueWork(() => ran.push('fresh'));
    cancel();
    await nextTasks(2);
    expect(ran).toEqual(['fresh']);
  });

  it('gives the page a turn once a slice is used up, then finishes the rest', async () => {
    const ran: number[] = [];
    const busy = (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    for (let i = 0; i < 4; i++) queueWork(() => { busy(10); ran.push(i); });
    await nextTasks(1);
    // Each job outlasts a slice, so one task ran exactly one of them.
    expect(ran).toEqual([0]);
    await nextTasks(4);
    expect(ran).toEqual([0, 1, 2, 3]);
  });

  it('runs a job queued by a job', async () => {
    const ran: string[] = [];
    queueWork(() => {
      ran.push('outer');
      queueWork(() => ran.push('inner'));
    });
    await nextTasks(3);
    expect(ran).toEqual(['outer', 'inner']);
  });
});
