// The report document: one format-neutral description of a report (title, lineage, blocks of text, tables, charts
// and examples), built once per report kind and rendered to HTML, PDF, CSV and JSON by the same renderers. Its JSON
// form is what the JSON export writes; `docs/schemas/report.schema.json` is generated from this schema.
import { z } from 'zod';
import { LineageManifest } from './lineage';

export const REPORT_SCHEMA = 'dovetail.report/1';
export const REPORT_KINDS = ['experiment', 'review', 'training', 'release', 'release-comparison'] as const;
export const ReportKind = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof ReportKind>;
export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;
export const ReportFormat = z.enum(REPORT_FORMATS);
export type ReportFormat = z.infer<typeof ReportFormat>;

const Interval = z.tuple([z.number(), z.number()]);
const Cell = z.union([z.string(), z.number(), z.null()]);

export const ReportBlock = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), title: z.string().nullable(), lines: z.array(z.string()) }).strict(),
  z
    .object({
      type: z.literal('table'),
      /** A short name for the table's CSV file ("metrics-per-cell"). */
      id: z.string().regex(/^[a-z0-9-]+$/),
      title: z.string(),
      columns: z.array(z.string()),
      rows: z.array(z.array(Cell)),
      note: z.string().nullable().default(null),
    })
    .strict(),
  z
    .object({
      type: z.literal('intervals'),
      title: z.string(),
      /** percent: values in [0, 1] shown as %; points: differences of rates shown as percentage points. */
      unit: z.enum(['percent', 'points', 'number']),
      items: z.array(
        z
          .object({
            label: z.string(),
            value: z.number(),
            ci: Interval.nullable(),
            n: z.number().int().nonnegative().nullable(),
          })
          .strict(),
      ),
    })
    .strict(),
  z
    .object({
      type: z.literal('lines'),
      title: z.string(),
      xLabel: z.string(),
      yLabel: z.string(),
      series: z.array(z.object({ name: z.string(), points: z.array(z.tuple([z.number(), z.number()])) }).strict()),
    })
    .strict(),
  z
    .object({
      type: z.literal('examples'),
      title: z.string(),
      items: z.array(
        z
          .object({
            title: z.string(),
            expected: z.string().nullable(),
            outputs: z.array(
              z.object({ label: z.string(), text: z.string().nullable(), score: z.number().nullable() }).strict(),
            ),
          })
          .strict(),
      ),
    })
    .strict(),
]);
export type ReportBlock = z.infer<typeof ReportBlock>;

export const ReportDocument = z
  .object({
    schema: z.literal(REPORT_SCHEMA),
    kind: ReportKind,
    title: z.string(),
    subtitle: z.string().nullable(),
    /** Everything the report's numbers depend on, with content hashes; `dovetail report verify` checks them. */
    lineage: LineageManifest,
    blocks: z.array(ReportBlock),
  })
  .strict();
export type ReportDocument = z.infer<typeof ReportDocument>;

/** The closing line of a report: how its numbers were made, for the kinds whose numbers are estimates. */
export function reportFootnote(kind: ReportKind): string {
  const how: Partial<Record<ReportKind, string>> = {
    experiment:
      ' Rates are means over paired examples with 95% percentile-bootstrap intervals; p-values are paired tests, ' +
      'Holm-corrected within the analysis.',
    review: ' Win rates carry 95% Wilson intervals; Bradley-Terry strengths carry bootstrap intervals over the votes.',
    'release-comparison':
      ' Differences are one stored estimate minus the other, each with its own interval: not a paired test.',
  };
  return `Made by Dovetail.${how[kind] ?? ''}`;
}
