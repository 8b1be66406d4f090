/// <reference lib="dom" />
/**
 * The `aml-miner` bin's `evaluate`, `export-training-data` and `train`'s report as child processes
 * on a small data dir made by `aml-miner generate` (issue 13, items 5 and 6): the table on stdout, the HTML
 * report, the exported files, and one-line errors with exit code 2 for bad input. The report is
 * then opened in Debian's headless Chromium (puppeteer-core, which downloads nothing): the SVG
 * charts have real size, the curves are drawn (pixels of the curve colour inside each chart) and
 * the screenshot is not blank (pixel variance). That part is skipped, saying so, only when
 * /usr/bin/chromium is absent; CI installs it (.ci/run).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN_BUILT, type Run, runCli } from './cli-process.js';

const MODELS = fileURLToPath(new URL('../../../trained_models', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

/** The real `aml-miner` bin once built (CI builds before testing); the source otherwise. */
const run = (args: string[]) => runCli(args, { bin: true });
if (!BIN_BUILT) console.warn('quality e2e: the package is not built, running the CLI from source');

let dir: string;
let data: string;
let report: string;
let evaluated: Run;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-quality-'));
  data = join(dir, 'data');
  report = join(dir, 'report.html');
  for (const [date, seed] of [
    ['2026-01-01', '3'],
    ['2026-01-02', '4'],
  ])
    expect(
      (await run(['generate', '--date', date, '--alerts', '300', '--seed', seed, '--out', data, '--quiet']))
        .code,
    ).toBe(0);
  evaluated = await run(['evaluate', '--data-dir', data, '--models-dir', MODELS, '--report', report]);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aml-miner evaluate', () => {
  it('prints a table per model and writes the HTML report', async () => {
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toBe('2 labelled batch(es): 2026-01-01, 2026-01-02\n');
    const blocks = evaluated.stdout.split('\n\n');
    for (const model of ['alert_scorer', 'alert_ranker', 'cluster_scorer'])
      expect(blocks.some((b) => b.startsWith(`${model} v`))).toBe(true);
    expect(evaluated.stdout).toMatch(/\n {2}AUC-ROC +0\.\d{3}\n {2}AUC-PR +0\.\d{3}\n/);
    expect(evaluated.stdout).toMatch(/\n {2}top 10% +\d+ +\d\.\d{3} +\d\.\d{3}\n/);
    expect(evaluated.stdout).toMatch(/\n {2}calibration \(ECE\) +0\.\d{3}\n/);
    expect(evaluated.stdout).toMatch(/\n {2}top feature +gain share +splits\n {2}\w+ +\d+\.\d% +\d+\n/);
    expect(evaluated.stdout.trimEnd().split('\n').at(-1)).toBe(`report: ${report}`);
    const html = await readFile(report, 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(11);
  });

  it('fails in one line with exit 2 on bad input', async () => {
    const [missing, unknown, badTopK, noLabels] = await Promise.all([
      run(['evaluate', '--data-dir', join(dir, 'nowhere'), '--models-dir', MODELS]),
      run(['evaluate', '--data-dir', data, '--models-dir', MODELS, '--model', 'forest']),
      run(['evaluate', '--data-dir', data, '--models-dir', MODELS, '--top-k', '0,5']),
      run(['evaluate', '--data-dir', data, '--models-dir', MODELS, '--network', 'bittensor']),
    ]);
    expect(missing).toEqual({
      code: 2,
      stdout: '',
      stderr: `error [AML_ERR_IO_NOT_FOUND]: not found: --data-dir ${join(dir, 'nowhere')} (no such directory)\n`,
    });
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'error [AML_ERR_CONFIG_INVALID]: invalid configuration: unknown model "forest" (expected scorer, ranker or cluster)\n',
    });
    expect(badTopK.code).toBe(2);
    expect(badTopK.stderr).toMatch(
      /^error \[AML_ERR_CONFIG_INVALID\]: .*--top-k expects percentages[^\n]*\n$/,
    );
    expect(noLabels.code).toBe(2);
    expect(noLabels.stderr).toMatch(
      /^error \[AML_ERR_IO_NOT_FOUND\]: not found: no labelled batches for bittensor[^\n]*\n$/,
    );
  });
});

