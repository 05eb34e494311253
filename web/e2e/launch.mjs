// What the desktop-mode browser tests share: starting the binary as a
// double-click would (no arguments) until it prints its one-time sign-in
// link, and launching Debian's Chromium.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * Starts `bin` with no arguments in cwd. Returns the process at once (so
 * that a test's cleanup can stop it whatever happens) and a promise of the
 * sign-in link it prints (60 s at most). onOutput receives everything it
 * writes, for the tests' failure messages.
 */
export function startDesktop(bin, cwd, env, onOutput) {
  let out = '';
  const proc = spawn(bin, [], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const take = (d) => {
    out += d;
    onOutput(String(d));
  };
  proc.stdout.on('data', take);
  proc.stderr.on('data', take);
  const link = new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no sign-in link printed within 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?login=[^\s]+/);
      if (m) {
        clearTimeout(t);
        res(m[0]);
      } else if (proc.exitCode !== null) {
        clearTimeout(t);
        rej(new Error(`analyzer exited with ${proc.exitCode}:\n${out}`));
      } else setTimeout(check, 100);
    };
    check();
  });
  return { proc, link };
}

/** Debian's Chromium, headless, without the background traffic a test does not want. */
export function launchChromium(executablePath) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
