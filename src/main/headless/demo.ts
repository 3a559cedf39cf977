// `npm run demo`: Dovetail's main job, headless, on the bundled demo model. Opens (or creates) the demo workspace,
// trains three adapters on the support-triage train split with the dataset's recipe (src/shared/demo-recipes.ts):
// a LoRA and a soft prompt together, a LoRA alone and a soft prompt alone. Then it runs the full ablation of the
// joint specialization (template x LoRA x soft prompt) and a comparison of the parts trained on their own
// ("prompt vs adapter vs both") on the test split, prints both tables with CIs and the verdict, and writes a
// self-contained HTML summary. With formats (--formats q8,q4) it then checks the ablation at those weight formats and
// prints each cell's main metric against the stored precision, paired per row. Every step is reused when already
// done, and a killed run resumes where it stopped.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Api, Experiment, ExperimentResults, ExperimentSpecIn, FormatComparison } from '../../shared/contract';
import { DEMO_RECIPES } from '../../shared/demo-recipes';
import { BugError, UserError } from '../../shared/errors';
import { DEMO_TEMPLATES } from '../services/demo/demo-service';
import { DEMO_METHODS, demoTrainingSpec, trainForDemo, type DemoTraining } from './demo-training';
import { formatFormatComparison, formatResults } from './print-results';
import { WEIGHT_FORMAT_NAMES, type QuantizedWeightFormat } from '../../shared/weight-format';
import { writeReport } from './report';
import { waitForExperiment } from './wait';

export const DEMO_DATASET = 'Support triage';
const RECIPE = DEMO_RECIPES['support-triage'];

export interface DemoOptions {
  /** The demo workspace folder (default: the app's "Dovetail demo"). */
  workspace?: string;
  /** A short run (a few training steps, a few test rows) for smoke tests. */
  quick: boolean;
  /** Weight formats to check the ablation at afterwards (none: no check). */
  formats?: QuantizedWeightFormat[];
  log: (...lines: string[]) => void;
}

/** The --formats flag: "q8", "q4" or both, comma-separated (undefined: no check). */
export function demoFormats(flag: string | undefined): QuantizedWeightFormat[] | undefined {
  if (flag === undefined) return undefined;
  const names = flag.split(',').map((f) => f.trim());
  const bad = names.find((f) => f !== 'q8' && f !== 'q4');
  if (bad !== undefined || names.length === 0)
    throw new UserError(`--formats: "${bad ?? flag}" is not a weight format to check`, {
      where: '--formats',
      hint: 'Name q8, q4 or both, comma-separated: --formats q8,q4',
      code: 'bad-flag',
    });
  return [...new Set(names as QuantizedWeightFormat[])];
}

export interface DemoOutcome {
  reportPath: string;
  passed: boolean | null;
  significant: boolean;
  ablation: ExperimentResults;
  /** Template only, then the LoRA and the soft prompt each trained alone, then both trained together. */
  comparison: ExperimentResults;
  /** The ablation at the formats checked (null: none asked for). */
  formats: FormatComparison | null;
}

