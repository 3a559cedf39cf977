// The privacy service (privacyContract) and the guard other services call at the four moments personal data leaves
// its dataset or grows copies: import, training, sharing a review round, export. Scans run in chunks of rows with a
// yield to the event loop between them (calls keep answering), report progress and stop on cancel. Redaction writes a
// new version of the same dataset through the datasets service's import, with the source version as its lineage.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { EventSink, ServiceImpl } from '../../../shared/contract/define';
import type { DatasetLineage, ImportDataset, SplitName } from '../../../shared/contract/datasets';
import {
  PII_KINDS,
  piiCount,
  type PiiKind,
  type PrivacyPolicy,
  type ScanReport,
  type privacyContract,
} from '../../../shared/contract/privacy';
import { CancelledError, UserError } from '../../../shared/errors';
import type { DatasetRow, DatasetVersionFacts } from '../datasets/datasets-service';
import type { WorkspaceAccess } from '../workspace';
import { Redactor, Tally, compilePatterns, type RowRef } from './scan';
import { readPolicy, writePolicy } from './privacy-store';

type Contract = typeof privacyContract;

/** Rows scanned between two yields to the event loop. */
const CHUNK_ROWS = 500;

/** Where personal data is checked, as the warnings and refusals name it. */
export type Moment = 'import' | 'training' | 'share' | 'export';
const MOMENT_VERBS: Record<Moment, string> = {
  import: 'importing',
  training: 'training',
  share: 'sharing the round',
  export: 'exporting',
};

export interface PrivacyServiceDeps {
  readonly workspace: WorkspaceAccess;
  readonly datasets: {
    versionFacts(versionId: string): DatasetVersionFacts;
    readRows(versionId: string, split: SplitName | null, options?: { limit?: number; offset?: number }): DatasetRow[];
    importWithLineage(
      arg: ImportDataset,
      lineage: DatasetLineage,
    ): Promise<{ version: { id: string; version: number } }>;
  };
  readonly events: EventSink<Contract>;
  readonly clock: () => Date;
}

/** What a moment's check found: a warning to show (null: nothing found). Under a blocking policy it throws instead. */
export interface GuardOutcome {
  readonly warning: string | null;
  readonly total: number;
}

export class PrivacyService implements ServiceImpl<Contract> {
  private readonly running = new Map<string, { cancelled: boolean }>();
  /** Finished scans by version and policy (versions are immutable): the moments and the panel share them. */
  private readonly cache = new Map<string, ScanReport>();

  constructor(private readonly deps: PrivacyServiceDeps) {}

  async policy(): Promise<PrivacyPolicy> {
    return readPolicy(this.deps.workspace.active.db);
  }

