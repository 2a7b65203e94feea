/** The servers the e2e suite starts: the production build at the root and under a sub-path, and the dev server. */
const port = Number(process.env.E2E_PORT ?? 4173);
const vite = 'node node_modules/vite/bin/vite.js';
export const ROOT_URL = `http://127.0.0.1:${port}`;
export const SUB_PATH_URL = `http://127.0.0.1:${port + 1}/nested/studio/`;
export const DEV_URL = `http://127.0.0.1:${port + 2}/`;

// Started through node directly: through npx, killing the wrapper leaves vite running.
export const SERVERS = [
  { command: `${vite} preview --host 127.0.0.1 --port ${port} --strictPort`, url: ROOT_URL },
  { command: `${vite} preview --host 127.0.0.1 --port ${port + 1} --strictPort --base /nested/studio/`, url: SUB_PATH_URL },
  { command: `${vite} --host 127.0.0.1 --port ${port + 2} --strictPort`, url: DEV_URL },
];
