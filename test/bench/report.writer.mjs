// @ts-check
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartsOf, renderSvg } from './report.charts.mjs';
import { markdownOf } from './report.markdown.mjs';

/**
 * Writes `<outDir>/<timestamp>/`: report.md, report.json and the charts as SVG.
 * @param {string} outDir
 * @param {Omit<import('./report.markdown.mjs').BenchReport, 'charts'>} report
 * @param {number} p99LimitMs
 * @returns {Promise<string>} the report's folder
 */
export async function writeReport(outDir, report, p99LimitMs) {
  const folder = join(outDir, report.generatedAt.replace(/[:.]/g, '-'));
  await mkdir(folder, { recursive: true });
  const charts = chartsOf(report.styles, p99LimitMs);
  for (const chart of charts) await writeFile(join(folder, chart.file), await renderSvg(chart.spec));
  const complete = { ...report, charts: charts.map(({ file, title }) => ({ file, title })) };
  await writeFile(join(folder, 'report.json'), `${JSON.stringify(complete, null, 2)}\n`);
  await writeFile(join(folder, 'report.md'), markdownOf(complete));
  return folder;
}
