// The release and release comparison kinds: every release, reported with its frozen lineage, the datasets and rounds
// behind its evidence, each channel's gates judged for it and the channels' history; or two releases side by side.
import type { CallContext } from '../../../../shared/contract/define';
import type { Release } from '../../../../shared/contract/releases';
import type { ReportSubject } from '../../../../shared/contract/reports';
import { UserError } from '../../../../shared/errors';
import type { LineageObject } from '../../../../shared/lineage';
import type { ReportDocument } from '../../../../shared/report';
import type { ReportSource } from '../report-source';
import { manifestHash } from '../reports-service';
import type { ReleaseKindDeps } from './deps';
import { resolveSubject } from '../resolve-subject';
import { datasetObject, reportManifest, withTrainingData } from './lineage';
import { buildReleaseComparison } from './release-comparison-report';
import { buildReleaseReport, releaseLabel } from './release-report';

export class ReleaseReportSource implements ReportSource {
  readonly kind: 'release' | 'release-comparison' = 'release';

  constructor(protected readonly deps: ReleaseKindDeps) {}

  async subjects(): Promise<ReportSubject[]> {
    return (await this.deps.releases.list())
      .sort((x, y) => y.createdAt.localeCompare(x.createdAt))
      .map((r) => ({ id: r.id, name: releaseLabel(r) }));
  }

  /** By id, by "name version" or "name@version" (the CLI's --against), or by name alone when one version has it. */
  async resolve(idOrName: string): Promise<ReportSubject> {
    const subjects = await this.subjects();
    if (subjects.some((s) => s.id === idOrName)) return resolveSubject('release', idOrName, subjects);
    const wanted = idOrName.trim().replace(/^(.+?)@(\d\S*)$/, '$1 $2');
    const releases = await this.deps.releases.list();
    const byName = releases.filter((r) => r.name.toLowerCase() === wanted.toLowerCase());
    if (byName.length === 1) return { id: (byName[0] as Release).id, name: releaseLabel(byName[0] as Release) };
    return resolveSubject('release', wanted, subjects);
  }

  async build(
    subjectId: string,
    ctx: CallContext | undefined,
    _against: string | null = null,
  ): Promise<ReportDocument> {
    const release = await this.deps.releases.get({ id: subjectId });
    const labels = new Map((await this.deps.releases.list()).map((r) => [r.id, releaseLabel(r)]));
    const gates = [];
    const history = [];
    for (const channel of await this.deps.releases.channels()) {
      const moves = await this.deps.releases.history({ channelId: channel.id });
      gates.push({
        channel: channel.name,
        serves: channel.releaseId === release.id,
        checks: await this.deps.releases.check({ channelId: channel.id, releaseId: release.id }),
      });
      if (moves.some((m) => m.toReleaseId === release.id || m.fromReleaseId === release.id))
        history.push(...moves.map((move) => ({ channel: channel.name, move })));
    }
    history.sort((x, y) => x.move.at.localeCompare(y.move.at) || x.move.seq - y.move.seq);
    return buildReleaseReport({
      release,
      gates,
      history,
      releaseLabel: (id) => labels.get(id) ?? 'a removed release',
      lineage: reportManifest(
        { kind: 'release', id: release.id, name: releaseLabel(release) },
        await this.objects(release),
        this.deps,
        ctx,
      ),
    });
  }

  /** The release, its frozen parts (adapters with their training data) and the data and rounds of its evidence. */
  protected async objects(release: Release): Promise<LineageObject[]> {
    const objects: LineageObject[] = [
      {
        kind: 'release',
        id: release.id,
        name: releaseLabel(release),
        hash: manifestHash(release.manifest), // what verification recomputes: the frozen manifest's hash
        detail: {
          specialization: release.specializationHash,
          author: release.authorName,
          created: release.createdAt,
          approvals: release.approvals.length,
        },
      },
      ...(await withTrainingData(release.manifest.objects, this.deps)),
    ];
    for (const e of release.evidence) {
      if (e.kind === 'decision') continue; // a project's decision: its hash is shown with the evidence
      if (e.kind === 'round') {
        objects.push({ kind: 'reviewRound', id: e.roundId, name: e.name, hash: null, detail: { judgments: e.n } });
        continue;
      }
      objects.push({ kind: 'experiment', id: e.experimentId, name: e.name, hash: null, detail: { split: e.split } });
      const facts = await this.deps.datasetFacts(e.datasetVersionId).catch(() => null);
      objects.push(
        facts
          ? datasetObject(facts, e.split, e.n, "a release's evidence")
          : {
              kind: 'datasetVersion',
              id: e.datasetVersionId,
              name: e.datasetName,
              hash: null,
              detail: { split: e.split, 'rows used': e.n },
            },
      );
    }
    return objects;
  }
}

export class ReleaseComparisonSource extends ReleaseReportSource {
  override readonly kind = 'release-comparison' as const;

  override async build(
    subjectId: string,
    ctx: CallContext | undefined,
    against: string | null,
  ): Promise<ReportDocument> {
    if (against === null)
      throw new UserError('A release comparison needs a second release', {
        code: 'report-against',
        where: 'against',
        hint: 'Choose the release to compare with.',
      });
    if (against === subjectId)
      throw new UserError('Choose two different releases to compare', { code: 'report-against', where: 'against' });
    const [a, b] = await Promise.all([
      this.deps.releases.get({ id: subjectId }),
      this.deps.releases.get({ id: against }),
    ]);
    const lineage = reportManifest(
      { kind: 'release', id: a.id, name: `${releaseLabel(a)} vs ${releaseLabel(b)}` },
      [...(await this.objects(a)), ...(await this.objects(b))],
      this.deps,
      ctx,
    );
    return buildReleaseComparison({ a, b, lineage });
  }
}
