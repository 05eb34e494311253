// End-to-end test of the real analyzer binary in a real browser.
//
//   ANALYZER_BIN=/path/to/analyzer node --test e2e/
//
// It builds nothing: it starts the given binary (default ../analyzer, next to
// web/) on a free loopback port with a temporary data dir, then drives
// Debian's Chromium through playwright-core. Screenshots of every step go to
// e2e/screenshots/ (git-ignored).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const BIN = resolve(webDir, process.env.ANALYZER_BIN ?? '../analyzer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(here, 'screenshots');
const STEP_TIMEOUT = 60_000;

const EMAIL = `e2e-${Date.now()}@example.com`;
const PASSWORD = 'correct horse battery';

let server;
let serverLog = '';
let port;
let baseURL;
let quiet = false; // while the server is down on purpose, failed requests are expected
let tmp;
let browser;
let context;
let page;
let csvPath;
const problems = []; // console errors, page errors, failed requests
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

async function waitForHealth(url, ms) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`analyzer exited with ${server.exitCode}:\n${serverLog}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return r.json();
      last = `status ${r.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`analyzer did not become healthy in ${ms} ms (${last}):\n${serverLog}`);
}

const ROWS = 24_000; // about 1 MB: big enough to watch the upload progress

/** A sales table: numbers, categories, dates, a few blanks. */
function writeCSV(path) {
  const regions = ['North', 'South', 'East', 'West'];
  const products = ['Widget', 'Gadget', 'Gizmo', 'Doohickey', 'Thingamajig'];
  const lines = ['order_id,region,product,price,quantity,order_date,customer_note'];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 1; i <= ROWS; i++) {
    const region = regions[i % 4];
    const base = { North: 120, South: 80, East: 100, West: 60 }[region];
    const price = (base + rnd() * 40).toFixed(2);
    const qty = 1 + Math.floor(rnd() * 9);
    const d = new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 365) * 86_400_000).toISOString().slice(0, 10);
    const note = i % 11 === 0 ? '' : i % 5 === 0 ? '"Rush, please"' : 'ok';
    lines.push([i, region, products[i % 5], price, qty, d, note].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function shot(name, opts = {}) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), ...opts });
}

function startServer() {
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
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  return waitForHealth(baseURL, 60_000);
}

async function stopServer() {
  const proc = server;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise((r) => {
    const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => {
      clearTimeout(t);
      r();
    });
    proc.kill('SIGTERM');
  });
}

/** Waits until no turn is running: the Send button is back. */
async function turnDone(timeout = STEP_TIMEOUT) {
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout });
}

async function ask(text) {
  const box = page.getByLabel('Ask a question about your data');
  await box.fill(text);
  await box.press('Enter');
}

