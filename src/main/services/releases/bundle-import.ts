// Imports a release bundle into the open workspace: the folder is verified against its manifest first, then each
// part is found (same content hash) or recreated, and checked against the hash the bundle names before the
// specialization and the release are made. Evidence and approvals stay with the workspace that made them: a bundle is
// not signed, so they are shown from bundle.json but never count for this workspace's gates.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import type { DatasetSummary, FieldMapping, ImportDataset } from '../../../shared/contract/datasets';
import type { ModelRecord } from '../../../shared/contract/models';
import type { Specialization, SpecializationParts } from '../../../shared/contract/specializations';
import type {
  DemonstrationSelection,
  DemonstrationSetVersion,
  SaveTemplate,
  TemplateSummary,
  TemplateVersion,
} from '../../../shared/contract/templates';
import { UserError } from '../../../shared/errors';
import { BUNDLE_FILE, BundleFile, DEMONSTRATIONS_FILE, KEY_COLUMN } from './bundle-format';
import { verifyBundle } from './bundle-files';

export interface ImportTargets {
  models(): Promise<ModelRecord[]>;
  adapters(): Promise<AdapterRecord[]>;
  adapterHash(id: string): Promise<string>;
  importAdapter(arg: { folder: string; modelId: string; name: string }): Promise<AdapterRecord>;
  removeAdapter(id: string): Promise<void>;
  templates(): Promise<TemplateSummary[]>;
  saveTemplate(arg: SaveTemplate): Promise<TemplateVersion>;
  saveDemonstrations(arg: {
    name: string;
    datasetVersionId: string;
    rowKeys: string[];
    selection: DemonstrationSelection;
    message: string;
  }): Promise<DemonstrationSetVersion>;
  datasets(): Promise<DatasetSummary[]>;
  importDataset(arg: ImportDataset): Promise<{ versionId: string; datasetId: string }>;
  createSpecialization(arg: SpecializationParts & { name: string }): Promise<Specialization>;
}

export interface ImportedParts {
  bundle: BundleFile;
  specialization: Specialization;
  files: number;
  /** Each part: whether it was already here (same content hash) or made from the bundle. */
  parts: { kind: string; name: string; hash: string; reused: boolean }[];
}

export async function importBundleParts(folder: string, targets: ImportTargets): Promise<ImportedParts> {
  const files = await verifyBundle(folder);
  const parsed = BundleFile.safeParse(JSON.parse(await fs.readFile(path.join(folder, BUNDLE_FILE), 'utf8')));
  if (!parsed.success)
    throw new UserError(`${BUNDLE_FILE} in ${folder} is not a bundle this version reads`, {
      code: 'bundle-invalid',
      where: BUNDLE_FILE,
      hint: parsed.error.issues[0]?.message ?? '',
    });
  const bundle = parsed.data;
  const parts: ImportedParts['parts'] = [];
  const model = (await targets.models()).find((m) => m.contentHash === bundle.model.contentHash);
  if (!model) {
    throw new UserError(
      `This release needs the model "${bundle.model.name}" (content hash ${bundle.model.contentHash.slice(0, 16)}…), which this workspace does not have`,
      {
        code: 'bundle-model',
        where: 'model',
        hint:
          'Add the same model folder in Models (its files must be byte for byte the same), then import the ' +
          'bundle again.',
      },
    );
  }
  parts.push({ kind: 'model', name: model.name, hash: model.contentHash, reused: true });
  const lora = bundle.lora ? await adapter(folder, bundle.lora, model, targets, parts) : null;
  const soft = bundle.softPrompt
    ? bundle.lora && bundle.softPrompt.folder === bundle.lora.folder
      ? lora
      : await adapter(folder, bundle.softPrompt, model, targets, parts)
    : null;
  const templateVersionId = bundle.template ? await template(bundle, targets, parts) : null;
  const demonstrationSetVersionId = bundle.demonstrations ? await demonstrations(folder, bundle, targets, parts) : null;
  const specialization = await targets.createSpecialization({
    name: bundle.release.specializationName,
    modelId: model.id,
    loraAdapterId: lora?.id ?? null,
    softPromptAdapterId: soft?.id ?? null,
    templateVersionId,
    demonstrationSetVersionId,
    decoding: bundle.decoding,
  });
  return { bundle, specialization, files, parts };
}

