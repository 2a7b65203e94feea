// The end-to-end tests drive Debian's Chromium. Installs it where this machine can (root with
// apt-get), or stops at once with the one command to run; CHROMIUM_PATH picks another binary.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const root = process.getuid?.() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!root || !apt || process.env.CHROMIUM_PATH) {
    console.error(
      `The end-to-end tests need Chromium at ${chromium}, which is missing: run \`sudo apt-get install -y chromium\` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary, then run the tests again.`,
    );
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the end-to-end tests (apt-get, about a minute)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (!existsSync(chromium)) {
    console.error(`apt-get installed chromium, but ${chromium} is still missing: set CHROMIUM_PATH to its binary.`);
    process.exit(1);
  }
}
