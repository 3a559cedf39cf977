// The round trip of an exported training job on the demo model (the GPU proof in docs/job-export.md):
//   node bench/run.mjs tools/job-export/roundtrip.ts export DIR     the demo's joint job (planned) as a job folder
//   node bench/run.mjs tools/job-export/roundtrip.ts train          the same job trained here, by Dovetail
//   node bench/run.mjs tools/job-export/roundtrip.ts compare OUT    import OUT (the job's output, run elsewhere) and
//                                                                  compare it with the local adapter on the test split
// --workspace DIR (default /tmp/dovetail-roundtrip) keeps the demo workspace between phases; --limit N test rows;
// --model DIR trains on that checkpoint (registered in the workspace) instead of the demo model: it must read the
// demo's tokenizer (tools/job-export/make_tiny_qwen3.py writes one of another architecture).
import { basename, join, resolve } from 'node:path';
import type { Api, TrainingSpecIn } from '../../src/shared/contract';
import { DEMO_RECIPES } from '../../src/shared/demo-recipes';
import { composeApp } from '../../src/main/compose';
import { localClient } from '../../src/main/headless/local-client';
import { demoTrainingSpec, trainForDemo } from '../../src/main/headless/demo-training';
import { formatResults } from '../../src/main/headless/print-results';
import { waitForExperiment } from '../../src/main/headless/wait';
import { DEMO_TEMPLATES } from '../../src/main/services/demo/demo-service';
import { bundleEngineWorker } from '../../src/main/host/testing/engine-worker-bundle';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const [phase, target] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const workspace = resolve(flag('workspace') ?? '/tmp/dovetail-roundtrip');
const limit = Number(flag('limit') ?? 400);
const recipe = DEMO_RECIPES['support-triage'];
const bundled = DEMO_TEMPLATES.find((t) => t.name === recipe?.template);
if (!recipe || !bundled) throw new Error('the demo recipe or its template is missing');

const bundle = await bundleEngineWorker();
const app = composeApp({
  shell: 'browser',
  version: 'roundtrip',
  userDataDir: join(workspace, '..', 'dovetail-roundtrip-user'),
  engineWorkerScript: bundle.script,
  log: () => undefined,
});
const api: Api = localClient(app.dispatcher);
const log = (...lines: string[]): void => console.log(lines.join('\n'));
try {
  const demo = await api.demo.openDemoWorkspace({ path: workspace });
  const other = flag('model');
  const modelId = other
    ? (
        (await api.models.list({})).find((m) => m.folder === resolve(other)) ??
        (await api.models.add({ folder: resolve(other) }))
      ).id
    : (demo.modelIds[0] as string);
  const version = (await api.datasets.list({})).find((d) => d.name === 'Support triage')?.versions[0];
  if (!version) throw new Error('no Support triage dataset');
  const template =
    (await api.templates.list({})).find((t) => t.name === bundled.name)?.latest ??
    (await api.templates.save({ name: bundled.name, source: bundled.source, message: bundled.message }));
  const parts = {
    modelId,
    datasetVersionId: version.id,
    templateVersionId: template.id,
    templateSource: bundled.source,
  };
  const demoSpec: TrainingSpecIn = demoTrainingSpec(recipe, 'both', parts, false);
  const spec: TrainingSpecIn = other ? { ...demoSpec, name: `${demoSpec.name} on ${basename(other)}` } : demoSpec;
  if (phase === 'export') {
    const out = await api.adapters.exportJob({ spec, to: resolve(target ?? 'job'), gpus: 2 });
    log(JSON.stringify(out, null, 2));
  } else if (phase === 'train') {
    const trained = await trainForDemo(api, 'both', spec, log);
    log(JSON.stringify({ jobId: trained.job.id, adapterId: trained.job.adapterId, history: trained.job.history }));
  } else if (phase === 'compare') {
    const local = (await api.adapters.jobs({})).find((j) => j.name === spec.name && j.state === 'completed');
    if (!local?.adapterId) throw new Error('train first');
    const imported = await api.adapters.importPeft({
      folder: resolve(target ?? 'output'),
      modelId,
      name: 'Demo joint adapter, trained on the GPU from the exported job',
    });
    const details = await api.adapters.get({ id: imported.id });
    log(`Imported ${imported.id}: active ${imported.check.active}`, JSON.stringify(details.lineage, null, 2));
    const common = {
      modelId,
      templateVersionId: template.id,
      decoding: { do_sample: false, max_new_tokens: recipe.maxNewTokens, seed: 0 },
    };
    const make = (name: string, adapterId: string | null) =>
      api.specializations.create({
        ...common,
        name,
        ...(adapterId ? { loraAdapterId: adapterId, softPromptAdapterId: adapterId } : {}),
      });
    const here = await make('Round trip: trained by Dovetail', local.adapterId);
    const gpu = await make('Round trip: trained from the exported job (GPU)', imported.id);
    const base = { datasetVersionId: version.id, split: 'test' as const, limit, seed: 0, batchSize: 32 };
    const comparison = await api.experiments.create({
      ...base,
      name: 'Round trip: Dovetail vs exported job',
      metrics: [...recipe.metrics],
      design: { kind: 'compare', specializationIds: [here.id, gpu.id] },
    });
    await api.experiments.run({ id: comparison.id });
    await waitForExperiment(api, comparison.id, 'Comparison');
    log(...formatResults(await api.experiments.results({ id: comparison.id })));
    const ablation = await api.experiments.create({
      ...base,
      name: 'Round trip: ablation of the exported job adapter',
      metrics: [...recipe.metrics],
      design: { kind: 'ablation', specializationId: gpu.id },
    });
    await api.experiments.run({ id: ablation.id });
    await waitForExperiment(api, ablation.id, 'Ablation');
    log(...formatResults(await api.experiments.results({ id: ablation.id })));
  } else throw new Error('phase: export DIR | train | compare OUTPUT');
} finally {
  await app.dispose();
  await bundle.remove();
}
