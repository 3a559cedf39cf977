// `probe <probe.json>` runs a robustness probe and prints the consistency table; `audit-drift <release>` re-runs a
// release's audit set and exits 1 on drift (with --strict, on warnings too), for CI pipelines.
import { z } from 'zod';
import type { Api, DriftAudit, ProbeResults, Release } from '../../shared/contract';
import { PerturbationKind } from '../../shared/contract/robustness';
import { UserError } from '../../shared/errors';
import { datasetVersionNamed, EvalFile, readJsonFile, specializationsNamed } from './eval';
import { waitForExperiment } from './wait';

/** As an experiment file (dataset and specializations by name or id), with the perturbation kinds. */
export const ProbeFile = EvalFile.pick({
  name: true,
  dataset: true,
  split: true,
  limit: true,
  specializations: true,
  metrics: true,
  seed: true,
})
  .extend({
    kinds: z
      .array(PerturbationKind)
      .min(1)
      .default([...PerturbationKind.options]),
  })
  .strict();

export async function runProbe(api: Api, path: string, o: { log: (...lines: string[]) => void }): Promise<number> {
  const f = await readJsonFile(path, ProbeFile, 'a probe file', 'see README (robustness probes)');
  const probe = await api.robustness.startProbe({
    name: f.name,
    datasetVersionId: (await datasetVersionNamed(api, f.dataset, path)).id,
    specializationIds: await specializationsNamed(api, f.specializations, path),
    split: f.split,
    limit: f.limit,
    kinds: f.kinds,
    seed: f.seed,
    metrics: f.metrics,
  });
  for (const [id, title] of [
    [probe.cleanExperimentId, `${f.name}: clean`],
    [probe.probeExperimentId, `${f.name}: perturbed`],
  ] as const) {
    const ran = await waitForExperiment(api, id, title);
    if (ran.state !== 'completed')
      throw new UserError(`${title} ended ${ran.state}: ${ran.error?.message ?? ''}`, {
        hint: 'Run the experiment again from the app to resume it.',
      });
  }
  o.log(...formatProbe(await api.robustness.probeResults({ id: probe.id })));
  return 0;
}

const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(0)}%`);
const ci = (c: [number, number] | null): string => (c === null ? '' : ` [${pct(c[0])}, ${pct(c[1])}]`);

export function formatProbe(r: ProbeResults): string[] {
  const rows = r.rows.map((x) => [
    x.label,
    x.kind,
    `${pct(x.consistency.rate)}${ci(x.consistency.ci)}`,
    `${pct(x.accuracy.rate)}${ci(x.accuracy.ci)}`,
    `${pct(x.cleanAccuracy.rate)}${ci(x.cleanAccuracy.ci)}`,
    String(x.consistency.n),
  ]);
  const header = ['specialization', 'perturbation', 'consistency [95% CI]', 'accuracy [95% CI]', 'clean accuracy', 'n'];
  return [
    `Probe ${r.probe.spec.name} (seed ${r.probe.spec.seed}; variants: dataset version ${r.probe.variantsVersionId})`,
    ...table([header, ...rows]),
    ...(r.findings.length === 0 ? ['No kind lowered consistency or accuracy with 95% confidence.'] : r.findings),
  ];
}

/** `audit-drift <release>`: the release by id, name@version, or name (its newest version). */
export async function runDriftAudit(
  api: Api,
  name: string | undefined,
  o: { strict: boolean; log: (...lines: string[]) => void },
): Promise<number> {
  const release = findRelease(await api.releases.list({}), name);
  const started = await api.robustness.startAudit({ releaseId: release.id, trigger: 'cli' });
  await waitForExperiment(api, started.experimentId, `Drift audit of ${release.name} ${release.version}`);
  const audit = await api.robustness.audit({ id: started.id });
  o.log(...formatAudit(release, audit));
  return audit.state === 'passed' || (audit.state === 'warning' && !o.strict) ? 0 : 1;
}

function findRelease(releases: readonly Release[], name: string | undefined): Release {
  const [n, v] = (name ?? '').split('@');
  const found =
    releases.find((r) => r.id === name) ?? releases.find((r) => r.name === n && (v === undefined || r.version === v));
  if (!found)
    throw new UserError(`No release "${name ?? ''}" in this workspace`, {
      where: 'release',
      hint: `Name it by id, name@version or name. Known: ${releases.map((r) => `${r.name}@${r.version}`).join(', ') || 'none'}`,
    });
  return found;
}

export function formatAudit(release: Release, a: DriftAudit): string[] {
  const c = a.comparison;
  const lines = [`Drift audit of ${release.name} ${release.version}: ${a.state.toUpperCase()}`];
  if (a.error) lines.push(a.error);
  if (c) {
    lines.push(
      ...table([
        ['metric', 'recorded', 'now', 'change [95% CI]', 'p', 'test'],
        ...c.metrics.map((m) => [
          m.label,
          pct(m.recorded),
          pct(m.now),
          `${pct(m.diff)}${ci(m.ci)}`,
          m.p === null ? '-' : m.p.toPrecision(2),
          m.test,
        ]),
      ]),
      `${c.changedOutputs} of ${c.n} outputs changed; decode time ${c.latency.recordedMsPerToken?.toFixed(1) ?? '-'} ms per token recorded, ${c.latency.nowMsPerToken?.toFixed(1) ?? '-'} ms now.`,
      ...c.notes,
    );
  }
  lines.push(...a.flags.map((f) => `${f.severity === 'drift' ? 'DRIFT' : 'warning'} (${f.aspect}): ${f.message}`));
  return lines;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
