// Reports end to end: an ablation on the demo model, its report exported from the experiment page (PDF) and from the
// Reports section (HTML, CSV, JSON). The PDF is rendered to page images with poppler's pdftoppm: the pages carry the
// title and the lineage table (their text layer, read by pdftotext) and a chart (its bar colour in the pixels). The
// JSON validates against the committed schema and the CSV holds the numbers the experiment page shows.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import { expect, test } from './fixtures';
import { apiOk, datasetVersionId, openDemo, runExperiment } from './fixtures/api';
import { ExperimentsPage } from './pages/experiments-page';
import { ReportsPage } from './pages/reports-page';

const SCHEMA = path.join(import.meta.dirname, '..', 'docs', 'schemas', 'report.schema.json');
const NAME = 'Supersense ablation';

/** The pages of a PDF as RGB pixels (pdftoppm's PPM output), and the text of each page. */
function pdfPages(pdf: string, dir: string): { width: number; height: number; rgb: Buffer; text: string }[] {
  execFileSync('pdftoppm', ['-r', '50', pdf, path.join(dir, 'page')]);
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^page-\d+\.ppm$/.test(f))
    .sort();
  return files.map((f, i) => {
    const bytes = fs.readFileSync(path.join(dir, f));
    const header = bytes
      .subarray(0, 32)
      .toString('latin1')
      .match(/^P6\s+(\d+)\s+(\d+)\s+255\s/);
    if (!header) throw new Error(`${f} is not a binary PPM`);
    const text = execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', pdf, '-']).toString();
    return { width: Number(header[1]), height: Number(header[2]), rgb: bytes.subarray(header[0].length), text };
  });
}

/** Pixels of the charts' bar colour (#4a7bd0 at 75% over white): a chart is drawn on the page. */
function barPixels(rgb: Buffer): number {
  let n = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) {
    const [r, g, b] = [rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number];
    if (b > 180 && b - r > 70 && b - g > 40) n++;
  }
  return n;
}

test('an ablation report in PDF, HTML, CSV and JSON, listed, checked and filtered in the Reports section', async ({
  app,
  page,
  server,
  request,
}, testInfo) => {
  test.setTimeout(300_000);
  await openDemo(app, page, request, server);
  const [model] = await apiOk<{ id: string }[]>(request, server, 'models/list');
  const template = await apiOk<{ id: string }>(request, server, 'templates/save', {
    name: 'Supersense',
    source: '{{ word }} ({{ pos }}): {{ definition }}\nSupersense:',
  });
  const spec = await apiOk<{ id: string }>(request, server, 'specializations/create', {
    name: 'Supersense template',
    modelId: model!.id,
    templateVersionId: template.id,
    decoding: { max_new_tokens: 6 },
  });
  await runExperiment(request, server, {
    name: NAME,
    datasetVersionId: await datasetVersionId(request, server, 'WordNet supersense'),
    split: 'test',
    limit: 12,
    design: { kind: 'ablation', specializationId: spec.id },
    metrics: [{ kind: 'chrf' }], // a score above 0 for every cell, so the charts have bars to find
  });

  // The experiment page: its numbers, then "Export report" as PDF.
  await app.nav('experiments').click();
  const x = new ExperimentsPage(page);
  await x.root.getByTestId('experiment-item').filter({ hasText: NAME }).click();
  await expect(x.state).toHaveText('completed');
  await expect(x.view.getByTestId('metric-value')).toHaveCount(2);
  const shown = (await x.view.getByTestId('metric-value').allTextContents()).map((t) => t.match(/^\d+\.\d+/)?.[0]);
  expect(shown).toHaveLength(2);
  const dir = testInfo.outputPath('report');
  fs.mkdirSync(dir, { recursive: true });
  const pdfDownload = page.waitForEvent('download');
  await x.button('experiment-export').click();
  await page.getByTestId('experiment-export-pdf').click();
  const pdf = path.join(dir, 'report.pdf');
  await (await pdfDownload).saveAs(pdf);
  expect((await pdfDownload).suggestedFilename()).toBe('Supersense-ablation.pdf');

  const pages = pdfPages(pdf, dir);
  expect(pages.length).toBeGreaterThanOrEqual(2);
  expect(pages[0]!.text).toContain(NAME);
  expect(pages.map((p) => p.text).join('\n')).toMatch(
    /Lineage[\s\S]*Content hash \(sha256\)[\s\S]*WordNet supersense v1\s+rows in split: \d+; rows used: 12; split: test\s*\n\s*[0-9a-f]{64}/,
  );
  pages.forEach((p, i) => expect(p.text).toContain(`Page ${i + 1} of ${pages.length}`));
  expect(Math.max(...pages.map((p) => barPixels(p.rgb)))).toBeGreaterThan(50);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', pdf, path.join(dir, 'shot')]);
  await testInfo.attach('report-page-1', { path: path.join(dir, 'shot-1.png'), contentType: 'image/png' });

  // The Reports section lists it; the other formats come from there.
  await app.nav('reports').click();
  const reports = new ReportsPage(page);
  await expect(reports.rows).toHaveCount(1);
  await expect(reports.rows.first()).toContainText(NAME);
  await expect(reports.document.getByTestId('report-chart').first()).toBeVisible();
  await expect(reports.document.getByRole('table', { name: 'Lineage' })).toContainText('WordNet supersense v1');
  expect(await reports.export('html', path.join(dir, 'report.html'))).toBe('Supersense-ablation.html');
  expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain(`<h1>${NAME}</h1>`);

  await reports.export('json', path.join(dir, 'report.json'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as object);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as unknown;
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true);

  await reports.export('csv', path.join(dir, 'report.csv.zip'));
  const csv = unzipSync(fs.readFileSync(path.join(dir, 'report.csv.zip')));
  const table = parse(strFromU8(csv['metrics-per-cell.csv']!), { columns: true }) as Record<string, string>[];
  expect(table.map((r) => r['chrF']?.match(/^\d+\.\d+/)?.[0])).toEqual(shown);

  await reports.root.getByTestId('report-verify').click();
  await expect(reports.verification).toContainText('Matches this workspace');
  await reports.filter('review').click();
  await expect(reports.rows).toHaveCount(0);
  await reports.filter('experiment').click();
  await expect(reports.rows).toHaveCount(1);
  await reports.root.getByTestId('report-regenerate').click();
  await expect(reports.rows).toHaveCount(2);
  if (process.env['DOVETAIL_SCREENSHOTS'])
    await page.screenshot({ path: 'test-results/screenshots/reports-section.png', fullPage: true });
});
