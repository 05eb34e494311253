// Desktop mode: `analyzer` with no command prints (or opens) a one-time
// sign-in link; the page trades it for a session and cleans the address bar.
//
//   ANALYZER_BIN=/path/to/analyzer node --test e2e/
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(here, '..', process.env.ANALYZER_BIN ?? '../analyzer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(here, 'screenshots');

let proc;
let out = '';
let tmp;
let browser;

describe('desktop mode', () => {
  before(() => {
    assert.ok(existsSync(BIN), `analyzer binary not found at ${BIN}: build it (go build -o analyzer .) or set ANALYZER_BIN`);
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'analyzer-desktop-'));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      await new Promise((r) => {
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        proc.once('exit', () => {
          clearTimeout(t);
          r();
        });
        proc.kill('SIGTERM');
      });
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('signs in through the one-time link and removes it from the address bar', { timeout: 120_000 }, async () => {
    const env = { ...process.env, HOME: tmp, XDG_DATA_HOME: join(tmp, 'xdg'), ANALYZER_NO_BROWSER: '1' };
    for (const k of ['DATA_DIR', 'DATABASE_URL', 'SECRET_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANALYZER_ADDR']) delete env[k];
    proc = spawn(BIN, [], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    const link = await new Promise((res, rej) => {
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

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(link);
    await page.getByRole('heading', { name: 'What would you like to analyze?' }).waitFor({ timeout: 30_000 });
    assert.equal(new URL(page.url()).search, '', 'the login token left the address bar');
    assert.ok(await page.evaluate(() => !!localStorage.getItem('analyzer.token')), 'a session token is kept');
    await page.getByText('Local account').waitFor();
    await page.screenshot({ path: join(SHOTS, 'desktop-signed-in.png') });
    await page.reload();
    await page.getByRole('heading', { name: 'What would you like to analyze?' }).waitFor();
    assert.deepEqual(problems, []);
  });
});
