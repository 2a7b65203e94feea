// `npm start`: builds the page and serves it; opens a browser only where there is a display to
// open one on, and otherwise just prints the address (vite preview prints it either way).
import { spawnSync } from 'node:child_process';

const vite = ['node_modules/vite/bin/vite.js'];
const build = spawnSync(process.execPath, [...vite, 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const display = process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!display) console.log('No display here: open the address below in a browser.');
const preview = spawnSync(process.execPath, [...vite, 'preview', ...(display ? ['--open'] : [])], { stdio: 'inherit' });
process.exit(preview.status ?? 0);
