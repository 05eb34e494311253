// Desktop mode: `analyzer` with no command prints (or opens) a one-time
// sign-in link; the page trades it for a session and cleans the address bar.
//
//   ANALYZER_BIN=/path/to/analyzer node --test e2e/
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium, startDesktop } from './launch.mjs';

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
    const started = startDesktop(BIN, tmp, env, (d) => (out += d));
    proc = started.proc;
    const link = await started.link;

    browser = await launchChromium(CHROMIUM);
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