  async setPolicy(arg: PrivacyPolicy): Promise<PrivacyPolicy> {
    const { errors } = compilePatterns(arg.patterns);
    if (errors.length > 0) {
      throw new UserError(errors[0] ?? 'A pattern cannot run', {
        code: 'privacy-pattern',
        where: 'privacy.setPolicy: patterns',
        hint:
          'Patterns run on RE2 (linear time): rewrite lookaround and back-references with plain groups and ' +
          'classes.',
      });
    }
    const names = arg.patterns.map((p) => p.name.toUpperCase());
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice)
      throw new UserError(`Two patterns are named ${twice}.`, {
        code: 'privacy-pattern',
        where: 'privacy.setPolicy: patterns',
        hint: 'A name becomes the placeholder (<NAME_1>): give each its own.',
      });
    writePolicy(this.deps.workspace.active.db, arg, this.deps.clock().toISOString());
    this.cache.clear();
    return arg;
  }

  async scan(arg: { versionId: string; scanId?: string | undefined }): Promise<ScanReport> {
    return this.scanVersion(arg.versionId, null, arg.scanId);
  }

  async cancelScan(arg: { scanId: string }): Promise<{ cancelled: boolean }> {
    const flag = this.running.get(arg.scanId);
    if (!flag) return { cancelled: false };
    flag.cancelled = true;
    return { cancelled: true };
  }

  async redact(arg: {
    versionId: string;
    scanId?: string | undefined;
  }): Promise<{ datasetVersionId: string; version: number; values: number; replacements: number }> {
    const facts = this.deps.datasets.versionFacts(arg.versionId);
    const { matchers } = compilePatterns((await this.policy()).patterns);
    const redactor = new Redactor(matchers);
    const ws = this.deps.workspace.active;
    const folder = join(ws.info.path, 'imports', `redact-${process.pid}-${randomUUID()}`);
    mkdirSync(folder, { recursive: true });
    try {
      const files: { path: string; split: SplitName }[] = [];
      let done = 0;
      await this.tracked(arg.scanId, async (flag) => {
        for (const split of ['train', 'validation', 'test'] as const) {
          const lines: string[] = [];
          await this.eachChunk(
            arg.versionId,
            split,
            { scanId: arg.scanId, flag, total: facts.rowCount, done: () => done },
            (rows) => {
              for (const row of rows) lines.push(JSON.stringify(redactor.redactRow(row.data)));
              done += rows.length;
            },
          );
          if (lines.length === 0) continue;
          const path = join(folder, `${split}.jsonl`);
          writeFileSync(path, `${lines.join('\n')}\n`);
          files.push({ path, split });
        }
      });
      if (redactor.replacements === 0) {
        throw new UserError('Nothing to redact: the scan finds no personal data in this version.', {
          code: 'privacy-nothing',
          where: `privacy.redact: ${facts.name} v${facts.version}`,
        });
      }
      const result = await this.deps.datasets.importWithLineage(
        {
          datasetId: facts.datasetId,
          message: `Redacted from version ${facts.version}: ${redactor.values} values replaced ${redactor.replacements} times by placeholders`,
          files,
          mapping: facts.fields.map((f) => ({
            source: f.name,
            name: f.name,
            role: f.role as ImportDataset['mapping'][number]['role'],
          })),
          split: { kind: 'given' },
        },
        {
          kind: 'redaction',
          sourceVersionId: facts.id,
          sourceVersion: facts.version,
          values: redactor.values,
          replacements: redactor.replacements,
        },
      );
      return {
        datasetVersionId: result.version.id,
        version: result.version.version,
        values: redactor.values,
        replacements: redactor.replacements,
      };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  // The guard other services call (not in the contract).

  /** Checks one split of a version (null: all) before `moment`; under a blocking policy a finding throws. */
  async guardVersion(moment: Moment, versionId: string, split: SplitName | null): Promise<GuardOutcome> {
    const facts = this.deps.datasets.versionFacts(versionId);
    const report = await this.scanVersion(versionId, split);
    const subject = `${facts.name} v${facts.version}${split === null ? '' : ` (${split} split)`}`;
    return this.outcome(
      moment,
      subject,
      report,
      `Open Datasets, ${facts.name}, version ${facts.version}: the Personal data panel lists them and redacts them.`,
    );
  }

  /** Checks rows that are not (or not yet) a stored version: an import's spool, a round's texts, an export. */
  async guardRows(moment: Moment, subject: string, rows: Iterable<RowRef>, hint: string): Promise<GuardOutcome> {
    const { matchers, errors } = compilePatterns((await this.policy()).patterns);
    const tally = new Tally(matchers);
    let n = 0;
    for (const row of rows) {
      tally.add(row);
      if (++n % CHUNK_ROWS === 0) await yieldToLoop();
    }
    return this.outcome(
      moment,
      subject,
      { versionId: '', rowsScanned: tally.rows, total: tally.total, fields: tally.fields([]), patternErrors: errors },
      hint,
    );
  }

  private async outcome(moment: Moment, subject: string, report: ScanReport, hint: string): Promise<GuardOutcome> {
    if (report.total === 0) return { warning: null, total: 0 };
    const found = `Personal data in ${subject}: ${summary(report)}.`;
    if ((await this.policy()).onFinding === 'block') {
      throw new UserError(
        `${found} The workspace's privacy policy blocks ${MOMENT_VERBS[moment]} until it is redacted.`,
        {
          code: 'personal-data-blocked',
          where: subject,
          hint: `${hint} Or set the policy to warn.`,
        },
      );
    }
    return { warning: `${found} ${hint}`, total: report.total };
  }

  private async scanVersion(versionId: string, split: SplitName | null, scanId?: string): Promise<ScanReport> {
    const facts = this.deps.datasets.versionFacts(versionId);
    const policy = await this.policy();
    const cacheKey = `${versionId}/${split ?? '*'}/${JSON.stringify(policy.patterns)}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const { matchers, errors } = compilePatterns(policy.patterns);
    const tally = new Tally(matchers);
    const total = split === null ? facts.rowCount : facts.splits[split];
    await this.tracked(scanId, (flag) =>
      this.eachChunk(versionId, split, { scanId, flag, total, done: () => tally.rows }, (rows) => {
        for (const row of rows) tally.add(row);
      }),
    );
    const report: ScanReport = {
      versionId,
      rowsScanned: tally.rows,
      total: tally.total,
      fields: tally.fields(facts.fields.map((f) => f.name)),
      patternErrors: errors,
    };
    if (this.cache.size > 64) this.cache.clear();
    this.cache.set(cacheKey, report);
    return report;
  }

  /** Runs `fn` with a cancel flag registered under scanId (when given) for cancelScan. */
  private async tracked<T>(scanId: string | undefined, fn: (flag: { cancelled: boolean }) => Promise<T>): Promise<T> {
    const flag = { cancelled: false };
    if (scanId === undefined) return fn(flag);
    if (this.running.has(scanId))
      throw new UserError('A scan with this id is already running.', {
        code: 'scan-running',
        hint: 'Wait for it to finish.',
      });
    this.running.set(scanId, flag);
    try {
      return await fn(flag);
    } finally {
      this.running.delete(scanId);
    }
  }

  /** Reads the rows page by page, yielding between pages, with progress under scanId; a cancel stops it. */
  private async eachChunk(
    versionId: string,
    split: SplitName | null,
    progress: { scanId: string | undefined; flag: { cancelled: boolean }; total: number; done: () => number },
    each: (rows: DatasetRow[]) => void,
  ): Promise<void> {
    for (let offset = 0; ; offset += CHUNK_ROWS) {
      const rows = this.deps.datasets.readRows(versionId, split, { offset, limit: CHUNK_ROWS });
      each(rows);
      if (progress.scanId !== undefined)
        this.deps.events.emit('onScanProgress', {
          scanId: progress.scanId,
          rowsScanned: progress.done(),
          rowsTotal: progress.total,
        });
      await yieldToLoop();
      if (progress.flag.cancelled) throw new CancelledError('The scan was cancelled; nothing was written.');
      if (rows.length < CHUNK_ROWS) break;
    }
  }
}

/** "12 email addresses, 3 phone numbers in text, answer" (custom patterns by name). */
export function summary(report: ScanReport): string {
  const totals = new Map<string, number>();
  for (const f of report.fields)
    for (const [key, n] of Object.entries(f.counts)) totals.set(key, (totals.get(key) ?? 0) + n);
  const rank = (key: string): number =>
    key.startsWith('custom:') ? PII_KINDS.length : PII_KINDS.indexOf(key as PiiKind);
  const parts = [...totals]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([key, n]) =>
      key.startsWith('custom:') ? `${n} match${n === 1 ? '' : 'es'} of ${key.slice(7)}` : piiCount(key as PiiKind, n),
    );
  return `${parts.join(', ')} in ${report.fields.map((f) => f.field).join(', ')}`;
}
