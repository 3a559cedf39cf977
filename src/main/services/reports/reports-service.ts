// Reports: builds a report through the source of its kind, keeps its document, and renders it on demand as HTML,
// PDF, CSV (a zip of one file per table) or JSON; verifies a report's lineage against the workspace as it is now.
import { randomUUID } from 'node:crypto';
import canonicalize from 'canonicalize';
import { strToU8, zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import type { CallContext } from '../../../shared/contract/define';
import type {
  ReportFile,
  ReportNote,
  ReportRecord,
  ReportSubject,
  ReportVerification,
} from '../../../shared/contract/reports';
import { UserError } from '../../../shared/errors';
import type { LineageManifest } from '../../../shared/lineage';
import type { ReportDocument, ReportFormat, ReportKind } from '../../../shared/report';
import type { WorkspaceAccess } from '../workspace';
import type { ReportSource } from './report-source';
import { ReportStore } from './report-store';
import { renderCsv } from './render-csv';
import { renderHtml } from './render-html';
import { renderPdf } from './render-pdf';
import { verifyLineage, type CurrentHash } from './verify-lineage';

export interface ReportsDeps {
  readonly workspace: WorkspaceAccess;
  readonly sources: readonly ReportSource[];
  /** The current content hash of a lineage object (undefined: the workspace no longer has it). */
  readonly currentHash: CurrentHash;
  readonly events: { emit(event: 'onChanged', payload: { id: string }): void };
  readonly clock: () => Date;
  readonly newId?: () => string;
}

export const manifestHash = (lineage: LineageManifest): string =>
  `sha256:${createHash('sha256')
    .update(canonicalize(lineage) ?? '')
    .digest('hex')}`;

/** A file name made of the report's title: letters, digits and dashes only. */
export function reportFileName(title: string, extension: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .slice(0, 80);
  return `${stem || 'report'}.${extension}`;
}

export class ReportsService {
  private readonly sources: Map<ReportKind, ReportSource>;

  constructor(private readonly deps: ReportsDeps) {
    this.sources = new Map(deps.sources.map((s) => [s.kind, s]));
  }

  async subjects({ kind }: { kind: ReportKind }): Promise<ReportSubject[]> {
    return this.source(kind).subjects();
  }

  async generate(
    arg: { kind: ReportKind; subject: string; against: string | null; notes: ReportNote[] },
    ctx?: CallContext,
  ): Promise<ReportRecord> {
    const source = this.source(arg.kind);
    const subject = await source.resolve(arg.subject);
    const against = arg.against === null ? null : await source.resolve(arg.against);
    if (arg.kind === 'release-comparison' && against === null)
      throw new UserError('A release comparison needs a second release', {
        code: 'report-needs-against',
        hint: 'Name the release to compare with (on the command line: --against NAME@VERSION).',
      });
    const built = await source.build(subject.id, ctx, against?.id ?? null);
    const document = withNotes(built, arg.notes);
    const record: ReportRecord = {
      id: (this.deps.newId ?? randomUUID)(),
      kind: arg.kind,
      title: document.title,
      subject,
      against,
      createdAt: this.deps.clock().toISOString(),
      author: document.lineage.actor.name,
      manifestHash: manifestHash(document.lineage),
    };
    this.store().insert(record, arg.notes, document);
    this.deps.events.emit('onChanged', { id: record.id });
    return record;
  }

  async list({ kind }: { kind: ReportKind | null }): Promise<ReportRecord[]> {
    return this.store().list(kind);
  }

  async get({ id }: { id: string }): Promise<{ record: ReportRecord; document: ReportDocument }> {
    const { record, document } = this.find(id);
    return { record, document };
  }

  async regenerate({ id }: { id: string }, ctx?: CallContext): Promise<ReportRecord> {
    const { record, notes } = this.find(id);
    return this.generate(
      { kind: record.kind, subject: record.subject.id, against: record.against?.id ?? null, notes },
      ctx,
    );
  }

  async export({ id, format }: { id: string; format: ReportFormat }): Promise<ReportFile> {
    return exportDocument(this.find(id).document, format);
  }

  async verify({ id }: { id: string }): Promise<ReportVerification> {
    return verifyLineage(this.find(id).document.lineage, this.deps.currentHash);
  }

  /** Verifies a lineage read from a report file (the JSON export, or the manifest embedded in the HTML). */
  async verifyManifest({ lineage }: { lineage: LineageManifest }): Promise<ReportVerification> {
    return verifyLineage(lineage, this.deps.currentHash);
  }

  async remove({ id }: { id: string }): Promise<null> {
    if (!this.store().remove(id)) throw notFound(id);
    this.deps.events.emit('onChanged', { id });
    return null;
  }

  private find(id: string) {
    const found = this.store().byId(id);
    if (!found) throw notFound(id);
    return found;
  }

  private source(kind: ReportKind): ReportSource {
    const source = this.sources.get(kind);
    if (!source)
      throw new UserError(`Reports of kind "${kind}" are not available in this version`, {
        code: 'report-kind-unavailable',
        hint: `Available: ${[...this.sources.keys()].join(', ')}.`,
      });
    return source;
  }

  private store(): ReportStore {
    return new ReportStore(this.deps.workspace.active.db);
  }
}

/** The caller's notes go after the report's opening summary, before the results. */
function withNotes(doc: ReportDocument, notes: readonly ReportNote[]): ReportDocument {
  if (notes.length === 0) return doc;
  const at = doc.blocks[0]?.type === 'text' && doc.blocks[0].title === null ? 1 : 0;
  const blocks = [...doc.blocks];
  blocks.splice(at, 0, ...notes.map((n) => ({ type: 'text' as const, title: n.title, lines: [...n.lines] })));
  return { ...doc, blocks };
}

export async function exportDocument(doc: ReportDocument, format: ReportFormat): Promise<ReportFile> {
  switch (format) {
    case 'html':
      return text(reportFileName(doc.title, 'html'), 'text/html', renderHtml(doc));
    case 'json':
      return text(reportFileName(doc.title, 'json'), 'application/json', `${JSON.stringify(doc, null, 2)}\n`);
    case 'csv': {
      const files = Object.fromEntries(renderCsv(doc).map((f) => [f.fileName, strToU8(f.text)]));
      return binary(reportFileName(doc.title, 'csv.zip'), 'application/zip', Buffer.from(zipSync(files)));
    }
    case 'pdf':
      return binary(reportFileName(doc.title, 'pdf'), 'application/pdf', await renderPdf(doc));
  }
}

const text = (fileName: string, mediaType: string, data: string): ReportFile => ({
  fileName,
  mediaType,
  encoding: 'utf8',
  data,
});
const binary = (fileName: string, mediaType: string, data: Buffer): ReportFile => ({
  fileName,
  mediaType,
  encoding: 'base64',
  data: data.toString('base64'),
});

const notFound = (id: string): UserError =>
  new UserError(`No report ${id} in this workspace`, {
    code: 'report-not-found',
    where: id,
    hint: 'The Reports section lists the reports of the open workspace.',
  });