async function adapter(
  folder: string,
  part: NonNullable<BundleFile['lora']>,
  model: ModelRecord,
  targets: ImportTargets,
  parts: ImportedParts['parts'],
): Promise<AdapterRecord> {
  for (const a of await targets.adapters()) {
    if (a.modelId === model.id && (await targets.adapterHash(a.id)) === part.contentHash) {
      parts.push({ kind: 'adapter', name: a.name, hash: part.contentHash, reused: true });
      return a;
    }
  }
  const made = await targets.importAdapter({
    folder: path.join(folder, ...part.folder.split('/')),
    modelId: model.id,
    name: part.name,
  });
  const hash = await targets.adapterHash(made.id);
  if (hash !== part.contentHash) {
    await targets.removeAdapter(made.id);
    throw new UserError(`The adapter "${part.name}" imported with another content hash than the bundle names`, {
      code: 'bundle-part',
      where: part.folder,
      hint: 'The bundle may come from a newer Dovetail; export it again with this version.',
    });
  }
  parts.push({ kind: 'adapter', name: made.name, hash, reused: false });
  return made;
}

async function template(bundle: BundleFile, targets: ImportTargets, parts: ImportedParts['parts']): Promise<string> {
  const t = bundle.template as NonNullable<BundleFile['template']>;
  const existing = (await targets.templates()).find((s) => s.latest.contentHash === t.contentHash);
  if (existing) {
    parts.push({
      kind: 'template',
      name: `${existing.name} v${existing.latest.version}`,
      hash: t.contentHash,
      reused: true,
    });
    return existing.latest.id;
  }
  const taken = new Set((await targets.templates()).map((s) => s.name));
  const name = taken.has(t.name) ? `${t.name} (${bundle.release.name} ${bundle.release.version})` : t.name;
  const saved = await targets.saveTemplate({
    name,
    source: t.source,
    system: t.system,
    chat: t.chat,
    message: `From the bundle of ${bundle.release.name} ${bundle.release.version} (was v${t.version})`,
  });
  if (saved.contentHash !== t.contentHash)
    throw new UserError(`The template "${t.name}" saved with another content hash than the bundle names`, {
      code: 'bundle-part',
      where: BUNDLE_FILE,
    });
  parts.push({ kind: 'template', name: `${saved.name} v${saved.version}`, hash: saved.contentHash, reused: false });
  return saved.id;
}

async function demonstrations(
  folder: string,
  bundle: BundleFile,
  targets: ImportTargets,
  parts: ImportedParts['parts'],
): Promise<string> {
  const d = bundle.demonstrations as NonNullable<BundleFile['demonstrations']>;
  // The same dataset version (by content) keeps the specialization's hash; otherwise the rows come from the bundle.
  let datasetVersionId = (await targets.datasets())
    .flatMap((s) => s.versions)
    .find((v) => v.contentHash === d.dataset.contentHash)?.id;
  const reused = datasetVersionId !== undefined;
  if (datasetVersionId === undefined) {
    // The rows keep their keys: from the dataset's own key field, or (a dataset keyed by content) from the bundle's.
    const mapping: FieldMapping[] = d.dataset.fields.map((f) => ({ source: f.name, name: f.name, role: f.role }));
    if (d.dataset.roles.key === null) mapping.push({ source: KEY_COLUMN, name: KEY_COLUMN, role: 'key' });
    const made = await targets.importDataset({
      newName: `${d.dataset.name} (demonstrations of ${bundle.release.name} ${bundle.release.version})`,
      message: 'Imported with a release bundle',
      files: [{ path: path.join(folder, DEMONSTRATIONS_FILE), split: 'train' }],
      mapping,
      split: { kind: 'given' },
    });
    datasetVersionId = made.versionId;
  }
  const set = await targets.saveDemonstrations({
    name: d.name,
    datasetVersionId,
    rowKeys: d.rowKeys,
    selection: d.selection,
    message: `From the bundle of ${bundle.release.name} ${bundle.release.version}`,
  });
  parts.push({ kind: 'demonstrations', name: `${set.name} v${set.version}`, hash: set.contentHash, reused });
  return set.id;
}
