import type { Browser } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { isolationHeaders } from '../vite.config';

export interface PageBytes {
  js: number;
  wasm: number;
  other: number;
  /** Requests answered 304 (the browser already had the file, as a second worker from the same script). */
  notModified: number;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.css': 'text/css', '.json': 'application/json', '.jpg': 'image/jpeg', '.png': 'image/png', '.svg': 'image/svg+xml' };

/** The app's own build (`vite build` into dist/), served as static hosts serve it, counting every body it sends. */
export async function serveBuiltApp(root: string, port: number): Promise<{ bytes: PageBytes; close: () => void }> {
  execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  const dist = join(root, 'dist');
  const bytes: PageBytes = { js: 0, wasm: 0, other: 0, notModified: 0 };
  const server = createServer(async (request, response) => {
    const asked = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const path = asked.endsWith('/') ? `${asked}index.html` : asked;
    let body: Buffer;
    try {
      body = await readFile(join(dist, path));
    } catch {
      response.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    const headers = { ...isolationHeaders, ETag: etag, 'Cache-Control': 'no-cache', 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' };
    if (request.headers['if-none-match'] === etag) {
      bytes.notModified += 1;
      response.writeHead(304, headers).end();
      return;
    }
    const kind = extname(path) === '.js' ? 'js' : extname(path) === '.wasm' ? 'wasm' : 'other';
    bytes[kind] += body.byteLength;
    response.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { bytes, close: () => server.close() };
}

/**
 * What a student's browser downloads before the first training step, uncompressed, from the
 * server above (ETags revalidated as static hosts and `vite preview` do, workers included): the
 * first demo opened and Train pressed, counted until the page reports step 1.
 */
export async function bytesBeforeFirstStep(browser: Browser, port: number, bytes: PageBytes): Promise<PageBytes> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window.__ganStudio?.data?.content ?? 0) > 0 && !window.__ganStudio?.data?.loading, undefined, { timeout: 120_000 });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => (window.__ganStudio?.training?.step ?? 0) >= 1, undefined, { timeout: 120_000, polling: 100 });
    return { ...bytes };
  } finally {
    await context.close();
  }
}