export async function runDemo(api: Api, o: DemoOptions): Promise<DemoOutcome> {
  if (RECIPE === undefined) throw new BugError('The support-triage dataset has no demo recipe');
  const t0 = performance.now();
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  const demo = await api.demo.openDemoWorkspace(o.workspace === undefined ? {} : { path: o.workspace });
  o.log(`Workspace: ${demo.workspace.path} (${demo.reopened ? 'reopened' : 'created'})`);
  const modelId = demo.modelIds[0];
  if (modelId === undefined)
    throw new UserError('The demo workspace has no model', {
      hint: 'Reinstall Dovetail: the bundled demo model is missing.',
    });
  const dataset = (await api.datasets.list({})).find((d) => d.name === DEMO_DATASET);
  const version = dataset?.versions[0];
  if (!dataset || !version)
    throw new UserError(`The demo workspace has no "${DEMO_DATASET}" dataset`, {
      hint: 'Reinstall Dovetail: the bundled demo datasets are missing.',
    });
  o.log(`Dataset: ${dataset.name} v${version.version} (${version.rowCount} rows)`);
  const bundled = DEMO_TEMPLATES.find((t) => t.name === RECIPE.template);
  if (bundled === undefined)
    throw new BugError(`The demo recipe names the template "${RECIPE.template}", which is not bundled`);
  const template =
    (await api.templates.list({})).find((t) => t.name === bundled.name)?.latest ??
    (await api.templates.save({ name: bundled.name, source: bundled.source, message: bundled.message }));

  // 1. Train (or reuse) the joint adapter and the two trained alone.
  const parts = {
    modelId,
    datasetVersionId: version.id,
    templateVersionId: template.id,
    templateSource: bundled.source,
  };
  const trained: DemoTraining[] = [];
  for (const method of DEMO_METHODS)
    trained.push(await trainForDemo(api, method, demoTrainingSpec(RECIPE, method, parts, o.quick), o.log));
  o.log(`Adapters ready (${elapsed()})`);
  const [joint, loraAlone, softAlone] = trained as [DemoTraining, DemoTraining, DemoTraining];

  // 2. The specializations: the joint one (taken apart by the ablation) and the template with each part trained alone.
  const suffix = o.quick ? ' (quick)' : '';
  const common = {
    modelId,
    templateVersionId: template.id,
    decoding: { do_sample: false, max_new_tokens: RECIPE.maxNewTokens, seed: 0 },
  };
  const full = await api.specializations.create({
    ...common,
    name: `Triage demo${suffix}`,
    loraAdapterId: joint.job.adapterId,
    softPromptAdapterId: joint.job.adapterId,
  });
  const templateOnly = await api.specializations.create({ ...common, name: `Triage demo: template only${suffix}` });
  const loraOnly = await api.specializations.create({
    ...common,
    name: `Triage demo: template + LoRA trained alone${suffix}`,
    loraAdapterId: loraAlone.job.adapterId,
  });
  const softOnly = await api.specializations.create({
    ...common,
    name: `Triage demo: template + soft prompt trained alone${suffix}`,
    softPromptAdapterId: softAlone.job.adapterId,
  });

  const base = {
    datasetVersionId: version.id,
    split: 'test' as const,
    limit: o.quick ? 12 : null,
    seed: 0,
    batchSize: 32,
    metrics: [...RECIPE.metrics],
  };
  const ablation = await runExperiment(
    api,
    { ...base, name: `Demo ablation${suffix}`, design: { kind: 'ablation', specializationId: full.id } },
    o.log,
  );
  // Template-only and joint outputs are the ablation's (outputs are stored by content): only two cells are new.
  const comparison = await runExperiment(
    api,
    {
      ...base,
      name: `Demo: prompt vs adapter vs both${suffix}`,
      design: { kind: 'compare', specializationIds: [templateOnly.id, loraOnly.id, softOnly.id, full.id] },
    },
    o.log,
  );

  // 3. Results.
  const ablationResults = await api.experiments.results({ id: ablation.id });
  const comparisonResults = await api.experiments.results({ id: comparison.id });
  o.log(
    '',
    'Ablation of the jointly trained specialization (parts switched off):',
    '',
    ...formatResults(ablationResults),
    '',
  );
  o.log(
    'Prompt vs adapter vs both (each adapter trained on its own, all with the template):',
    '',
    ...formatResults(comparisonResults),
    '',
  );
  const pct = (v: number | null | undefined): string =>
    v === null || v === undefined ? '-' : `${(v * 100).toFixed(1)}%`;
  const preface = [
    {
      title: 'How the adapters were trained',
      lines: [
        `Base model: the bundled demo model; data: ${dataset.name} v${version.version}, train split (validation split for the validation loss)`,
        `Template: ${template.name} v${template.version}, the same one the specializations are served with; target: the ${RECIPE.outputField} field`,
        `LoRA r ${RECIPE.lora.r ?? '-'}, alpha ${RECIPE.lora.alpha ?? '-'}, on ${(RECIPE.lora.targets ?? []).join(', ')}; soft prompt of ${RECIPE.softPrompt.n ?? '-'} virtual tokens`,
        ...trained.map(
          (t) =>
            `${t.spec.name ?? ''}: lr ${t.spec.hyper?.lr ?? '-'}, ${t.job.progress?.step ?? '-'} steps of batch ${t.spec.hyper?.batchSize ?? '-'} (seed ${t.spec.hyper?.seed ?? 0}); final training loss ${t.job.progress?.loss?.toFixed(3) ?? '-'}, validation loss ${t.job.progress?.valLoss?.toFixed(3) ?? '-'}`,
        ),
        `Decoding: greedy, at most ${RECIPE.maxNewTokens} new tokens; outputs stored per (specialization, example, decoding, seed) and reused on reruns`,
      ],
    },
    {
      title: 'Prompt vs adapter vs both (each trained on its own)',
      lines: comparisonResults.cells.map(
        (c) =>
          `${c.cell.label}: ${c.metrics[0]?.label ?? ''} ${pct(c.metrics[0]?.value)} (95% CI ${pct(c.metrics[0]?.ci?.[0])} to ${pct(c.metrics[0]?.ci?.[1])}), n ${c.n}`,
      ),
    },
  ];
  const formats = o.formats?.length ? await checkFormats(api, ablation.id, o.formats, o.log) : null;
  const report = await api.reports.generate({ kind: 'experiment', subject: ablation.id, notes: preface });
  const folder = join(demo.workspace.path, 'reports');
  await mkdir(folder, { recursive: true });
  const stem = join(folder, o.quick ? 'demo-summary-quick' : 'demo-summary');
  const reportPath = `${stem}.html`;
  await writeReport(api, report.id, reportPath);
  await writeReport(api, report.id, `${stem}.pdf`);
  o.log(`Summary: ${reportPath} (and ${stem}.pdf)`, `Done in ${elapsed()}.`);
  const whole = ablationResults.ablation?.fullVsBase;
  return {
    reportPath,
    passed: ablationResults.passed,
    significant: whole !== undefined && whole.ci[0] > 0 && whole.p < 0.05,
    ablation: ablationResults,
    comparison: comparisonResults,
    formats,
  };
}

