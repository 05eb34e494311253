// End-to-end test of exports, the session list and the report, with the
// real binary in a real browser (see app.test.mjs for how to run it):
//
//   - a 3,000,000-row Parquet file is made by the server itself (a CSV
//     uploaded through the API, its typed copy exported as Parquet), then
//     uploaded in the page; `SELECT * FROM data` is exported whole as CSV
//     and the file's lines are counted;
//   - a session is renamed and found by its new title and by its file name;
//   - a sample dataset is opened from the start page;
//   - the report is exported as HTML and opened with the network off: its
//     charts are there and it asks for nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const BIN = resolve(webDir, process.env.ANALYZER_BIN ?? '../analyzer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(here, 'screenshots');
const STEP_TIMEOUT = 180_000;
const BIG_ROWS = 3_000_000;

let server;
let serverLog = '';
let baseURL;
let tmp;
let browser;
let context;
let page;
let token;
const problems = [];
let failed = false;

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

async function api(path, init = {}) {
  const res = await fetch(`${baseURL}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res;
}

/** Lines in a file, read as a stream (the export is large). */
function countLines(path) {
  return new Promise((res, rej) => {
    let n = 0;
    let last = 10;
    createReadStream(path)
      .on('data', (chunk) => {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) n++;
        last = chunk[chunk.length - 1];
      })
      .on('end', () => res(last === 10 ? n : n + 1))
      .on('error', rej);
  });
}

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

function step(name, fn) {
  it(name, { timeout: STEP_TIMEOUT * 2 }, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn();
    } catch (err) {
      failed = true;
      await shot(`failed-sessions-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw err;
    }
  });
}

async function ask(text) {
  const box = page.getByLabel('Ask a question about your data');
  await box.fill(text);
  await box.press('Enter');
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: STEP_TIMEOUT });
}

