// `dovetail report <kind> <name> --format pdf|html|csv|json --out FILE` makes a report from stored results and writes
// it; `dovetail report verify <report>` checks a report (a stored one by id or title, or a JSON export) against the
// workspace and exits 1 naming every object whose content changed since.
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Api, ReportFile, ReportVerification } from '../../shared/contract';
import { UserError } from '../../shared/errors';
import { LineageManifest } from '../../shared/lineage';
import { REPORT_FORMATS, REPORT_KINDS, ReportFormat, ReportKind } from '../../shared/report';
import { writeFileAtomic } from '../platform/files/atomic';
import { checkUserFile } from '../platform/files/user-files';

/** A report's JSON export holds its lineage and tables, far below this; anything larger is not one. */
const MAX_REPORT_JSON_BYTES = 64 * 1024 * 1024;

export interface ReportCommand {
  /** Either a kind and its subject, or "verify" and the report. */
  positional: readonly string[];
  format: string | undefined;
  out: string | undefined;
  against: string | undefined;
  log: (...lines: string[]) => void;
}

const USAGE = `Use: report <${REPORT_KINDS.join('|')}> <name> --format ${REPORT_FORMATS.join('|')} --out FILE, or report verify <report id, title or JSON file>`;

export async function runReport(api: Api, o: ReportCommand): Promise<number> {
  const [first, second] = o.positional;
  if (first === 'verify') return verify(api, second, o.log);
  const kind = ReportKind.safeParse(first);
  if (!kind.success || !second)
    throw new UserError(first ? `Unknown report kind "${first}"` : 'report needs a kind and a name', { hint: USAGE });
  if (!o.out) throw new UserError('report needs --out FILE', { where: '--out', hint: USAGE });
  const format = formatOf(o.format, o.out);
  const record = await api.reports.generate({ kind: kind.data, subject: second, against: o.against ?? null });
  await writeReport(api, record.id, o.out, format);
  o.log(`${record.title}: ${o.out}`, `Report ${record.id}; lineage manifest ${record.manifestHash}`);
  return 0;
}

/** Writes a stored report to `out` in `format` (by default the one its extension names), all or nothing. */
export async function writeReport(api: Api, id: string, out: string, format?: ReportFormat): Promise<void> {
  const file = await api.reports.export({ id, format: format ?? formatOf(undefined, out) });
  await writeFileAtomic(out, decode(file));
}

function formatOf(flag: string | undefined, out: string | undefined): ReportFormat {
  const guess = flag ?? (out?.endsWith('.csv.zip') ? 'csv' : out ? extname(out).slice(1) : undefined);
  const parsed = ReportFormat.safeParse(guess);
  if (!parsed.success)
    throw new UserError(`Unknown report format "${guess ?? ''}"`, {
      where: '--format',
      hint: `One of ${REPORT_FORMATS.join(', ')}.`,
    });
  return parsed.data;
}

const decode = (file: ReportFile): Buffer => Buffer.from(file.data, file.encoding);

async function verify(api: Api, which: string | undefined, log: (...lines: string[]) => void): Promise<number> {
  if (!which) throw new UserError('report verify needs a report', { hint: USAGE });
  const result = which.endsWith('.json') ? await verifyFile(api, which) : await verifyStored(api, which);
  const intact = result.checks.filter((c) => c.status === 'ok').length;
  if (!result.ok) {
    log(`The report does NOT match this workspace (${intact} of ${result.checks.length} parts intact):`);
    log(...result.problems.map((p) => `  ${p}`));
    return 1;
  }
  log(`The report matches this workspace: ${intact} parts with the same content hash.`);
  return 0;
}

async function verifyStored(api: Api, which: string): Promise<ReportVerification> {
  const reports = await api.reports.list({});
  const matches = reports.filter((r) => r.id === which || r.title === which);
  if (matches.length === 0)
    throw new UserError(`No report "${which}" in this workspace`, {
      where: which,
      hint: 'Pass a report id or title from the Reports section, or a JSON export of the report.',
    });
  // Titles repeat when a report is made again: the newest is the one a reader most likely holds.
  return api.reports.verify({ id: (matches[0] as (typeof matches)[number]).id });
}

async function verifyFile(api: Api, given: string): Promise<ReportVerification> {
  const path = resolve(given);
  await checkUserFile(path, {
    where: 'report verify',
    maxBytes: MAX_REPORT_JSON_BYTES,
    expected: 'the JSON export of a report',
  });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new UserError(`Cannot read the report ${path}`, {
      where: path,
      hint: 'Pass the JSON export of a report (Reports section: Export as JSON).',
      cause,
    });
  }
  const lineage = LineageManifest.safeParse((json as { lineage?: unknown } | null)?.lineage ?? json);
  if (!lineage.success)
    throw new UserError(`${path} holds no Dovetail lineage manifest`, {
      where: path,
      hint: 'Pass the JSON export of a report.',
    });
  return api.reports.verifyManifest({ lineage: lineage.data });
}