describe('aml-miner export-training-data and train', () => {
  it("exports the scorer's rows as Parquet and CSV with the model's columns", async () => {
    const out = join(dir, 'export');
    const r = await run([
      'export-training-data',
      '--data-dir',
      data,
      '--models-dir',
      MODELS,
      '--model',
      'scorer',
      '--out-dir',
      out,
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*alert_scorer\.parquet: \d+ rows × \d+ features\n/);
    const columns = JSON.parse(await readFile(join(out, 'alert_scorer.columns.json'), 'utf8'));
    const shipped = JSON.parse(await readFile(join(MODELS, 'model_metadata.json'), 'utf8'));
    expect(columns.feature_names).toEqual(shipped.alert_scorer.training_data.feature_names);
    const header = (await readFile(join(out, 'alert_scorer.csv'), 'utf8')).split('\n', 1)[0];
    expect(header).toBe(['row_id', 'batch', 'label', 'weight', ...columns.feature_names].join(','));
    expect((await stat(join(out, 'alert_scorer.parquet'))).size).toBeGreaterThan(10_000);
  });

  it('writes the quality report beside a trained model', async () => {
    const out = join(dir, 'models');
    const r = await run([
      'train',
      'scorer',
      '--data-dir',
      data,
      '--output-dir',
      out,
      '--model-version',
      '0.0.1',
      '--param',
      'num_iterations=5',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const html = await readFile(join(out, 'alert_scorer_v0.0.1.report.html'), 'utf8');
    expect(html).toContain('<title>Model quality: alert_scorer v0.0.1</title>');
    expect(html.match(/<svg /g)?.length).toBe(4);
  });
});

if (!existsSync(CHROMIUM))
  console.warn(`SKIPPED quality report browser test: ${CHROMIUM} is absent (apt-get install chromium)`);

describe.skipIf(!existsSync(CHROMIUM))('the quality report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
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
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart at full size, draws the curves and is not blank', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${(e as Error).message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.setViewport({ width: 1300, height: 900 });
    await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const model = svg.querySelector<SVGPathElement>('path.series[data-series="model"]');
        return {
          id: svg.id,
          width: box.width,
          height: box.height,
          curveLength: model ? model.getTotalLength() : 0,
          bars: svg.querySelectorAll('rect.bar').length,
        };
      }),
    );
    expect(charts).toHaveLength(11);
    for (const c of charts) {
      expect(c.width, c.id).toBeGreaterThan(300);
      expect(c.height, c.id).toBeGreaterThan(150);
      if (c.id.endsWith('-importance')) expect(c.bars, c.id).toBeGreaterThan(3);
      // a ROC or PR curve spans its plot (≥ the 354 px plot width); a calibration line joins bins
      else expect(c.curveLength, c.id).toBeGreaterThan(c.id.endsWith('-calibration') ? 100 : 354);
    }

    // Pixels: decode each screenshot in the page itself (no image library needed).
    const stats = async (png: string) =>
      page.evaluate(async (src) => {
        const img = new Image();
        img.src = `data:image/png;base64,${src}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, 0, img.width, img.height);
        let sum = 0;
        let sq = 0;
        let curve = 0;
        const n = data.length / 4;
        for (let i = 0; i < data.length; i += 4) {
          const lum = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
          sum += lum;
          sq += lum * lum;
          // the curve colour #1f6feb, with anti-aliasing slack
          if (
            Math.abs(data[i] - 31) < 40 &&
            Math.abs(data[i + 1] - 111) < 40 &&
            Math.abs(data[i + 2] - 235) < 40
          )
            curve++;
        }
        return { variance: sq / n - (sum / n) ** 2, curvePixels: curve, pixels: n };
      }, png);

    const whole = await stats(await page.screenshot({ fullPage: true, encoding: 'base64' }));
    expect(whole.variance).toBeGreaterThan(500);
    for (const id of [
      'alert_scorer-roc',
      'alert_scorer-pr',
      'alert_ranker-roc',
      'cluster_scorer-calibration',
    ]) {
      const element = await page.$(`#${id}`);
      const shot = await stats((await element!.screenshot({ encoding: 'base64' })) as string);
      expect(shot.variance, id).toBeGreaterThan(100);
      // a drawn curve is hundreds of pixels of its colour; the legend swatch alone is ~40
      expect(shot.curvePixels, id).toBeGreaterThan(300);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
