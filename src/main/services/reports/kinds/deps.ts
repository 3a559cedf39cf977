// What the report kinds read from the other services: narrow functions, each a method the services already have,
// so compose.ts wires them in one line each and tests pass real services over a real workspace.
import type { AdapterDetails, AdapterRecord, TrainingJob } from '../../../../shared/contract/adapters';
import type { CallContext } from '../../../../shared/contract/define';
import type { Experiment } from '../../../../shared/contract/experiments';
import type { ModelRecord } from '../../../../shared/contract/models';
import type { Channel, ChannelMove, GateCheck, Release } from '../../../../shared/contract/releases';
import type { ReviewResults, Round } from '../../../../shared/contract/reviews';
import type { TemplateVersion } from '../../../../shared/contract/templates';
import type { LineageObject } from '../../../../shared/lineage';
import type { ReviewJudgment } from '../../reviews/analysis';

/** A dataset version's facts (the datasets service's `versionFacts`). */
export interface DatasetFacts {
  id: string;
  name: string;
  version: number;
  contentHash: string;
  splits: Record<'train' | 'validation' | 'test', number>;
}

/** Who made a report and with what: every kind's manifest names them. */
export interface MadeBy {
  readonly appVersion: string;
  /** A profile's name by id (the users service). */
  readonly userName: (id: string) => string | undefined;
  readonly clock: () => Date;
}

export interface LineageDeps {
  readonly datasetFacts: (versionId: string) => Promise<DatasetFacts>;
  /** The specializations service's `lineage`: the specialization, its model, adapters, template, demonstrations. */
  readonly specializationLineage: (specializationId: string) => Promise<LineageObject[]>;
  /** What a trained adapter learned from (the adapters service's `trainedOn`); null for imported ones. */
  readonly trainedOn: (
    adapterId: string,
  ) => { datasetVersionId: string | null; maxRows: number | null; templateVersionId: string | null } | null;
}

export interface ReviewKindDeps extends MadeBy, LineageDeps {
  readonly reviews: {
    closedRounds(): { id: string; name: string; closedAt: string | null }[];
    get(arg: { id: string }, ctx: CallContext): Promise<Round>;
    results(arg: { id: string }): Promise<ReviewResults>;
    judgments(id: string): Promise<ReviewJudgment[]>;
  };
  readonly experiment: (id: string) => Promise<Experiment>;
}

export interface TrainingKindDeps extends MadeBy, LineageDeps {
  readonly adapters: {
    list(): Promise<AdapterRecord[]>;
    job(arg: { id: string }): Promise<TrainingJob>;
    get(arg: { id: string }): Promise<AdapterDetails>;
    contentHash(id: string): Promise<string>;
  };
  readonly model: (id: string) => Promise<ModelRecord>;
  readonly templateVersion: (id: string) => Promise<TemplateVersion>;
}

export interface ReleaseKindDeps extends MadeBy, LineageDeps {
  readonly releases: {
    list(): Promise<Release[]>;
    get(arg: { id: string }): Promise<Release>;
    channels(): Promise<Channel[]>;
    history(arg: { channelId: string }): Promise<ChannelMove[]>;
    check(arg: { channelId: string; releaseId: string }): Promise<GateCheck[]>;
  };
}

export type ReportKindsDeps = ReviewKindDeps & TrainingKindDeps & ReleaseKindDeps;
