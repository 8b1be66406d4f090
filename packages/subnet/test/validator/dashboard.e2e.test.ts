/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard end to end: the real `aml-validator dashboard` bin (built dist/, as installed)
 * serves a store filled by three real cycles, and Debian's headless Chromium, driven by
 * puppeteer-core (which downloads nothing), loads the page, waits for its charts, checks the DOM
 * and saves a screenshot (AML_DASHBOARD_SCREENSHOT, default under the OS temp folder).
 * Skipped, saying so, only when /usr/bin/chromium is absent; CI installs it (.ci/run).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/validator/store/sqlite-store.js';
import { fillStoreWithCycles } from './support/dashboard-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(PACKAGE_DIR, 'bin', 'aml-validator.js');
const BUILT = existsSync(join(PACKAGE_DIR, 'dist', 'cli', 'validator.js'));
const SCREENSHOT =
  process.env.AML_DASHBOARD_SCREENSHOT ?? join(tmpdir(), 'aml-dashboard-e2e', 'dashboard.png');

if (!existsSync(CHROMIUM))
  console.warn(`SKIPPED dashboard browser test: ${CHROMIUM} is absent (apt-get install chromium)`);
if (!BUILT) console.warn('SKIPPED dashboard browser test: @aml/subnet is not built (npm run build)');

/** Starts the bin and resolves with the URL it prints once it listens. */
function startBin(store: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'dashboard', '--store.path', store, '--dashboard.port', '0'], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((done, fail) => {
    child.stdout!.on('data', (c) => {
      out += String(c);
      const url = /dashboard on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) done({ child, url });
    });
    child.stderr!.on('data', (c) => {
      err += String(c);
    });
    child.on('exit', (code) => fail(new Error(`dashboard exited with ${code}: ${err}`)));
  });
}

describe.skipIf(!existsSync(CHROMIUM) || !BUILT)('aml-validator dashboard in headless Chromium', () => {
  let bin: { child: ChildProcess; url: string };
  let browser: Browser;
  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aml-dashboard-')), 'validator.sqlite');
    const store = new SqliteStore(file);
    await fillStoreWithCycles(store, { cycles: 2 });
    await fillStoreWithCycles(store, { cycles: 1, stealthAudit: true });
    await store.close();
    bin = await startBin(file);
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // root (CI, containers) cannot use Chromium's sandbox
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--disable-gpu',
        '--disable-dev-shm-usage',
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    bin?.child.kill('SIGTERM');
  });

  it('draws the miners, the reference, the stealth figure and a chart per panel', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(bin.url, { waitUntil: 'networkidle0' });
    // the page ends 'ready' or 'error' (with its banner): fail on the banner's text, not a timeout
    await page.waitForSelector('body:not([data-state="loading"])', { timeout: 30_000 });
    const banner = await page.$eval('#error', (e) => e.textContent);
    expect(await page.$eval('body', (b) => b.dataset.state), banner ?? '').toBe('ready');

    const dom = await page.evaluate(() => {
      const text = (sel: string) => document.querySelector(sel)?.textContent ?? '';
      const rows = [...document.querySelectorAll<HTMLTableRowElement>('#miners tbody tr')];
      return {
        state: document.body.dataset.state,
        error: (document.getElementById('error') as HTMLElement).hidden,
        cycle: text('#cycle'),
        miners: rows.filter((r) => r.classList.contains('miner')).map((r) => r.dataset.hotkey),
        reference: rows.filter((r) => r.classList.contains('reference')).map((r) => r.dataset.hotkey),
        copier: rows.find((r) => r.dataset.hotkey === 'copier')?.textContent ?? '',
        stealth: text('#stealth-auc'),
        tells: document.querySelectorAll('#tells tbody tr').length,
        answers: document.querySelectorAll('#answers tbody tr').length,
        charts: [...document.querySelectorAll<HTMLElement>('.chart')].map((c) => ({
          id: c.id,
          canvas: c.querySelectorAll('canvas').length,
          legend: [...c.querySelectorAll('.u-legend .u-label')].map((l) => l.textContent),
        })),
      };
    });
    expect(dom.state).toBe('ready');
    expect(dom.error).toBe(true);
    expect(dom.cycle).toMatch(/^cycle 3 \(complete\) on torus\/2026-01-01\/7/);
    expect(dom.miners).toEqual(['good', 'noisy', 'copier', 'slow']);
    expect(dom.reference).toEqual(['@reference']);
    expect(dom.copier).toContain('copy of good');
    expect(dom.stealth).toMatch(/^AUC \d\.\d{3}$/);
    expect(dom.tells).toBeGreaterThan(0);
    expect(dom.answers).toBe(5);
    expect(dom.charts.map((c) => c.id)).toEqual([
      'chart-perf',
      'chart-excess',
      'chart-weights',
      'chart-miner',
      'chart-stealth',
      'chart-timings',
    ]);
    for (const c of dom.charts) expect(c.canvas, c.id).toBe(1);
    expect(dom.charts[0].legend).toEqual(expect.arrayContaining(['good', 'copier', 'reference']));

    // a click on a miner charts its own tiers
    await page.click('#miners tr[data-hotkey="noisy"]');
    expect(await page.$eval('#chart-miner-title', (e) => e.textContent)).toMatch(/^Tiers of noisy/);
    expect(await page.$$eval('#miners tr.selected', (rows) => rows.map((r) => r.dataset.hotkey))).toEqual([
      'noisy',
    ]);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT as `${string}.png`, fullPage: true });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(50_000);
    console.info(`dashboard screenshot: ${SCREENSHOT}`);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe.skipIf(!BUILT)('aml-validator --dashboard.port: the dashboard while the validator runs', () => {
  it('serves the cycles the running loop writes, and stops with it on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-dashboard-loop-'));
    const child = spawn(
      process.execPath,
      [
        BIN,
        '--dashboard.port',
        '0',
        '--store.path',
        join(dir, 'validator.sqlite'),
        '--wallet.path',
        join(dir, 'no-wallets'),
        '--batch.alerts',
        '100',
        '--no-stealth-audit',
        '--logging.level',
        'info',
      ],
      { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += String(c);
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      // pino's JSON line names the URL of the port the system picked
      let url: string | undefined;
      for (let i = 0; i < 300 && !url; i++) {
        url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/)".*"msg":"dashboard listening"/.exec(out)?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 100));
      }
      expect(url, out).toBeDefined();
      // the embedded local-sim subnet has no miner: the first cycle scores the reference alone
      // (until its tiers are stored, the status shows the cycle in progress with no rows)
      let status: { cycle: unknown; rows?: { hotkey: string }[] } = { cycle: null };
      for (let i = 0; i < 600 && !status.rows?.length; i++) {
        status = (await (await fetch(`${url}api/status`)).json()) as typeof status;
        if (!status.rows?.length) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status.rows?.map((r) => r.hotkey)).toEqual(['@reference']);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}api/status`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
