// The training run report as a document: the data and template it learned from, the loss curves (training and
// validation), the check that the saved adapter changes the model's output, its settings, and its time and speed.
// Built from the training job and the adapter record as stored; nothing is re-measured.
import type { AdapterRecord, TrainingJob } from '../../../../shared/contract/adapters';
import type { LineageManifest } from '../../../../shared/lineage';
import { REPORT_SCHEMA, type ReportBlock, type ReportDocument } from '../../../../shared/report';
import { duration, num, short, when } from './format';

export interface TrainingReportInput {
  adapter: AdapterRecord;
  job: TrainingJob;
  modelName: string;
  /** The data by the name people gave it ("Support triage v1", a bundled set, a file), with what was used of it. */
  data: { name: string; hash: string | null; trainRows: number | null; validationRows: number | null };
  /** A saved template version ("Triage prompt v3") or the wizard's inline prompt. */
  template: { name: string; hash: string | null };
  lineage: LineageManifest;
}

const METHODS = { lora: 'LoRA', 'soft-prompt': 'soft prompt', both: 'LoRA + soft prompt' } as const;
const DEFAULT_LR = { lora: 2e-4, 'soft-prompt': 3e-2, both: 1e-3 } as const;

export function buildTrainingReport(input: TrainingReportInput): ReportDocument {
  const { adapter: a, job } = input;
  const { spec } = job;
  const h = spec.hyper;
  const p = job.progress;
  const seconds = (Date.parse(a.createdAt) - Date.parse(job.createdAt)) / 1000;
  const blocks: ReportBlock[] = [
    {
      type: 'text',
      title: null,
      lines: [
        `${METHODS[a.method]} adapter "${a.name}" trained on ${input.modelName} from ${input.data.name}, ${p ? `${p.step} steps` : 'steps unknown'}; saved ${when(a.createdAt)}.`,
        `Final training loss ${num(a.finalLoss)}${a.finalValLoss === null ? '' : `, validation loss ${num(a.finalValLoss)}`}.`,
      ],
    },
    {
      type: 'table',
      id: 'data',
      title: 'Data and template',
      columns: ['Part', 'Name', 'Rows', 'Content hash'],
      rows: [
        ['Training data (train split)', input.data.name, input.data.trainRows, short(input.data.hash)],
        ['Validation loss (validation split)', input.data.name, input.data.validationRows, short(input.data.hash)],
        ['Prompt template', input.template.name, null, short(input.template.hash)],
      ],
      note: `Input field "${spec.template.inputField}", target field "${spec.template.outputField}"${spec.template.chat ? ', wrapped in the model’s chat template' : ''}. Full hashes are in the lineage table.`,
    },
  ];
  if (job.history.train.length > 0)
    blocks.push({
      type: 'lines',
      title: 'Loss per step',
      xLabel: 'Step',
      yLabel: 'Cross-entropy loss',
      series: [
        { name: 'Training', points: job.history.train.map((x) => [x.step, x.loss] as [number, number]) },
        ...(job.history.validation.length === 0
          ? []
          : [
              {
                name: 'Validation',
                points: job.history.validation.map((x) => [x.step, x.loss] as [number, number]),
              },
            ]),
      ],
    });
  blocks.push({
    type: 'text',
    title: 'Is the adapter active?',
    lines: activeCheck(a.check),
  });
  blocks.push({
    type: 'table',
    id: 'settings',
    title: 'Settings',
    columns: ['Setting', 'Value'],
    rows: settings(job),
    note: null,
  });
  blocks.push({
    type: 'table',
    id: 'time-and-speed',
    title: 'Time and speed',
    columns: ['Measure', 'Value'],
    rows: [
      ['Started', when(job.createdAt)],
      ['Saved', when(a.createdAt)],
      ['Wall time (start to saved adapter, pauses included)', Number.isFinite(seconds) ? duration(seconds) : '—'],
      ['Steps', p ? `${p.step} of ${p.totalSteps}` : '—'],
      ['Training speed (tokens per second, last step)', p ? Math.round(p.tokensPerSecond) : '—'],
      ['Peak memory of the engine (MiB)', p ? Math.round(p.peakRssBytes / 2 ** 20) : '—'],
      ['Learning rate at the last step', p ? p.lr.toExponential(2) : '—'],
      ['Settings limits', h.maxSteps === null ? `${h.epochs} epoch(s)` : `at most ${h.maxSteps} steps`],
    ],
    note: null,
  });
  return {
    schema: REPORT_SCHEMA,
    kind: 'training',
    title: a.name,
    subtitle: `Training run · ${METHODS[a.method]} on ${input.modelName} · ${input.data.name}`,
    lineage: input.lineage,
    blocks,
  };
}

function settings(job: TrainingJob): (string | number | null)[][] {
  const { spec } = job;
  const h = spec.hyper;
  const rows: (string | number | null)[][] = [['Method', METHODS[spec.method]]];
  if (spec.method !== 'soft-prompt')
    rows.push(
      ['LoRA rank (r)', spec.lora.r],
      ['lora_alpha', spec.lora.alpha],
      ['target_modules', spec.lora.targets.join(', ')],
      ['rsLoRA', spec.lora.rslora ? 'yes' : 'no'],
      ['lora_dropout', spec.lora.dropout],
    );
  if (spec.method !== 'lora')
    rows.push(
      ['Virtual tokens', spec.softPrompt.n],
      [
        'Soft prompt initialised from',
        spec.softPrompt.init === 'text' ? `text "${spec.softPrompt.initText ?? ''}"` : 'random',
      ],
    );
  rows.push(
    ['Learning rate', h.lr ?? `${DEFAULT_LR[spec.method]} (default for ${METHODS[spec.method]})`],
    ['Schedule', `${h.schedule}, ${h.warmupSteps} warm-up steps`],
    ['Epochs', h.epochs],
    ['Max steps', h.maxSteps ?? 'none'],
    ['Batch size', h.batchSize],
    ['Gradient accumulation steps', h.gradientAccumulationSteps],
    ['Weight decay', h.weightDecay],
    ['Max gradient norm', h.maxGradNorm ?? 'none'],
    ['Max length (tokens)', h.maxLength ?? 'the longest row'],
    ['Rows over max length', h.dropTooLong ? 'left out' : 'refused (none were)'],
    ['Rows used', spec.template.maxRows === null ? 'all' : `first ${spec.template.maxRows}`],
    ['Validation every', h.evalEvery === null ? 'never' : `${h.evalEvery} steps`],
    ['Early stopping patience', h.patience ?? 'none'],
    ['Seed', h.seed],
  );
  return rows;
}

/** The adapter-active check in plain words: what max |Δlogit| measures and what its value means here. */
export function activeCheck(c: AdapterRecord['check']): string[] {
  return [
    `Largest change of a next-token score (max |Δlogit|) on the canary inputs: ${c.maxAbsDelta.toPrecision(3)}; the adapter counts as active above ${c.threshold}.`,
    c.active
      ? `Active: with the adapter the model scores its next tokens differently, and its most likely token changed at ${c.argmaxChanged} of ${c.positions} positions checked.`
      : `Not active: the adapter leaves the model’s scores practically unchanged, so outputs with and without it are the same.`,
  ];
}
