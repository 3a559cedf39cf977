// bench/quality: what 8-bit and 4-bit weights cost in quality. Perplexity of the demo model on text it never saw
// (support-triage test messages) and on WordNet definitions (supersense test rows), per format, with a paired 95%
// bootstrap CI of the per-document change in nats/token against the stored weights (q8n / q4n: without the int8
// prefill; q8c / q4c: its activations on one scale per call, not per position); and the logits drift of the
// reference fixtures (transformers' own logits) at each format.
//   node bench/run.mjs bench/quality.ts [--docs=400 --threads=2]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairedBootstrapDiffCI } from '../src/main/eval/stats/bootstrap';
import { loadCheckpoint, ModelRunner, type Checkpoint, type RunnerModel } from '../src/main/engine/models';
import { readReference, REFERENCE_ROOT } from '../src/main/engine/models/testing/reference-fixtures';
import { documentNll as nll } from '../src/main/engine/models/perplexity';
import { openWeightCache } from '../src/main/engine/models/weight-cache';
import { SessionCache } from '../src/main/engine/runtime';
import type { WeightFormat } from '../src/shared/weight-format';

/**
 * q8n / q4n: MatMulNBits for prompts too (no int8 prefill), for the int8 prefill's own cost in the same run; q8c /
 * q4c: the int8 prefill with one activation scale per call instead of per position.
 */
const FORMATS = ['stored', 'q8', 'q8n', 'q8c', 'q4', 'q4n', 'q4c'] as const;
type Setup = (typeof FORMATS)[number];
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('='))) as Record<
  string,
  string
>;
const docsLimit = Number(args.docs ?? 400);
const threads = Number(args.threads ?? 2);
const cacheRoot = join(process.cwd(), 'bench/.cache/weights');
const sessions = new SessionCache({ threads });

async function at(checkpoint: Checkpoint, setup: Setup): Promise<RunnerModel> {
  if (setup === 'stored') return checkpoint;
  const format = setup.slice(0, 2) as Exclude<WeightFormat, 'stored'>;
  const variant = setup.slice(2);
  const model = await openWeightCache(checkpoint, format, cacheRoot, {
    int8Prefill: variant !== 'n',
    ...(variant === 'c' ? { int8Scale: 'call' as const } : {}),
  });
  return variant === '' ? model : { ...model, contentHash: `${model.contentHash}-${variant}` }; // sessions apart
}

function jsonl(path: string): Record<string, string>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>);
}

const demo = await loadCheckpoint(join(process.cwd(), 'resources/models/dovetail-wordnet-13m'));
const texts = {
  'support-triage test messages (unseen)': jsonl('resources/datasets/support-triage/test.jsonl').map(
    (r) => r.message ?? '',
  ),
  'wordnet-supersense test definitions': jsonl('resources/datasets/wordnet-supersense/test.jsonl').map(
    (r) => `${r.word ?? ''}: ${r.definition ?? ''}`,
  ),
};
console.log(`bench/quality: demo model ${demo.folder} (${demo.dtype}), ${threads} threads`);
for (const [name, all] of Object.entries(texts)) {
  const docs = all
    .slice(0, docsLimit)
    .map((t) => demo.tokenizer.encode(t).slice(0, demo.contextLength))
    .filter((d) => d.length > 1);
  const results = new Map<Setup, { sum: number; count: number }[]>();
  for (const format of FORMATS)
    results.set(
      format,
      await nll(await ModelRunner.open(await at(demo, format), sessions, undefined, { baseSession: true }), docs),
    );
  const base = results.get('stored') ?? [];
  const perToken = (r: { sum: number; count: number }[]) => r.map((d) => d.sum / d.count);
  console.log(`\n${name}: ${docs.length} documents, ${base.reduce((a, d) => a + d.count, 0)} tokens`);
  for (const format of FORMATS) {
    const r = results.get(format) ?? [];
    const ppl = Math.exp(r.reduce((a, d) => a + d.sum, 0) / r.reduce((a, d) => a + d.count, 0));
    const diff = format === 'stored' ? null : pairedBootstrapDiffCI(perToken(r), perToken(base), { seed: 1 });
    const change = diff
      ? `  change ${diff.estimate.toFixed(4)} nats/token, 95% CI [${diff.ci[0].toFixed(4)}, ${diff.ci[1].toFixed(4)}]`
      : '';
    console.log(`  ${format.padEnd(7)} perplexity ${ppl.toFixed(3)}${change}`);
  }
}

console.log(
  '\nlogits drift against transformers (reference fixtures, plain cases): max |logit - reference|, argmax agreement',
);
for (const name of ['llama', 'qwen2', 'mistral'] as const) {
  const folder = join(REFERENCE_ROOT, name);
  const checkpoint = await loadCheckpoint(folder);
  const reference = await readReference(folder);
  const line: string[] = [];
  for (const format of FORMATS) {
    const runner = await ModelRunner.open(await at(checkpoint, format), sessions, undefined, { baseSession: true });
    let worst = 0;
    let agree = 0;
    let total = 0;
    for (const c of reference.cases.filter((x) => !x.lora && !x.soft_prompt)) {
      const expected = reference.logits.get(c.name);
      if (!expected) continue;
      const V = expected.dims[2] as number;
      for (const [b, prompt] of c.prompts.entries()) {
        // One row at a time without padding: the kept positions are then the prompt's own.
        const logits = await runner.forward({
          inputIds: { data: BigInt64Array.from(prompt, BigInt), dims: [1, prompt.length] },
        });
        const pad = Math.max(...c.prompts.map((p) => p.length)) - prompt.length;
        for (const [k, position] of (c.positions[b] ?? []).entries()) {
          const p = position - pad;
          if (p < 0) continue;
          const got = logits.data.subarray(p * V, (p + 1) * V);
          const want = expected.data.subarray(
            (b * (c.positions[b]?.length ?? 0) + k) * V,
            (b * (c.positions[b]?.length ?? 0) + k + 1) * V,
          );
          let argGot = 0;
          let argWant = 0;
          for (let v = 0; v < V; v++) {
            worst = Math.max(worst, Math.abs((got[v] as number) - (want[v] as number)));
            if ((got[v] as number) > (got[argGot] as number)) argGot = v;
            if ((want[v] as number) > (want[argWant] as number)) argWant = v;
          }
          agree += argGot === argWant ? 1 : 0;
          total++;
        }
      }
    }
    line.push(`${format} ${worst.toExponential(2)} (${agree}/${total})`);
  }
  console.log(`  ${name.padEnd(8)} ${line.join('   ')}`);
}
await sessions.dispose();