describe('exports, sessions and the report in Chromium', () => {
  before(async () => {
    assert.ok(existsSync(BIN), `analyzer binary not found at ${BIN}`);
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}`);
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'analyzer-e2e-sessions-'));
    const port = await freePort();
    baseURL = `http://127.0.0.1:${port}`;
    server = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`], {
      cwd: tmp,
      env: {
        ...process.env,
        DATA_DIR: join(tmp, 'data'),
        DATABASE_URL: `sqlite:///${join(tmp, 'analyzer.db')}`,
        ANALYZER_NO_BROWSER: '1',
        ANALYZER_PROVIDER: 'builtin',
        ANTHROPIC_API_KEY: '',
        OPENAI_BASE_URL: '',
        ANALYZER_QUERY_TIMEOUT: '120s',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', (d) => (serverLog += d));
    server.stderr.on('data', (d) => (serverLog += d));
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${baseURL}/api/health`)).ok) break;
      } catch {}
      if (i > 300 || server.exitCode !== null) throw new Error(`the server did not start:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const email = `sessions-${Date.now()}@example.com`;
    const reg = await fetch(`${baseURL}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'sessions-password' }),
    });
    ({ token } = await reg.json());

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, acceptDownloads: true });
    await context.addInitScript(
      ([t, e]) => {
        localStorage.setItem('analyzer.token', t);
        localStorage.setItem('analyzer.email', e);
      },
      [token, email],
    );
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) server.kill('SIGTERM');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (failed) console.log(`--- analyzer log (tail) ---\n${serverLog.split('\n').slice(-40).join('\n')}`);
  });

  step('exports the whole 3M-row SELECT * of a Parquet file as CSV', async () => {
    // The Parquet file: a generated CSV through the API, its typed copy back as Parquet.
    const lines = ['id,category,amount'];
    const cats = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    for (let i = 0; i < BIG_ROWS; i++) lines.push(`${i},${cats[i % 5]},${(i % 1000) / 10}`);
    const form = new FormData();
    form.append('file', new Blob([lines.join('\n') + '\n']), 'big.csv');
    lines.length = 0;
    const up = await (await api('/api/upload', { method: 'POST', body: form })).json();
    const pq = Buffer.from(await (await api(`/api/sessions/${up.session_id}/data/export?format=parquet`)).arrayBuffer());
    assert.equal(pq.subarray(0, 4).toString(), 'PAR1');
    const pqPath = join(tmp, 'three_million.parquet');
    writeFileSync(pqPath, pq);
    await api(`/api/sessions/${up.session_id}`, { method: 'DELETE' });

    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(pqPath);
    await page.waitForURL(/\/sessions\/[^/]+$/, { timeout: STEP_TIMEOUT });
    await ask('SELECT * FROM data');
    const result = page.locator('.result-foot').last();
    await result.getByText('Export all rows').waitFor({ timeout: STEP_TIMEOUT });
    await result.getByText('Export all rows').click();
    await shot('sessions-01-result-export');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: STEP_TIMEOUT }),
      result.getByRole('menuitem', { name: 'CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), / - id, category, amount\.csv$/);
    const path = join(tmp, 'export.csv');
    await download.saveAs(path);
    assert.equal(await countLines(path), BIG_ROWS + 1, 'a header and one line per row');
  });

  step('renames a session and finds it by title and by file name', async () => {
    const item = page.locator('.session-list li').first();
    await item.hover();
    await item.getByRole('button', { name: /^Rename / }).click();
    const input = page.getByRole('textbox', { name: 'New title' });
    await input.fill('Three million rows');
    await shot('sessions-02-rename');
    await input.press('Enter');
    await page.locator('.session-list').getByText('Three million rows').waitFor();
    await page.getByRole('heading', { name: 'Three million rows' }).waitFor();

    // Another session, so that the search has something to leave out.
    await api('/api/samples/penguins', { method: 'POST' });
    await page.reload();
    await page.locator('.session-list li').nth(1).waitFor();
    const search = page.getByRole('searchbox', { name: /search analyses/i });
    await search.fill('three MILLION');
    await page.waitForFunction(() => document.querySelectorAll('.session-list li').length === 1);
    await page.locator('.session-list').getByText('Three million rows').waitFor();
    await shot('sessions-03-search');
    await search.fill('penguins.csv');
    await page.waitForFunction(() => document.querySelectorAll('.session-list li').length === 1);
    await page.locator('.session-list').getByText('penguins.csv').first().waitFor();
    await search.fill('no such thing');
    await page.getByText(/No analysis matches/).waitFor();
    await search.fill('');
    await page.waitForFunction(() => document.querySelectorAll('.session-list li').length === 2);
  });

  step('opens a sample dataset from the start page', async () => {
    await page.goto('/');
    const card = page.getByRole('button', { name: /Seattle weather/ });
    await card.waitFor();
    await shot('sessions-04-samples');
    await card.click();
    await page.waitForURL(/\/sessions\/[^/]+$/, { timeout: STEP_TIMEOUT });
    await page.getByRole('heading', { name: 'seattle-weather.csv' }).waitFor();
    await page.getByText(/1,461 rows × 6 columns/).first().waitFor();
  });

  step('exports the report as one HTML file that shows its charts offline', async () => {
    await ask('Total precipitation per month');
    await page.locator('.plot-card svg').first().waitFor({ timeout: STEP_TIMEOUT });
    await page.locator('.topbar .export-menu > summary').click();
    await shot('sessions-05-export-menu');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: STEP_TIMEOUT }),
      page.getByRole('menuitem', { name: /Report as HTML/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.html$/);
    const path = join(tmp, 'report.html');
    await download.saveAs(path);

    const offline = await browser.newContext({ offline: true });
    const requests = [];
    offline.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    const report = await offline.newPage();
    await report.goto(pathToFileURL(path).href);
    const marks = await report.locator('figure svg [aria-roledescription]').count();
    assert.ok(marks > 0, 'the chart has marks');
    assert.ok(await report.locator('figure svg').count() >= 1);
    assert.ok(await report.getByText('SELECT').first().isVisible());
    assert.equal(await report.locator('script').count(), 0);
    await report.screenshot({ path: join(SHOTS, 'sessions-06-report-offline.png'), fullPage: false });
    assert.deepEqual(requests, []);
    await offline.close();
  });

  step('logged no console errors', async () => {
    assert.deepEqual(problems, []);
  });
});
