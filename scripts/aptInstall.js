// Installs Debian packages the tests need where this machine can (root with apt-get), or stops
// at once with the one command to run (`advice` adds what else the user may do instead).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * `need`: what the packages are for, e.g. "The tests need"; `packages`: the missing ones.
 * `canInstall`: false when the user chose another source (an env variable), so apt must not run.
 */
export function aptInstall({ need, packages, advice = '', canInstall = true, minutes = 'about a minute' }) {
  if (packages.length === 0) return;
  const list = packages.join(' and ');
  if (!canInstall || process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error(`${need} ${list}, which ${packages.length > 1 ? 'are' : 'is'} missing: run \`sudo apt-get install -y ${packages.join(' ')}\` (Debian/Ubuntu)${advice}, then run the tests again.`);
    process.exit(1);
  }
  console.log(`Installing ${list} for the tests (apt-get, ${minutes})...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