/** The ablation's cells again at each format (outputs already stored are reused), printed against the stored ones. */
async function checkFormats(
  api: Api,
  id: string,
  formats: QuantizedWeightFormat[],
  log: (...lines: string[]) => void,
): Promise<FormatComparison> {
  log(`Checking the ablation at ${formats.map((f) => WEIGHT_FORMAT_NAMES[f]).join(' and ')}`);
  await api.experiments.checkFormats({ id, formats });
  const ran = await waitForExperiment(api, id, 'Weight formats');
  if (ran.state !== 'completed')
    throw new UserError(`The weight format check ended ${ran.state}: ${ran.error?.message ?? ''}`, {
      hint: ran.error?.hint ?? 'Run it again: outputs already made are reused.',
    });
  const comparison = await api.experiments.formatComparison({ id });
  log(
    '',
    'Weight formats (each ablation cell at the format against the stored precision, paired per row):',
    '',
    ...formatFormatComparison(comparison),
    '',
  );
  return comparison;
}

/** The experiment of this name and cells, created when missing, run (or resumed) until complete. */
async function runExperiment(api: Api, spec: ExperimentSpecIn, log: (...lines: string[]) => void): Promise<Experiment> {
  const same = (e: Experiment): boolean =>
    e.name === spec.name &&
    e.spec.limit === (spec.limit ?? null) &&
    JSON.stringify(e.spec.design) === JSON.stringify(spec.design);
  const existing = (await api.experiments.list({})).find(same);
  const experiment = existing ?? (await api.experiments.create(spec));
  if (experiment.state !== 'completed') {
    log(
      `${existing ? 'Resuming' : 'Running'} "${experiment.name}": ${experiment.cells.length} cells x ${experiment.spec.limit ?? 'all'} test rows`,
    );
    await api.experiments.run({ id: experiment.id });
  }
  const ran = await waitForExperiment(api, experiment.id, spec.design.kind === 'ablation' ? 'Ablation' : 'Comparison');
  if (ran.state !== 'completed')
    throw new UserError(`"${ran.name}" ended ${ran.state}: ${ran.error?.message ?? ''}`, {
      hint: ran.error?.hint ?? 'Run npm run demo again to resume.',
    });
  return ran;
}
