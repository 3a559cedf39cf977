// The lineage of a report as a table (every object with its content hash), the same in HTML, PDF and CSV.
import type { LineageManifest } from './lineage';

export const KIND_LABELS: Record<string, string> = {
  model: 'Model',
  adapter: 'Adapter',
  templateVersion: 'Template',
  demonstrationSetVersion: 'Demonstrations',
  datasetVersion: 'Dataset',
  specialization: 'Specialization',
  experiment: 'Experiment',
  reviewRound: 'Review round',
  release: 'Release',
};

export const LINEAGE_COLUMNS = ['Part', 'Name', 'Details', 'Content hash (sha256)'];

export function lineageRows(lineage: LineageManifest): string[][] {
  return lineage.objects.map((o) => [
    KIND_LABELS[o.kind] ?? o.kind,
    o.name,
    Object.entries(o.detail)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('; '),
    o.hash ?? '—',
  ]);
}

export function madeLine(lineage: LineageManifest): string {
  return `Made by ${lineage.actor.name} on ${lineage.createdAt} with Dovetail ${lineage.appVersion}.`;
}
