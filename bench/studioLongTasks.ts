import type { Browser } from '@playwright/test';

export interface StudioLongTasks {
  /** Steps the page reported by the end. */
  steps: number;
  /** Seconds from the click on Train until the page showed a chart point and a preview; null if it never did. */
  firstShown: number | null;
  /** Each main-thread task over 50 ms: seconds after the click on Train, its length, and the scripts the frame ran. */
  tasks: { at: number; ms: number; scripts: string }[];
}

declare global {
  interface Window {
    __benchLongTasks?: { start: number; duration: number }[];
    __benchFrames?: { start: number; end: number; scripts: string }[];
    __benchFirstShown?: number;
  }
}

/**
 * Main-thread tasks over 50 ms on the studio page itself (React, charts, previews, autosave, all
 * beside the training worker), from the click on Train for `seconds`, at the Quick preset on the
 * first demo and the backend the page picks. Long animation frames name the scripts behind each.
 */
export async function studioLongTasks(browser: Browser, url: string, seconds: number): Promise<StudioLongTasks> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__benchLongTasks = [];
      window.__benchFrames = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__benchLongTasks!.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { scripts: { invoker: string; duration: number }[] })[]) {
          if (e.duration > 50) window.__benchFrames!.push({ start: e.startTime, end: e.startTime + e.duration, scripts: e.scripts.map((s) => `${s.invoker} ${s.duration.toFixed(0)} ms`).join(', ') });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => (window.__ganStudio?.data?.content ?? 0) > 0 && !window.__ganStudio?.data?.loading, undefined, { timeout: 120_000 });
    await page.getByRole('radio', { name: /^Quick/ }).check();
    // Found before the clock starts: Playwright's own role query runs on the page's main thread.
    const train = await page.getByRole('button', { name: 'Train', exact: true }).elementHandle();
    if (!train) throw new Error('the studio has no Train button');
    const clicked = await page.evaluate(() => {
      // Checked in the page, cheaply, rather than by Playwright queries that would run on the main thread too.
      const timer = setInterval(() => {
        if ((window.__ganStudio?.chart?.points ?? 0) > 0 && (window.__ganStudio?.previews?.count ?? 0) > 0) {
          window.__benchFirstShown = performance.now();
          clearInterval(timer);
        }
      }, 50);
      return performance.now();
    });
    await train.click();
    await page.waitForTimeout(seconds * 1000);
    const { tasks, frames, steps, shown } = await page.evaluate(() => ({ tasks: window.__benchLongTasks ?? [], frames: window.__benchFrames ?? [], steps: window.__ganStudio?.training?.step ?? 0, shown: window.__benchFirstShown }));
    return {
      steps,
      firstShown: shown === undefined ? null : (shown - clicked) / 1000,
      tasks: tasks
        .filter((t) => t.start >= clicked && t.duration > 50)
        .map((t) => ({
          at: (t.start - clicked) / 1000,
          ms: t.duration,
          scripts: frames.find((f) => f.start <= t.start + 1 && t.start < f.end)?.scripts || 'no script: layout, paint or garbage collection',
        })),
    };
  } finally {
    await context.close();
  }
}
