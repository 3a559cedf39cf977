// The report's charts as standalone SVG (inline in the HTML report, embedded in the PDF, an image in the app):
// horizontal bars with 95% CI whiskers and the value written beside each, and line charts (loss curves).
import type { ReportBlock } from './report';

type Intervals = Extract<ReportBlock, { type: 'intervals' }>;
type Lines = Extract<ReportBlock, { type: 'lines' }>;

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function formatValue(v: number, unit: Intervals['unit']): string {
  if (unit === 'percent') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'points') return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pts`;
  // Fractions (chrF, ROUGE-L) read with three decimals as in the app; counts (lengths) with one.
  return Math.abs(v) < 10 ? v.toFixed(3) : v.toFixed(1);
}

export function intervalsSvg(block: Intervals): string {
  const rowH = 26,
    left = 240,
    width = 380,
    top = 10;
  const signed = block.unit !== 'percent';
  const ends = block.items.flatMap((i) => (i.ci ? [i.ci[0], i.ci[1], i.value] : [i.value]));
  const lo = signed ? Math.min(0, ...ends) : 0;
  const hi = Math.max(signed ? 0 : 1, ...ends);
  const x = (v: number): number => left + ((v - lo) / (hi - lo || 1)) * width;
  const h = top * 2 + rowH * block.items.length + 10;
  const bars = block.items
    .map((item, i) => {
      const y = top + i * rowH;
      const x0 = x(Math.min(0, item.value)),
        x1 = x(Math.max(0, item.value));
      const whisker = item.ci
        ? `<line x1="${x(item.ci[0])}" x2="${x(item.ci[1])}" y1="${y + rowH / 2}" y2="${y + rowH / 2}" stroke="#222" stroke-width="2"/>`
        : '';
      return (
        `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${escapeXml(item.label.slice(0, 40))}</text>` +
        `<rect x="${x0}" y="${y + 4}" width="${Math.max(1, x1 - x0)}" height="${rowH - 10}" fill="${item.value >= 0 ? '#4a7bd0' : '#d0674a'}" opacity="0.75"/>${whisker}` +
        `<text x="${left + width + 6}" y="${y + 16}">${escapeXml(formatValue(item.value, block.unit))}</text>`
      );
    })
    .join('');
  const zero = signed
    ? `<line x1="${x(0)}" x2="${x(0)}" y1="${top}" y2="${h - 10}" stroke="#888" stroke-dasharray="3 3"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(block.title)}" width="${left + width + 90}" height="${h}" viewBox="0 0 ${left + width + 90} ${h}" font-family="Helvetica, sans-serif" font-size="12">${zero}${bars}</svg>`;
}

const COLORS = ['#4a7bd0', '#d0674a', '#3a9a5b', '#8a5ad0'];

export function linesSvg(block: Lines): string {
  const w = 640,
    h = 260,
    left = 56,
    bottom = 36,
    top = 12,
    right = 12;
  const points = block.series.flatMap((s) => s.points);
  if (points.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="40"><text x="0" y="20" font-family="Helvetica, sans-serif" font-size="12">No points</text></svg>`;
  const xs = points.map((p) => p[0]),
    ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * (w - left - right);
  const sy = (v: number) => h - bottom - ((v - y0) / (y1 - y0 || 1)) * (h - top - bottom);
  const paths = block.series
    .map(
      (s, i) =>
        `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${s.points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = block.series
    .map(
      (s, i) =>
        `<text x="${left + 10 + i * 140}" y="${top + 12}" fill="${COLORS[i % COLORS.length]}">${escapeXml(s.name)}</text>`,
    )
    .join('');
  const axes =
    `<line x1="${left}" x2="${w - right}" y1="${h - bottom}" y2="${h - bottom}" stroke="#888"/><line x1="${left}" x2="${left}" y1="${top}" y2="${h - bottom}" stroke="#888"/>` +
    `<text x="${left}" y="${h - bottom + 16}">${x0}</text><text x="${w - right}" y="${h - bottom + 16}" text-anchor="end">${x1}</text>` +
    `<text x="${left - 6}" y="${h - bottom}" text-anchor="end">${y0.toFixed(2)}</text><text x="${left - 6}" y="${top + 10}" text-anchor="end">${y1.toFixed(2)}</text>` +
    `<text x="${(left + w) / 2}" y="${h - 6}" text-anchor="middle">${escapeXml(block.xLabel)}</text>` +
    `<text x="14" y="${(top + h - bottom) / 2}" transform="rotate(-90 14 ${(top + h - bottom) / 2})" text-anchor="middle">${escapeXml(block.yLabel)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(block.title)}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, sans-serif" font-size="11">${axes}${paths}${legend}</svg>`;
}
