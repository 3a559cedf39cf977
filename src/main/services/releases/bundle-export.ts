// Writes a release as a bundle folder: written under a temporary name beside the target and renamed when complete,
// so a failed export leaves nothing that looks like a bundle.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AdapterRecord } from '../../../shared/contract/adapters';
import { FieldRole } from '../../../shared/contract/datasets';
import type { Release } from '../../../shared/contract/releases';
import type { Specialization } from '../../../shared/contract/specializations';
import type { DemonstrationSetVersion, TemplateVersion } from '../../../shared/contract/templates';
import { UserError } from '../../../shared/errors';
import { removeQuietly } from '../../platform/files/atomic';
import type { DatasetRow, DatasetVersionFacts } from '../datasets';
import {
  BUNDLE_FILE,
  BUNDLE_SCHEMA,
  bundleFolderName,
  DEMONSTRATIONS_FILE,
  KEY_COLUMN,
  MANIFEST_FILE,
  type BundleFile,
} from './bundle-format';
import { manifestOf } from './bundle-files';

export interface ExportSources {
  specialization(id: string): Specialization;
  model(id: string): Promise<{ name: string; contentHash: string }>;
  adapter(id: string): AdapterRecord;
  adapterHash(id: string): Promise<string>;
  templateVersion(id: string): TemplateVersion;
  demonstrationSetVersion(id: string): DemonstrationSetVersion;
  datasetFacts(versionId: string): DatasetVersionFacts;
  datasetRows(versionId: string, keys: readonly string[]): DatasetRow[];
}

/** Writes `<parent>/<name>-<version>/`; returns its path and the number of files. */
export async function exportBundle(
  release: Release,
  parent: string,
  sources: ExportSources,
): Promise<{ folder: string; files: number }> {
  const target = path.join(parent, bundleFolderName(release.name, release.version));
  if (
    await fs.lstat(target).then(
      () => true,
      () => false,
    )
  ) {
    throw new UserError(`${target} already exists`, {
      code: 'bundle-exists',
      where: 'folder',
      hint: 'Choose another folder, or move the old bundle away first.',
    });
  }
  await fs.mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.${path.basename(target)}.${randomUUID()}.partial`);
  try {
    await fs.mkdir(staging);
    const bundle = await writeParts(release, staging, sources);
    await fs.writeFile(path.join(staging, BUNDLE_FILE), `${JSON.stringify(bundle, null, 2)}\n`);
    const manifest = await manifestOf(staging);
    await fs.writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await fs.rename(staging, target);
    return { folder: target, files: manifest.files.length + 1 };
  } catch (error) {
    await removeQuietly(staging);
    throw error;
  }
}

async function writeParts(release: Release, dir: string, sources: ExportSources): Promise<BundleFile> {
  const spec = sources.specialization(release.specializationId);
  const model = await sources.model(spec.modelId);
  const adapterPart = async (id: string | null, folder: string): Promise<BundleFile['lora']> => {
    if (id === null) return null;
    const a = sources.adapter(id);
    await fs.cp(a.folder, path.join(dir, ...folder.split('/')), {
      recursive: true,
      dereference: false,
      errorOnExist: true,
      force: false,
    });
    return { folder, name: a.name, contentHash: await sources.adapterHash(id) };
  };
  const lora = await adapterPart(spec.loraAdapterId, 'adapters/lora');
  const softPrompt =
    spec.softPromptAdapterId !== null && spec.softPromptAdapterId === spec.loraAdapterId && lora
      ? { ...lora }
      : await adapterPart(spec.softPromptAdapterId, 'adapters/soft-prompt');
  let template: BundleFile['template'] = null;
  if (spec.templateVersionId !== null) {
    const t = sources.templateVersion(spec.templateVersionId);
    template = {
      name: t.name,
      version: t.version,
      source: t.source,
      system: t.system,
      chat: t.chat,
      contentHash: t.contentHash,
    };
  }
  let demonstrations: BundleFile['demonstrations'] = null;
  if (spec.demonstrationSetVersionId !== null) {
    const d = sources.demonstrationSetVersion(spec.demonstrationSetVersionId);
    const facts = sources.datasetFacts(d.datasetVersionId);
    const rows = sources.datasetRows(d.datasetVersionId, d.rowKeys);
    await fs.writeFile(
      path.join(dir, DEMONSTRATIONS_FILE),
      rows
        .map((r) => JSON.stringify(facts.roles.key === null ? { ...r.data, [KEY_COLUMN]: r.key } : r.data))
        .join('\n') + '\n',
    );
    demonstrations = {
      name: d.name,
      rowKeys: d.rowKeys,
      selection: d.selection,
      dataset: {
        name: facts.name,
        contentHash: facts.contentHash,
        fields: facts.fields.map((f) => ({ name: f.name, role: FieldRole.parse(f.role) })),
        roles: facts.roles,
      },
    };
  }
  return {
    schema: BUNDLE_SCHEMA,
    release: {
      name: release.name,
      version: release.version,
      notes: release.notes,
      authorName: release.authorName,
      createdAt: release.createdAt,
      specializationName: release.specializationName,
      specializationHash: release.specializationHash,
      evidence: release.evidence,
      approvals: release.approvals,
    },
    lineage: release.manifest,
    model: { name: model.name, contentHash: model.contentHash },
    decoding: spec.decoding,
    lora,
    softPrompt,
    template,
    demonstrations,
  };
}
