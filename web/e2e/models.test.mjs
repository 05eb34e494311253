// Models in desktop mode: Settings finds an OpenAI-compatible server on
// loopback (a fake speaking its wire format, on a free port named by
// ANALYZER_LOCAL_MODEL_PORTS), the owner picks one of its models and saves,
// and the answer names that model and counts its tokens, live and after a
// reload. It also takes the Settings screenshots (e2e/screenshots/settings-*).
//
//   ANALYZER_BIN=/path/to/analyzer node --test e2e/models.test.mjs
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium, startDesktop } from './launch.mjs';
import { answer, startFakeOpenAI } from './fakeopenai.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(here, '..', process.env.ANALYZER_BIN ?? '../analyzer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(here, 'screenshots');
const TIMEOUT = 60_000;

let proc;
let out = '';
let tmp;
let browser;
let fake;

describe('models in desktop mode', () => {
  before(async () => {
    assert.ok(existsSync(BIN), `analyzer binary not found at ${BIN}: build it (go build -o analyzer .) or set ANALYZER_BIN`);
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
    mkdirSync(SHOTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'analyzer-models-'));
    const lines = ['order_id,region,price'];
    for (let i = 0; i < 200; i++) lines.push(`${i + 1},${['North', 'South', 'East'][i % 3]},${(10 + (i % 7)).toFixed(2)}`);
    writeFileSync(join(tmp, 'orders.csv'), `${lines.join('\n')}\n`);
    fake = await startFakeOpenAI(['llama3.2:3b', 'qwen2.5:7b'], [answer({ prompt: 1234, completion: 56 }, 'The orders are spread ', 'over three regions.')]);
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
    await fake?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the local server in Settings, answers with the chosen model and shows its tokens', { timeout: TIMEOUT * 5 }, async () => {
    const env = { ...process.env, HOME: tmp, XDG_DATA_HOME: join(tmp, 'xdg'), ANALYZER_NO_BROWSER: '1', ANALYZER_LOCAL_MODEL_PORTS: String(fake.port) };
    for (const k of ['DATA_DIR', 'DATABASE_URL', 'SECRET_KEY', 'ANALYZER_PROVIDER', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_API_KEY', 'OPENAI_MODEL', 'ANALYZER_ADDR']) delete env[k];
    const started = startDesktop(BIN, tmp, env, (d) => (out += d));
    proc = started.proc;
    const link = await started.link;

    browser = await launchChromium(CHROMIUM);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.goto(link);
      await page.getByRole('heading', { name: 'What would you like to analyze?' }).waitFor({ timeout: TIMEOUT });

      // Settings: the built-in analyst answers until something else is chosen.
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Models' });
      await dialog.getByText('Now answering: Built-in analyst').waitFor({ timeout: TIMEOUT });
      await dialog.getByText('OpenAI-compatible', { exact: true }).click();
      await dialog.getByText('Found on this computer').waitFor();
      await dialog.getByRole('button', { name: `Use Local server on port ${fake.port}` }).click();
      assert.equal(await dialog.getByLabel('Server address').inputValue(), fake.url);
      await dialog.getByLabel('Answering model').selectOption('qwen2.5:7b');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('Saved').waitFor({ timeout: TIMEOUT });
      await dialog.getByText('Now answering: qwen2.5:7b').waitFor();
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();

      await page.getByTestId('file-input').setInputFiles(join(tmp, 'orders.csv'));
      await page.waitForURL(/\/sessions\/[^/]+$/, { timeout: TIMEOUT });
      const badge = page.locator('button.provider-badge');
      await badge.getByText('qwen2.5:7b').waitFor({ timeout: TIMEOUT });

      const box = page.getByLabel('Ask a question about your data');
      await box.fill('How are the orders spread over the regions?');
      await box.press('Enter');
      const meter = page.locator('.msg-assistant .answer-meter').last();
      await meter.waitFor({ timeout: TIMEOUT });
      const live = await meter.getAttribute('aria-label');
      assert.match(live, /Answered by qwen2\.5:7b, 1,290 tokens, local, free/);
      assert.match(await meter.innerText(), /qwen2\.5:7b[\s\S]*1\.3k tokens/);
      const chats = fake.requests.filter((r) => r.path === '/v1/chat/completions');
      assert.ok(chats.length >= 1 && chats.every((r) => r.body.model === 'qwen2.5:7b'), `the fake was asked for ${chats.map((r) => r.body.model)}`);

      // The menu shows the session's use and offers the other models.
      await badge.click();
      const menu = page.getByRole('menu', { name: 'Model for this analysis' });
      await menu.getByText('This analysis: 1.3k tokens').waitFor();
      await menu.getByRole('menuitemradio', { name: /Built-in analyst/ }).waitFor();
      await menu.getByRole('menuitemradio', { name: /llama3\.2:3b/ }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'models-menu-1440x900.png') });
      await page.keyboard.press('Escape');

      // A reload shows the same model and tokens on the answer.
      await page.reload();
      const stored = page.locator('.msg-assistant .answer-meter').last();
      await stored.waitFor({ timeout: TIMEOUT });
      assert.equal(await stored.getAttribute('aria-label'), live);

      // Settings, as a person sees them, at desktop and phone sizes.
      for (const [w, h] of [[1440, 900], [390, 844]]) {
        for (const scheme of ['light', 'dark']) {
          await page.setViewportSize({ width: w, height: h });
          await page.emulateMedia({ colorScheme: scheme });
          if (!(await dialog.isVisible())) {
            await page.evaluate(() => window.dispatchEvent(new Event('analyzer:open-settings')));
            await dialog.getByText('Now answering: qwen2.5:7b').waitFor({ timeout: TIMEOUT });
          }
          await page.waitForTimeout(300);
          await page.screenshot({ path: join(SHOTS, `settings-${w}x${h}-${scheme}.png`) });
        }
      }
      assert.deepEqual(problems, []);
    } catch (err) {
      await page.screenshot({ path: join(SHOTS, 'models-failure.png') }).catch(() => {});
      err.message += `\n--- server log ---\n${out.slice(-4000)}`;
      throw err;
    }
  });
});
