// The worker's `prepareJobExport`: tokenizes a job's rendered pairs as `train` would, checks that a larger base of the
// same family reads the same ids, writes the rows (text and ids), the step plan and Dovetail's initial weights as a
// PEFT folder, and measures the loss of step 0 at those weights, the figure a run elsewhere must reproduce.
import { BugError, UserError } from '../../../shared/errors';
import { loadCheckpoint, type Checkpoint } from '../models';
import { writeFolderAtomically, type FileToWrite } from '../train/atomic-folder';
import { collate, tokenizePairs, type TokenizedRow, type TrainingPair } from '../train/collate';
import { stepPlan, stepsPerEpoch } from '../train/step-plan';
import { accumulate } from '../train/trainer';
import type { HandlerTable } from './handler';
import type { EngineMethods } from '../protocol';
import { adapterFiles, initialParams, padId, trainingBackend } from './training';

export const jobExportHandlers: Pick<HandlerTable<EngineMethods>, 'prepareJobExport'> = {
  prepareJobExport: async (p, ctx) => {
    if (!p.lora && !p.softPrompt)
      throw new UserError('Nothing to export: the job trains neither a LoRA nor a soft prompt', {
        code: 'train-nothing',
        where: 'adapters.exportJob',
      });
    if (!('pairs' in p.data)) throw new BugError('prepareJobExport takes rendered pairs');
    const c = await loadCheckpoint(p.modelFolder);
    const source = p.tokenizerFolder === p.modelFolder ? c : await loadCheckpoint(p.tokenizerFolder);
    const n = p.softPrompt?.num_virtual_tokens ?? 0;
    const encode = {
      maxLength: p.hyper.maxLength ?? source.contextLength,
      numVirtualTokens: n,
      eosTokenId: source.eosTokenIds[0] ?? null,
    };
    const { rows, tooLong } = tokenizePairs(source.tokenizer, p.data.pairs, encode);
    if (tooLong.length > 0 && !p.hyper.dropTooLong)
      throw new UserError(`${tooLong.length} training rows are longer than ${encode.maxLength} tokens`, {
        code: 'train-too-long',
        where: `row ${(tooLong[0]?.row ?? 0) + 1}`,
        hint: 'Shorten those rows, raise the maximum length, or choose to leave long rows out.',
      });
    if (rows.length === 0)
      throw new UserError('No training rows are left', { code: 'train-no-rows', where: 'adapters.exportJob' });
    const validation = p.validation ? tokenizePairs(source.tokenizer, p.validation.pairs, encode).rows : [];
    if (source !== c) sameFamily(source, c, [...rows, ...validation], p.data.pairs, p.validation?.pairs ?? []);
    const h = p.hyper;
    const planOptions = { ...h, seed: p.seed };
    const plan = stepPlan(rows.length, planOptions);
    const params = await initialParams(c, p);
    const pad = padId(c);
    let step0Loss: number | null = null;
    if (p.referenceLoss) {
      const backend = await trainingBackend(c, p, ctx.config.threads);
      try {
        const first = (plan[0]?.microBatches ?? []).map((b) =>
          collate(
            b.map((i) => rows[i] as TokenizedRow),
            n,
            pad,
          ),
        );
        step0Loss = (await accumulate(backend, first, params, 0)).loss;
      } finally {
        await backend.dispose();
      }
    }
    const files: FileToWrite[] = [
      jsonl('data/train.jsonl', rows, p.data.pairs),
      jsonl('data/validation.jsonl', validation, p.validation?.pairs ?? []),
      json('data/plan.json', {
        steps: plan.map((s) => ({ step: s.step, epoch: s.epoch, lr: s.lr, micro_batches: s.microBatches })),
      }),
      ...adapterFiles(c, p, params).map((f) => ({ ...f, path: `init/${f.path}` })),
    ];
    await writeFolderAtomically(p.folder, files);
    return {
      files: files.map((f) => f.path),
      rows: rows.length,
      validationRows: validation.length,
      tooLong,
      tokens: rows.reduce((s, r) => s + r.ids.length, 0),
      targetTokens: rows.reduce((s, r) => s + r.labels.filter((l) => l >= 0).length, 0),
      totalSteps: plan.length,
      stepsPerEpoch: stepsPerEpoch(rows.length, h),
      maxLength: encode.maxLength,
      numVirtualTokens: n,
      padTokenId: pad,
      eosTokenId: encode.eosTokenId,
      step0Loss,
      model: {
        modelType: c.config.model_type,
        hiddenSize: c.config.hidden_size,
        layers: c.config.num_hidden_layers,
        vocabSize: c.config.vocab_size,
      },
    };
  },
};

/** A larger base qualifies when it is the same architecture and its tokenizer gives every row the same ids. */
function sameFamily(
  source: Checkpoint,
  target: Checkpoint,
  rows: readonly TokenizedRow[],
  pairs: readonly TrainingPair[],
  validation: readonly TrainingPair[],
): void {
  const refuse = (why: string): never => {
    throw new UserError(`${target.folder} is not of the same family as the job's model: ${why}.`, {
      code: 'export-base-family',
      where: 'baseModelId',
      hint: 'Choose a larger model of the same family (same architecture and tokenizer), or export for the job model.',
    });
  };
  if (source.config.architecture !== target.config.architecture)
    refuse(`it is ${target.config.architecture}, the job's model ${source.config.architecture}`);
  const max = Math.max(0, ...rows.flatMap((r) => r.ids));
  if (max >= target.config.vocab_size)
    refuse(`token id ${max} is beyond its vocabulary of ${target.config.vocab_size}`);
  const all = [...pairs, ...validation];
  for (const [i, pair] of all.entries()) {
    const a = source.tokenizer.encode(pair.prompt + pair.target, { addSpecialTokens: true });
    const b = target.tokenizer.encode(pair.prompt + pair.target, { addSpecialTokens: true });
    if (a.length !== b.length || a.some((id, k) => id !== b[k]))
      refuse(`its tokenizer reads row ${i + 1} as other token ids`);
  }
  if ((source.eosTokenIds[0] ?? null) !== (target.eosTokenIds[0] ?? null)) refuse('its end-of-sequence token differs');
}

function json(path: string, value: unknown): FileToWrite {
  return { path, bytes: new TextEncoder().encode(`${JSON.stringify(value)}\n`) };
}

/** One line per kept row: its index (what the plan names), the source row, the text and the ids and labels. */
function jsonl(path: string, rows: readonly TokenizedRow[], pairs: readonly TrainingPair[]): FileToWrite {
  const lines = rows.map((r, index) => {
    const pair = pairs[r.row];
    return JSON.stringify({
      index,
      source_row: r.row,
      prompt: pair?.prompt ?? '',
      target: pair?.target ?? '',
      input_ids: r.ids,
      labels: r.labels,
    });
  });
  return { path, bytes: new TextEncoder().encode(lines.map((l) => `${l}\n`).join('')) };
}
