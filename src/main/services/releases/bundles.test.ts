// Release bundles through the composed app (real engine, SQLite, files): a release with a trained LoRA, a template,
// demonstrations and decoding is exported as one folder; a changed, added or missing file is refused by name; an
// import into a second demo workspace finds or recreates each part with the same hashes and generates the same
// greedy outputs; an import into a fresh workspace recreates the demonstrations from the bundle's rows, same hash.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Api, BundleImport, Release } from '../../../shared/contract';
import { useDemoApp } from '../../testing/demo-app';

const demo = useDemoApp('bundles');
const TEMPLATE =
  'Examples:\n{% for e in examples %}{{ e.message }} -> {{ e.output }}\n{% endfor %}Message: {{ message }}\nJSON:';

async function waitForJob(api: Api, jobId: string): Promise<string> {
  for (;;) {
    const job = await api.adapters.job({ id: jobId });
    if (job.state === 'completed') return job.adapterId ?? '';
    if (['failed', 'cancelled', 'interrupted'].includes(job.state))
      throw new Error(`training ended ${job.state}: ${JSON.stringify(job.error)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function outputsOf(api: Api, specializationId: string, datasetVersionId: string): Promise<(string | null)[]> {
  const e = await api.experiments.create({
    name: `outputs ${specializationId}`,
    datasetVersionId,
    split: 'test',
    limit: 6,
    design: { kind: 'compare', specializationIds: [specializationId] },
    metrics: [{ kind: 'exact_match' }],
  });
  await api.experiments.run({ id: e.id });
  for (;;) {
    const state = (await api.experiments.get({ id: e.id })).state;
    if (state === 'completed') break;
    if (state !== 'running' && state !== 'created') throw new Error(`experiment ended ${state}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return (await api.experiments.outputs({ id: e.id, limit: 10 })).rows.map((r) => r.outputs[0]?.text ?? null);
}

describe('release bundles', () => {
  it('export, refuse tampering, import with identical outputs, and recreate demonstrations in a fresh workspace', async () => {
    const { api, dir } = demo;
    const triage = await demo.triageVersionId();
    const [model] = await api.models.list({});
    if (!model) throw new Error('no model');
    const template = await api.templates.save({ name: 'Bundle triage', source: TEMPLATE });
    const rows = await api.datasets.rows({ versionId: triage, split: 'train', limit: 2 });
    const demos = await api.templates.saveDemonstrations({
      name: 'Two examples',
      datasetVersionId: triage,
      rowKeys: rows.rows.map((r) => r.key),
    });
    const job = await api.adapters.startTraining({
      modelId: model.id,
      data: { kind: 'dataset', datasetVersionId: triage },
      method: 'lora',
      name: 'Bundle LoRA',
      template: {
        inputField: 'message',
        outputField: 'output',
        prompt: TEMPLATE,
        templateVersionId: template.id,
        maxRows: 16,
        validationRows: 0,
      },
      hyper: { lr: 5e-3, maxSteps: 4, batchSize: 4, evalEvery: null, checkpointEvery: null },
    });
    const adapterId = await waitForJob(api, job.id);
    const spec = await api.specializations.create({
      name: 'Bundled triage',
      modelId: model.id,
      loraAdapterId: adapterId,
      templateVersionId: template.id,
      demonstrationSetVersionId: demos.id,
      decoding: { max_new_tokens: 12 },
    });
    const release: Release = await api.releases.create({
      specializationId: spec.id,
      name: 'triage',
      version: '1.0.0',
      notes: 'shipped',
    });
    const before = await outputsOf(api, spec.id, triage);
    expect(before.filter((t) => t !== null && t.length > 0)).toHaveLength(6);

    const out = path.join(dir, 'bundles');
    fs.mkdirSync(out);
    const exported = await api.releases.exportBundle({ id: release.id, folder: out });
    expect(path.basename(exported.folder)).toBe('triage-1.0.0');
    expect(fs.readdirSync(exported.folder).sort()).toEqual([
      'adapters',
      'bundle.json',
      'demonstrations.jsonl',
      'manifest.json',
    ]);
    expect(fs.readdirSync(out)).toEqual(['triage-1.0.0']); // no staging folder left behind
    await expect(api.releases.exportBundle({ id: release.id, folder: out })).rejects.toThrow(/already exists/);

    // Tampering is named: a changed weight byte, an extra file, a missing file.
    const copy = (name: string) => {
      const to = path.join(dir, name);
      fs.cpSync(exported.folder, to, { recursive: true });
      return to;
    };
    const changed = copy('changed');
    const weights = path.join(changed, 'adapters', 'lora', 'adapter_model.safetensors');
    const bytes = fs.readFileSync(weights);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    fs.writeFileSync(weights, bytes);
    await expect(api.releases.importBundle({ folder: changed })).rejects.toThrow(
      'adapters/lora/adapter_model.safetensors does not match its sha256',
    );
    const extra = copy('extra');
    fs.writeFileSync(path.join(extra, 'notes.txt'), 'hello');
    await expect(api.releases.importBundle({ folder: extra })).rejects.toThrow(
      'notes.txt is not listed in the manifest',
    );
    const missing = copy('missing');
    fs.rmSync(path.join(missing, 'demonstrations.jsonl'));
    await expect(api.releases.importBundle({ folder: missing })).rejects.toThrow('demonstrations.jsonl is missing');

    // A second demo workspace has the model and the dataset: only the adapter and template are made from the bundle.
    await api.demo.openDemoWorkspace({ path: path.join(dir, 'second') });
    const imported: BundleImport = await api.releases.importBundle({ folder: exported.folder });
    expect(imported.sameSpecialization).toBe(true);
    expect(imported.release.specializationHash).toBe(release.specializationHash);
    expect(imported.parts.map((p) => [p.kind, p.reused])).toEqual([
      ['model', true],
      ['adapter', false],
      ['template', false],
      ['demonstrations', true],
    ]);
    expect(imported.origin.evidence).toBe(0);
    expect(imported.release.evidence).toEqual([]);
    const second = (await api.datasets.list({})).find((d) => d.name === 'Support triage')?.versions[0]?.id ?? '';
    expect(await outputsOf(api, imported.release.specializationId, second)).toEqual(before);
    // Importing again finds what is there.
    expect((await api.releases.importBundle({ folder: exported.folder })).release.id).toBe(imported.release.id);

    // A fresh workspace with only the model: the demonstrations' dataset is made from the bundle's rows, same keys.
    await api.workspace.create({ path: path.join(dir, 'fresh'), name: 'Fresh' });
    await expect(api.releases.importBundle({ folder: exported.folder })).rejects.toThrow(/needs the model/);
    const bundled = (await api.models.bundled({}))[0];
    if (!bundled) throw new Error('no bundled model');
    await api.models.add({ folder: bundled.folder });
    const fresh = await api.releases.importBundle({ folder: exported.folder });
    expect(fresh.parts.find((p) => p.kind === 'demonstrations')?.reused).toBe(false);
    // Demonstrations hash by their rows' content, so even the recreated set gives the same specialization.
    expect(fresh.sameSpecialization).toBe(true);
    const set = (await api.templates.demonstrationSets({})).at(-1);
    expect(set?.rowKeys).toEqual(rows.rows.map((r) => r.key));
    const recreated = await api.datasets.rows({ versionId: set?.datasetVersionId ?? '', split: 'train', limit: 10 });
    expect(recreated.rows.map((r) => r.data['message'])).toEqual(rows.rows.map((r) => r.data['message']));
  }, 600_000);
});
