// The lineage of a specialization: its model, adapters, template and demonstration versions, each with its content
// hash, in one manifest. Releases freeze it; reports and exported bundles reuse it.
import type { AdapterRecord } from '../../../shared/contract/adapters';
import type { ModelRecord } from '../../../shared/contract/models';
import type { Specialization } from '../../../shared/contract/specializations';
import type { DemonstrationSetVersion, TemplateVersion } from '../../../shared/contract/templates';
import { LINEAGE_SCHEMA, type LineageKind, type LineageManifest, type LineageObject } from '../../../shared/lineage';

export interface LineageSources {
  model(id: string): Promise<ModelRecord>;
  adapter(id: string): AdapterRecord;
  adapterHash(id: string): Promise<string>;
  templateVersion(id: string): TemplateVersion;
  demonstrationSetVersion(id: string): DemonstrationSetVersion;
}

export interface ManifestSubject {
  kind: LineageKind;
  id: string;
  name: string;
}

/** The objects a specialization depends on, the specialization itself first. */
export async function specializationObjects(spec: Specialization, sources: LineageSources): Promise<LineageObject[]> {
  const model = await sources.model(spec.modelId);
  const objects: LineageObject[] = [
    {
      kind: 'specialization',
      id: spec.id,
      name: spec.name,
      hash: spec.hash,
      detail: { components: spec.components.join(', ') || 'none', decoding: JSON.stringify(spec.decoding) },
    },
    { kind: 'model', id: model.id, name: model.name, hash: model.contentHash, detail: {} },
  ];
  const adapterIds = [
    ...new Set([spec.loraAdapterId, spec.softPromptAdapterId].filter((id): id is string => id !== null)),
  ];
  for (const id of adapterIds) {
    const a = sources.adapter(id);
    objects.push({
      kind: 'adapter',
      id,
      name: a.name,
      hash: await sources.adapterHash(id),
      detail: { method: a.method, source: a.source },
    });
  }
  if (spec.templateVersionId !== null) {
    const t = sources.templateVersion(spec.templateVersionId);
    objects.push({
      kind: 'templateVersion',
      id: t.id,
      name: `${t.name} v${t.version}`,
      hash: t.contentHash,
      detail: { status: t.status },
    });
  }
  if (spec.demonstrationSetVersionId !== null) {
    const d = sources.demonstrationSetVersion(spec.demonstrationSetVersionId);
    objects.push({
      kind: 'demonstrationSetVersion',
      id: d.id,
      name: `${d.name} v${d.version}`,
      hash: d.contentHash,
      detail: { examples: d.rowKeys.length },
    });
  }
  return objects;
}

export function manifest(
  subject: ManifestSubject,
  objects: LineageObject[],
  made: { appVersion: string; actor: { id: string | null; name: string }; at: Date },
): LineageManifest {
  return {
    schema: LINEAGE_SCHEMA,
    subject,
    objects,
    appVersion: made.appVersion,
    actor: made.actor,
    createdAt: made.at.toISOString(),
  };
}
