// Traced figures in the browser: the real analyzer binary answers through
// Claude's API, played by a fake server (fakeclaude.mjs), with a scripted
// answer holding two figures from its query result and one invented. The
// page shows 2 links and 1 mark, and the same after a reload.
//
//   ANALYZER_BIN=/path/to/analyzer node --test e2e/trace.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startFakeClaude, text, tool } from './fakeclaude.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(here, '..', process.env.ANALYZER_BIN ?? '../analyzer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TIMEOUT = 60_000;
const SQL = 'SELECT region, count(*) AS orders FROM data GROUP BY region ORDER BY orders DESC';

let server;
let serverLog = '';
let fake;
let tmp;
let browser;
let page;
const problems = [];

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function waitForHealth(url) {
  const deadline = Date.now() + TIMEOUT;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`analyzer exited with ${server.exitCode}:\n${serverLog}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return r.json();
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`analyzer did not become healthy:\n${serverLog}`);
}

/** The answer's figures as the page shows them. */
async function figures() {
  const answer = page.locator('.msg-assistant').last();
  await answer.locator('.trace-summary').waitFor({ timeout: TIMEOUT });
  return {
    links: await answer.locator('a.fig-traced').allInnerTexts(),
    marks: await answer.locator('.fig-untraced').allInnerTexts(),
    untracedTitle: await answer.locator('.fig-untraced').first().getAttribute('title'),
    linkTitle: await answer.locator('a.fig-traced').first().getAttribute('title'),
    summary: await answer.locator('.trace-summary').innerText(),
  };
}

describe('traced figures in Chromium', () => {
  before(async () => {
    assert.ok(existsSync(BIN), `analyzer binary not found at ${BIN}: build it (go build -o analyzer .) or set ANALYZER_BIN`);
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}`);
    mkdirSync(join(here, 'screenshots'), { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'analyzer-e2e-trace-'));
    // North 120 orders, South 75, East 5.
    const lines = ['order_id,region,price'];
    const regions = [...Array(120).fill('North'), ...Array(75).fill('South'), ...Array(5).fill('East')];
    regions.forEach((r, i) => lines.push(`${i + 1},${r},${(10 + (i % 7)).toFixed(2)}`));
    writeFileSync(join(tmp, 'orders.csv'), `${lines.join('\n')}\n`);

    fake = await startFakeClaude([
      [text('Let me count the orders.'), tool('toolu_1', 'generate_query', { sql: SQL })],
      [text('**North** leads with ', '**120** orders, then South with 75. ', 'East had 999,999 orders.')],
    ]);
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    server = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`], {
      cwd: tmp,
      env: {
        ...process.env,
        DATA_DIR: join(tmp, 'data'),
        DATABASE_URL: `sqlite:///${join(tmp, 'analyzer.db')}`,
        ANALYZER_NO_BROWSER: '1',
        ANALYZER_PROVIDER: 'anthropic',
        ANTHROPIC_API_KEY: 'sk-test',
        ANTHROPIC_BASE_URL: fake.url,
        OPENAI_BASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (d) => (serverLog += d));
    server.stderr.on('data', (d) => (serverLog += d));
    const health = await waitForHealth(baseURL);
    assert.equal(health.provider?.name, 'anthropic');

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) {
      await new Promise((r) => {
        server.once('exit', r);
        server.kill('SIGTERM');
      });
    }
    await fake?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('links the two traced figures and marks the invented one, live and after a reload', { timeout: TIMEOUT * 4 }, async () => {
    try {
      await page.goto('/');
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Email').fill(`trace-${Date.now()}@example.com`);
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByTestId('file-input').setInputFiles(join(tmp, 'orders.csv'));
      await page.waitForURL(/\/sessions\/[^/]+$/, { timeout: TIMEOUT });
      const box = page.getByLabel('Ask a question about your data');
      await box.fill('How many orders does each region have?');
      await box.press('Enter');
      await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: TIMEOUT });

      const live = await figures();
      assert.deepEqual(live.links, ['120', '75'], 'two traced figures are links');
      assert.deepEqual(live.marks, ['999,999'], 'the invented figure is marked');
      assert.equal(live.untracedTitle, "not found in this answer's results");
      assert.match(live.linkTitle, /orders, row 1: 120/);
      assert.equal(live.summary, '2 of 3 traced');

      // A click shows the cell it came from.
      await page.locator('.msg-assistant').last().locator('a.fig-traced').nth(1).click();
      const lit = page.locator('.result-card.is-highlighted td.cell-highlight');
      await lit.waitFor({ timeout: 10_000 });
      assert.equal(await lit.innerText(), '75');
      await page.locator('.msg-assistant').last().locator('.fig-untraced').hover();
      await page.screenshot({ path: join(here, 'screenshots', 'trace-figures.png') });

      await page.reload();
      await page.locator('.result-card').first().waitFor({ timeout: TIMEOUT });
      const reloaded = await figures();
      assert.deepEqual(reloaded, live, 'a reload shows the same links and marks');
      assert.equal(fake.requests.filter((r) => r.stream).length, 2, 'the model was asked twice (tool round, answer)');
      // The first streamed request is the turn's (the server also lists the
      // provider's models to check its key).
      const system = JSON.stringify(fake.requests.find((r) => r.stream)?.system ?? '');
      assert.match(system, /figure/i, 'the system prompt asks for figures from tool results');
      assert.deepEqual(problems, []);
    } catch (err) {
      await page?.screenshot({ path: join(here, 'screenshots', 'failed-trace.png') }).catch(() => {});
      console.log(`--- analyzer log (tail) ---\n${serverLog.split('\n').slice(-30).join('\n')}`);
      throw err;
    }
  });
});
