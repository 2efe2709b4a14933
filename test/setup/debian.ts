// Tests need a few real servers from Debian's packages. When one is missing and we run as
// root (CI, a fresh machine), install it; otherwise say exactly which package to install.
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';

let updated = false;

export function hasCommand(cmd: string): boolean {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
}

export function ensureDebianPackage(command: string, pkg: string, purpose: string): void {
  if (hasCommand(command) || fs.existsSync(command)) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    throw new Error(`The tests need ${command} (${purpose}). Install the Debian/Ubuntu package "${pkg}": sudo apt-get install -y ${pkg}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`[test setup] installing ${pkg} (${purpose}) from Debian's packages…`);
  if (!updated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    updated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (!hasCommand(command) && !fs.existsSync(command)) throw new Error(`installed ${pkg} but ${command} is still not found`);
}