/** Skips the remaining steps once one failed: they depend on each other. */
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
      await shot(`failed-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw err;
    }
  });
}

describe('analyzer in Chromium', () => {
  before(async () => {
    assert.ok(existsSync(BIN), `analyzer binary not found at ${BIN}: build it (go build -o analyzer .) or set ANALYZER_BIN`);
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'analyzer-e2e-'));
    csvPath = join(tmp, 'sales_2024.csv');
    writeCSV(csvPath);

    port = await freePort();
    baseURL = `http://127.0.0.1:${port}`;
    const health = await startServer();
    assert.equal(health.status, 'ok');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, deviceScaleFactor: 1, colorScheme: 'light' });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !quiet) problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => {
      // Navigations abort in-flight requests; the socket closes on reload.
      const why = req.failure()?.errorText ?? '';
      if (!/ERR_ABORTED/.test(why) && !quiet) problems.push(`request failed: ${req.url()} ${why}`);
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await stopServer();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (failed && process.env.E2E_SERVER_LOG !== '0') console.log(`--- analyzer log (tail) ---\n${serverLog.split('\n').slice(-40).join('\n')}`);
  });

  step('serves the app with security headers', async () => {
    const res = await fetch(`${baseURL}/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const html = await res.text();
    const asset = html.match(/\/assets\/[^"]+\.js/)?.[0];
    assert.ok(asset, 'index.html links a hashed script');
    const a = await fetch(`${baseURL}${asset}`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const deep = await fetch(`${baseURL}/sessions/does-not-exist`);
    assert.equal(deep.status, 200, 'client routes fall back to index.html');
  });

  step('registers a new account', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await shot('01-sign-in');
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Choose a password of at least 8 characters.').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'What would you like to analyze?' }).waitFor();
    await shot('02-upload-start');
  });

  step('refuses a wrong file type before uploading', async () => {
    const txt = join(tmp, 'notes.txt');
    writeFileSync(txt, 'hello');
    await page.getByTestId('file-input').setInputFiles(txt);
    await page.getByRole('alert').getByText(/can't be analyzed/).waitFor();
    await shot('03-upload-type-error');
    await page.getByRole('button', { name: 'Dismiss' }).click();
  });

  step('explains a file the server cannot read', async () => {
    const bad = join(tmp, 'broken.parquet');
    writeFileSync(bad, 'this is not parquet at all\n');
    await page.getByTestId('file-input').setInputFiles(bad);
    const alert = page.getByRole('alert');
    await alert.getByText("Couldn't upload broken.parquet").waitFor({ timeout: STEP_TIMEOUT });
    const text = await alert.innerText();
    assert.ok(text.length > 40 && !/internal|stack|\/tmp\//i.test(text), `plain reason: ${text}`);
    await shot('03b-upload-server-error');
    await page.getByRole('button', { name: 'Dismiss' }).click();
  });

  step('uploads a CSV through the file input with a progress bar', async () => {
    // Slow the upload down so that the progress can be seen and checked.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 300 * 1024 });
    await page.getByTestId('file-input').setInputFiles(csvPath);
    const bar = page.getByRole('progressbar', { name: 'Uploading' });
    await bar.waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) >= 20, null, { timeout: 20_000 });
    const label = await page.locator('.progress-name .muted').innerText();
    assert.match(label, /^[\d.]+ (B|KB|MB) of [\d.]+ (KB|MB) · \d+%$/, `progress label: ${label}`);
    await shot('04-uploading');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  });

  step('shows the preview of the uploaded file', async () => {
    await page.waitForURL(/\/sessions\/[^/]+$/, { timeout: STEP_TIMEOUT });
    const preview = page.getByRole('region', { name: 'Data preview' });
    await preview.locator('tbody tr:not(.pad)').first().waitFor();
    const header = await preview.locator('thead').innerText();
    for (const col of ['order_id', 'region', 'price', 'order_date']) assert.ok(header.includes(col), `header shows ${col}`);
    assert.match(header.toLowerCase(), /varchar|double|bigint|date/, 'header shows column types');
    const rows = await preview.locator('tbody tr:not(.pad)').count();
    assert.ok(rows >= 5 && rows < 100, `virtualized preview renders a window of rows (${rows})`);
    await page.getByText('24,000 rows × 7 columns').first().waitFor();
    const firstRow = await preview.locator('tbody tr:not(.pad)').first().innerText();
    assert.match(firstRow, /North|South|East|West/);
    // The new session is listed in the sidebar.
    await page.locator('.session-list li').first().waitFor();
    await page.getByLabel('Ask a question about your data').waitFor();
    await page.getByRole('button', { name: /Auto-analyze/ }).first().waitFor();
    await shot('05-preview');
  });

  step('shows the column profile', async () => {
    await page.getByRole('tab', { name: 'Profile' }).click();
    const profile = page.getByRole('region', { name: 'Column profile' });
    await profile.locator('tbody tr').first().waitFor({ timeout: STEP_TIMEOUT });
    const text = await profile.innerText();
    assert.match(text, /price/);
    await shot('06-profile');
    await page.getByRole('tab', { name: 'Preview' }).click();
  });

  step('answers a SQL question with a result table', async () => {
    await ask('SELECT region, COUNT(*) AS orders, ROUND(AVG(price), 2) AS avg_price FROM data GROUP BY region ORDER BY region');
    const card = page.locator('.result-card').first();
    await card.waitFor({ timeout: STEP_TIMEOUT });
    await turnDone();
    const table = card.getByRole('region', { name: /Query result/ });
    const text = await table.innerText();
    for (const r of ['East', 'North', 'South', 'West']) assert.ok(text.includes(r), `result has ${r}`);
    assert.ok(text.includes('6,000'), 'each region has 6,000 orders');
    // The user typed this SQL: the question names it, and its block in the card starts folded.
    const toggle = card.getByRole('button', { name: 'SQL', exact: true });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    // Highlighted and editable (CodeMirror).
    await card.locator('.cm-content').getByText(/GROUP BY region/).waitFor();
    assert.ok((await card.locator('.cm-content span').count()) > 3, 'the SQL is highlighted');
    await card.getByRole('button', { name: 'Copy SQL' }).waitFor();
    // The query appears once: the question's bubble is one folded line.
    assert.equal(await page.locator('.msg-user .bubble-sql').count(), 1);
    await shot('07-sql-result');
  });

  step('answers a plain-language question with a chart', async () => {
    await ask('average price by region');
    await turnDone();
    const chart = page.locator('.plot-card .chart svg').first();
    await chart.waitFor({ timeout: STEP_TIMEOUT });
    // Marks exist and have a real size (a bar of width 0 draws nothing).
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll('.plot-card .chart svg g.role-mark > *')].map((el) => {
        const b = el.getBBox();
        return b.width * b.height;
      }),
    );
    assert.ok(sizes.filter((a) => a > 4).length >= 4, `chart draws visible marks (${sizes.length} marks, areas ${sizes.slice(0, 6).map(Math.round)})`);
    // Its exports: PNG, SVG, the data as CSV, the spec as JSON; no editor.
    const exports = await page.locator('.plot-card').last().getByRole('group', { name: 'Export the chart' }).getByRole('button').allTextContents();
    assert.deepEqual(exports, ['PNG', 'SVG', 'CSV', 'JSON']);
    assert.equal(await page.locator('.plot-card .vega-actions').count(), 0, 'no editor actions');
    await page.locator('.plot-card').last().scrollIntoViewIfNeeded();
    await shot('08-chart');
  });

  step('auto-analyzes the dataset', async () => {
    const plotsBefore = await page.locator('.plot-card').count();
    await page.locator('.composer').getByRole('button', { name: /Auto-analyze/ }).click();
    await page.locator('.msg-user .bubble-auto').waitFor();
    await turnDone(STEP_TIMEOUT * 2);
    await page.waitForFunction((n) => document.querySelectorAll('.plot-card .chart svg g.role-mark').length > n, plotsBefore, { timeout: 20_000 });
    const plots = await page.locator('.plot-card').count();
    assert.ok(plots >= plotsBefore + 2, `auto-analyze drew charts (${plots - plotsBefore})`);
    const answer = page.locator('.msg-assistant').last();
    const text = await answer.innerText();
    assert.match(text, /24,000|24000/);
    // The queries behind the figures come folded, after the findings and charts they back.
    const group = answer.locator('.query-group');
    const toggle = group.getByRole('button', { name: /^Queries behind these figures \(\d+\)$/ });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    const folded = await group.locator('.query-group-summary li').count();
    assert.ok(folded >= 3, `one line per folded query (${folded})`);
    assert.equal(await group.locator('.result-card').first().isVisible(), false, 'the result cards start folded');
    const below = await answer.evaluate((el) => {
      const g = el.querySelector('.query-group');
      const facts = [...el.querySelectorAll('.markdown')].find((m) => /Key facts/.test(m.textContent ?? ''));
      const chart = el.querySelector('.plot-card');
      const after = (a, b) => !!a && !!b && !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) && b.getBoundingClientRect().top >= a.getBoundingClientRect().bottom;
      return { facts: after(facts, g), chart: after(chart, g) };
    });
    assert.deepEqual(below, { facts: true, chart: true }, 'the findings and charts read before the queries');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const cards = group.locator('.result-card');
    assert.equal(await cards.count(), folded, 'opening shows every folded result');
    await cards.first().locator('table tbody td').first().waitFor();
    assert.ok(await cards.last().locator('table tbody td').first().isVisible(), 'the opened results show their tables');
    await toggle.click();
    assert.equal(await group.locator('.result-card').first().isVisible(), false, 'and fold again');
    // A figure whose result is folded opens the group and shows its cell.
    await answer.locator('.markdown a.fig-traced').first().click();
    await answer.locator('.query-group .result-card.is-highlighted td.cell-highlight').first().waitFor();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await toggle.click();
  });

  step('keeps everything after a reload', async () => {
    const title = await page.locator('.topbar-title h1').innerText();
    await page.reload();
    await page.locator('.msg-user').nth(2).waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await page.locator('.msg-user').count(), 3);
    await page.locator('.msg-user .bubble-auto').waitFor();
    await page.locator('.result-card').first().waitFor();
    await page.locator('.plot-card .chart svg g.role-mark').first().waitFor({ timeout: STEP_TIMEOUT });
    assert.ok((await page.locator('.session-list li').count()) >= 1);
    const after = await page.locator('.topbar-title h1').innerText();
    assert.equal(after, title, 'the title survives a reload');
    await page.waitForTimeout(300);
    await shot('09-reloaded');
  });

  step('reconnects after a server restart without duplicating messages', async () => {
    const count = () =>
      page.evaluate(() => ['.msg-user', '.result-card', '.plot-card', '.markdown'].map((s) => document.querySelectorAll(s).length).join(','));
    const before = await count();
    quiet = true;
    await stopServer();
    await page.getByText('Connection lost. Reconnecting…').waitFor({ timeout: 20_000 });
    await shot('10-reconnecting');
    await startServer();
    await page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'detached', timeout: 30_000 });
    quiet = false;
    assert.equal(await count(), before, 'the same messages, none twice');
    await ask('SELECT COUNT(*) AS n FROM data');
    await turnDone();
    assert.match(await page.locator('.result-card').last().innerText(), /24,000/);
  });

  step('stops a long query', async () => {
    await ask('SELECT count(*) FROM data a, data b, data c, data d WHERE a.price + b.price + c.price + d.price > 0');
    const stop = page.getByRole('button', { name: 'Stop' });
    await stop.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(1500);
    await shot('11-running');
    const t0 = Date.now();
    await stop.click();
    await turnDone(30_000);
    const took = Date.now() - t0;
    await page.locator('.notice', { hasText: 'Stopped' }).last().waitFor();
    assert.ok(took < 15_000, `stopped in ${took} ms`);
    await shot('12-stopped');
    // The session still works after a stop.
    await ask('SELECT MAX(order_id) AS last_order FROM data');
    await turnDone();
    const last = await page.locator('.result-card').last().innerText();
    assert.match(last, /24,000/);
  });

  step('sorts and filters a result, and copies a row', async () => {
    await ask('SELECT region, product, COUNT(*) AS orders, ROUND(SUM(price * quantity), 2) AS revenue FROM data GROUP BY ALL ORDER BY region, product');
    await turnDone();
    const card = page.locator('.result-card').last();
    const table = card.getByRole('region', { name: /Query result/ });
    const column = (i) => table.locator('tbody tr:not(.pad)').evaluateAll((trs, i) => trs.map((tr) => tr.children[i].textContent), i);
    assert.equal((await column(1)).length, 20);
    // Sort by revenue: largest first, then smallest first.
    await card.getByRole('button', { name: 'Sort by revenue' }).click();
    const amount = (s) => Number(s.replaceAll(',', '')); // amounts show with separators
    const down = (await column(4)).map(amount);
    assert.deepEqual(down, [...down].sort((a, b) => b - a), `revenue descending: ${down}`);
    assert.equal(await card.locator('th[aria-sort="descending"]').count(), 1);
    await card.getByRole('button', { name: /Sort by revenue, sorted descending/ }).click();
    const up = (await column(4)).map(amount);
    assert.deepEqual(up, [...up].sort((a, b) => a - b), `revenue ascending: ${up}`);
    await shot('18-table-sorted');
    // Filter: only the Gizmo rows, one per region.
    await card.getByRole('searchbox', { name: /Filter rows/ }).fill('gizmo');
    await card.getByText('4 of 20 rows match').waitFor();
    assert.deepEqual(await column(2), ['Gizmo', 'Gizmo', 'Gizmo', 'Gizmo']);
    await shot('19-table-filtered');
    // Copy the first shown row (by its number) as TSV and read the clipboard back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    const first = table.locator('tbody tr:not(.pad)').first();
    const cells = await first.locator('td').evaluateAll((tds) => tds.slice(1, 5).map((td) => td.getAttribute('title') ?? td.textContent));
    await first.locator('td.row-index').click();
    await card.getByRole('button', { name: 'Copy 4 cells' }).click();
    await card.getByText('Copied 4 cells').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, `region\tproduct\torders\trevenue\n${cells.join('\t')}`);
    await shot('20-table-copied');
    // Resize a column by its edge.
    const th = card.locator('th', { has: page.getByRole('button', { name: 'Sort by product' }) });
    const before = (await th.boundingBox()).width;
    const edge = await card.getByRole('separator', { name: 'Resize product' }).boundingBox();
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 80, edge.y + edge.height / 2, { steps: 4 });
    await page.mouse.up();
    const after = (await th.boundingBox()).width;
    assert.ok(after > before + 60, `the column widened from ${before} to ${after}`);
    await card.getByRole('searchbox', { name: /Filter rows/ }).fill('');
  });

  step('edits a query in place and re-runs it as a new turn', async () => {
    const cards = await page.locator('.result-card').count();
    const users = await page.locator('.msg-user').count();
    const card = page.locator('.result-card').nth(cards - 1);
    await card.getByRole('button', { name: 'SQL', exact: true }).click();
    const editor = card.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('SELECT region, SUM(quantity) AS units FROM data GROUP BY region ORDER BY units DESC');
    await card.getByText('edited', { exact: true }).waitFor();
    await shot('21-sql-edited');
    await card.getByRole('button', { name: 'Run the edited SQL' }).click();
    await turnDone();
    await page.waitForFunction((n) => document.querySelectorAll('.result-card').length > n, cards);
    assert.equal(await page.locator('.msg-user').count(), users + 1, 'a new question');
    assert.match(await page.locator('.msg-user').last().innerText(), /SUM\(quantity\) AS units/);
    const rerun = page.locator('.result-card').last();
    const text = await rerun.getByRole('region', { name: /Query result/ }).innerText();
    assert.match(text, /units/);
    for (const r of ['East', 'North', 'South', 'West']) assert.ok(text.includes(r), `re-run result has ${r}`);
    // The edited block went back to its own query.
    assert.match(await card.locator('.cm-content').innerText(), /COUNT\(\*\) AS orders/);
  });

  step('charts a typed query and switches its mark', async () => {
    await ask('SELECT order_date AS day, SUM(quantity) AS units FROM data WHERE order_date < DATE \'2024-03-01\' GROUP BY 1 ORDER BY 1');
    await turnDone();
    const card = page.locator('.result-card').last();
    await card.getByRole('button', { name: 'Chart this' }).click();
    const switcher = card.getByRole('group', { name: 'Chart type' });
    await switcher.waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await switcher.getByRole('button', { name: 'Line' }).getAttribute('aria-pressed'), 'true');
    await card.locator('.chart svg g.mark-line').first().waitFor({ timeout: STEP_TIMEOUT });
    const svgText = await card.locator('.chart svg').first().textContent();
    assert.match(svgText, /Units per day/, 'a readable title');
    assert.ok(!/sum\(|count_star/i.test(svgText), 'no default column names');
    await card.locator('.plot-card').scrollIntoViewIfNeeded();
    await shot('22-chart-this');
    await switcher.getByRole('button', { name: 'Bar' }).click();
    await card.locator('.chart svg g.mark-rect').first().waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await switcher.getByRole('button', { name: 'Bar' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await card.locator('.chart svg g.mark-line').count(), 0);
    await shot('23-chart-bar');
    // Exports: the spec as JSON and the image as SVG.
    const [json] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Save the spec as JSON' }).click()]);
    assert.equal(json.suggestedFilename(), 'units-per-day.vl.json');
    const spec = JSON.parse((await import('node:fs')).readFileSync(await json.path(), 'utf8').replace(/^\ufeff/, ''));
    assert.equal(spec.mark.type, 'bar');
    const [svg] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Save as SVG' }).click()]);
    assert.match((await import('node:fs')).readFileSync(await svg.path(), 'utf8'), /<svg[\s\S]*Units per day/);
  });

  step('adds a second file, joins, removes rows, undoes', async () => {
    const regions = join(tmp, 'regions.csv');
    writeFileSync(regions, 'region,manager\nNorth,Ann\nSouth,Bob\nEast,Cy\nWest,Dee\n');
    const card = page.getByRole('region', { name: 'Dataset' });
    await card.getByText('24,000 rows × 7 columns').waitFor();
    await page.getByTestId('add-file-input').setInputFiles(regions);
    const tablesPanel = page.getByRole('region', { name: 'Tables' });
    await tablesPanel.locator('.tables-item[data-table="regions"]').waitFor({ timeout: STEP_TIMEOUT });
    assert.match(await tablesPanel.innerText(), /regions[\s\S]*4 rows × 2 columns/);
    await shot('tables-1-second-file');

    // One question over both files.
    await ask('SELECT r.manager, count(*) AS orders FROM data d JOIN regions r USING (region) GROUP BY 1 ORDER BY 1');
    await turnDone();
    const joined = await page.locator('.result-card').last().innerText();
    assert.match(joined, /Ann[\s\S]*6,?000/);

    // A change: the preview and the counts follow it.
    await ask('remove rows where customer_note is empty');
    await turnDone();
    await card.getByText('21,819 rows × 7 columns').waitFor({ timeout: STEP_TIMEOUT });
    assert.match(await page.locator('.msg-assistant').last().innerText(), /Changed table/);
    const changed = await page.getByRole('region', { name: 'Data preview' }).locator('tbody tr:not(.pad)').first().innerText();
    await shot('tables-2-changed');

    // Undo: the preview is the upload's again, and older answers say so.
    await tablesPanel.getByRole('button', { name: /Undo/ }).click();
    await card.getByText('24,000 rows × 7 columns').waitFor({ timeout: STEP_TIMEOUT });
    await page.locator('.stale-note').first().waitFor();
    const history = tablesPanel.locator('details.tables-history');
    await history.locator('summary').click();
    assert.match(await history.innerText(), /Removed rows where customer_note is empty[\s\S]*Built-in analyst/);
    await tablesPanel.getByRole('button', { name: /Redo/ }).waitFor();
    assert.ok(changed.length > 0);
    await shot('tables-3-undone');
  });

  step('looks right on a phone and in dark mode', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await shot('13-phone');
    await page.getByRole('button', { name: 'Open menu' }).click();
    await page.locator('.drawer-open .sidebar').waitFor();
    await page.waitForTimeout(300);
    await shot('14-phone-menu');
    await page.keyboard.press('Escape');
    await page.locator('.drawer-open').waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 1366, height: 860 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(500);
    await page.locator('.plot-card').last().scrollIntoViewIfNeeded();
    await shot('15-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  step('deletes the session at once, with an undo', async () => {
    const item = page.locator('.session-list li').first();
    await item.hover();
    await item.getByRole('button', { name: /^Delete / }).click();
    await page.waitForURL(`${baseURL}/`);
    const toast = page.locator('.undo-toast');
    await toast.getByText(/^Deleted “/).waitFor();
    await page.getByText('No analyses yet. Upload a file to start.').waitFor();
    await shot('16-deleted-undo');
    const token = await page.evaluate(() => localStorage.getItem('analyzer.token'));
    const list = () => fetch(`${baseURL}/api/sessions`, { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.json());
    assert.deepEqual(await list(), []);
    // Undo brings it back, open as it was; a second delete stands.
    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.waitForURL(/\/sessions\//);
    assert.equal((await list()).length, 1);
    await item.hover();
    await item.getByRole('button', { name: /^Delete / }).click();
    await page.getByText('No analyses yet. Upload a file to start.').waitFor();
    await page.locator('.undo-toast').getByRole('button', { name: 'Dismiss' }).click();
    await shot('17-deleted');
    assert.deepEqual(await list(), []);
  });

  step('an expired token goes back to sign-in with a message', async () => {
    await page.evaluate(() => localStorage.setItem('analyzer.token', 'not-a-valid-token'));
    await page.reload();
    await page.getByText('Your session has expired. Please sign in again.').waitFor();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /analyze/ }).waitFor();
  });

  step('logged no console errors', async () => {
    // Chromium logs every 4xx answer; the 400 (broken file) and 401 (invalid
    // token) above are deliberate.
    const real = problems.filter((p) => !/Failed to load resource: the server responded with a status of (400|401)\b/.test(p));
    assert.deepEqual(real, []);
  });
});
