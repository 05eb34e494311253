// Screenshots of the chat screen at desktop and phone sizes, light and
// dark, for looking at by eye (not a test):
//
//   ANALYZER_BIN=/path/to/analyzer node e2e/screens.mjs
//
// It starts the binary on a free loopback port with a temporary data dir,
// uploads a Windows-1252 CSV with a notes line above its header (so the
// dataset card says how it was read), runs a SQL query and a question for
// the built-in analyst (traced figures, message controls), and writes
// e2e/screenshots/screen-{1440x900,390x844}-{light,dark}.png, then each
// result control (the table's tools with a sort, a filter and a selection;
// the SQL editor with an edit; "Chart this" with its mark switcher and
// exports; the profile's minis) as control-<name>-<size>-<scheme>.png.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(here, '..', process.env.ANALYZER_BIN ?? '../analyzer');
const SHOTS = join(here, 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'analyzer-screens-'));
mkdirSync(SHOTS, { recursive: true });

const port = await new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => res(p));
  });
});
const base = `http://127.0.0.1:${port}`;
const server = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`], {
  cwd: tmp,
  env: { ...process.env, DATA_DIR: join(tmp, 'data'), DATABASE_URL: `sqlite:///${join(tmp, 'meta.db')}`, ANALYZER_PROVIDER: 'builtin', ANALYZER_NO_BROWSER: '1' },
  stdio: 'ignore',
});
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {}
    if (i > 100) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const email = 'screens@example.com';
  const reg = await fetch(`${base}/api/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: 'screens-password' }) });
  const { token } = await reg.json();
  const rows = ['Exported from the bank on 2024-05-01', 'Bank Name,Region,Deposits,Closed'];
  const regions = ['North', 'South', 'East', 'West'];
  for (let i = 0; i < 40; i++) rows.push(`Bank ${i} \x96 Main,${regions[i % 4]},${(i * 137) % 900 + 100},${2010 + (i % 6)}`);
  const bytes = Buffer.from(rows.join('\n') + '\n', 'latin1');
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'banks.csv');
  const up = await (await fetch(`${base}/api/upload`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form })).json();

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  await context.addInitScript(([t, e]) => {
    localStorage.setItem('analyzer.token', t);
    localStorage.setItem('analyzer.email', e);
  }, [token, email]);
  const page = await context.newPage();
  await page.goto(`${base}/sessions/${up.session_id}`);
  const box = page.getByRole('textbox').last();
  await box.waitFor();
  for (const q of ['SELECT Region, count(*) AS banks, sum(Deposits) AS deposits FROM data GROUP BY 1 ORDER BY 3 DESC', 'total deposits by region']) {
    await box.fill(q);
    await box.press('Enter');
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 30000 }).catch(() => {});
    await page.waitForTimeout(2500);
  }
  for (const [w, h] of [[1440, 900], [390, 844]]) {
    for (const scheme of ['light', 'dark']) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SHOTS, `screen-${w}x${h}-${scheme}.png`) });
      await page.evaluate(() => window.scrollTo(0, 0));
      const main = page.locator('main').first();
      await main.evaluate((el) => el.querySelectorAll('*').forEach((n) => { if (n.scrollHeight > n.clientHeight + 20) n.scrollTop = 0; })).catch(() => {});
      await page.screenshot({ path: join(SHOTS, `screen-${w}x${h}-${scheme}-top.png`) });
    }
  }
  // The result controls, each in its own picture at both sizes and schemes.
  await box.fill('SELECT Closed AS year, count(*) AS banks, sum(Deposits) AS deposits FROM data GROUP BY 1 ORDER BY 1');
  await box.press('Enter');
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout: 30000 }).catch(() => {});
  await page.waitForTimeout(1500);
  const card = page.locator('.result-card').last();
  await card.getByRole('button', { name: 'Chart this' }).click();
  await card.locator('.chart svg').first().waitFor({ timeout: 30000 });
  await card.getByRole('button', { name: 'Sort by deposits' }).click();
  await card.getByRole('searchbox').fill('20');
  await card.locator('tbody tr:not(.pad) td.row-index').first().click();
  await card.getByRole('button', { name: 'SQL', exact: true }).click();
  await card.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(' LIMIT 3');
  await page.getByRole('tab', { name: /Profile/ }).click();
  await page.locator('.mini-hist, .mini-top').first().waitFor({ timeout: 30000 });
  const controls = {
    table: card.locator('.data-table-wrap'),
    sql: card.locator('.sql-block'),
    chart: card.locator('.plot-card'),
    profile: page.locator('.profile'),
  };
  for (const [w, h] of [[1440, 900], [390, 844]]) {
    for (const scheme of ['light', 'dark']) {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(600);
      for (const [name, loc] of Object.entries(controls)) {
        await loc.scrollIntoViewIfNeeded();
        await loc.screenshot({ path: join(SHOTS, `control-${name}-${w}x${h}-${scheme}.png`) });
      }
    }
  }
  await sessionScreens(page, up.session_id, token);
  await browser.close();
} finally {
  server.kill();
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * The session list's controls (search, rename, the undo of a delete), the
 * sample datasets of the start page and the export menus, at both sizes in
 * both schemes: e2e/screenshots/sessions-<control>-<size>-<scheme>.png.
 */
async function sessionScreens(page, sessionId, token) {
  await fetch(`${base}/api/samples/penguins`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  const other = await (await fetch(`${base}/api/samples/seattle-weather`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).json();
  for (const [w, h] of [[1440, 900], [390, 844]]) {
    const phone = w < 600;
    for (const scheme of ['light', 'dark']) {
      const name = (what) => join(SHOTS, `sessions-${what}-${w}x${h}-${scheme}.png`);
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      const drawer = async () => {
        if (phone) await page.getByRole('button', { name: 'Open menu' }).first().click();
        await page.waitForTimeout(300);
      };

      await page.goto(`${base}/`);
      await page.getByRole('button', { name: /Seattle weather/ }).waitFor();
      await page.screenshot({ path: name('samples'), fullPage: true });

      await drawer();
      const search = page.getByRole('searchbox', { name: /search analyses/i });
      await search.fill('weather');
      await page.waitForTimeout(800);
      await page.screenshot({ path: name('search') });
      await search.fill('');
      await page.waitForTimeout(800);
      const item = page.locator('.session-list li').first();
      await item.hover();
      await item.getByRole('button', { name: /^Rename / }).click();
      await page.waitForTimeout(200);
      await page.screenshot({ path: name('rename') });
      await page.keyboard.press('Escape');

      await page.goto(`${base}/sessions/${sessionId}`);
      await page.locator('.result-foot').first().waitFor();
      await page.locator('.topbar .export-menu > summary').click();
      await page.waitForTimeout(200);
      await page.screenshot({ path: name('export-menu') });
      await page.keyboard.press('Escape');
      const foot = page.locator('.result-foot').first();
      await foot.scrollIntoViewIfNeeded();
      await foot.getByText('Export all rows').click();
      await page.waitForTimeout(200);
      await page.screenshot({ path: name('result-export') });
      await page.keyboard.press('Escape');

      // Delete the sample and put it back: the undo toast.
      await page.goto(`${base}/sessions/${other.session_id}`);
      await drawer();
      const mine = page.locator('.session-list li', { hasText: 'seattle-weather.csv' }).first();
      await mine.hover();
      await mine.getByRole('button', { name: /^Delete / }).click();
      await page.locator('.undo-toast').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: name('undo') });
      await page.locator('.undo-toast').getByRole('button', { name: 'Undo' }).click();
      await page.waitForURL(/\/sessions\//);
    }
  }
}
