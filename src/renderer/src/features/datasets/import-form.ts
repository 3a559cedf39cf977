// The Import dialog's state and how it becomes a `datasets.import` argument: files, the field mapping (keep, name,
// role per detected column), where the rows go (new dataset or new version) and the split settings in percent.
import type { ChatMapping, FieldRole, FileInspection, ImportDataset, SplitName } from '../../../../shared/contract';

export interface FileEntry {
  path: string;
  split: SplitName | '';
}

export interface MappingEntry {
  source: string;
  keep: boolean;
  name: string;
  role: FieldRole;
  type: string;
}

export type SplitKind = 'hash' | 'given' | 'column';

export interface ImportForm {
  files: FileEntry[];
  mapping: MappingEntry[];
  target: 'new' | 'version';
  newName: string;
  /** The name last suggested from a file: while the name is still this one, a new file replaces it. */
  suggestedName: string;
  datasetId: string;
  message: string;
  splitKind: SplitKind;
  seed: string;
  /** Percentages as typed. */
  train: string;
  validation: string;
  test: string;
  splitColumn: string;
  /** How OpenAI chat rows are flattened; null when the file's rows are not conversations. */
  chat: ChatMapping | null;
}

export function initialForm(): ImportForm {
  return {
    files: [{ path: '', split: '' }],
    mapping: [],
    target: 'new',
    newName: '',
    suggestedName: '',
    datasetId: '',
    message: '',
    splitKind: 'hash',
    seed: '0',
    train: '80',
    validation: '10',
    test: '10',
    splitColumn: '',
    chat: null,
  };
}

/** After inspecting the first file: its columns with the suggested roles, a name, and its split column if any. */
export function withInspection(form: ImportForm, inspection: FileInspection): ImportForm {
  const suggested = new Map(inspection.suggestedMapping.map((m) => [m.source, m.role]));
  const names = new Set(inspection.columns.map((c) => c.name));
  const mapping = inspection.columns.map((c) => ({
    source: c.name,
    keep: c.name !== inspection.splitColumn,
    name: c.name,
    role: suggested.get(c.name) ?? 'none',
    type: c.type,
  }));
  return {
    ...form,
    mapping,
    // A name the user typed stays; one suggested from an earlier file follows the new file.
    newName: form.newName === '' || form.newName === form.suggestedName ? nameFromPath(inspection.path) : form.newName,
    suggestedName: nameFromPath(inspection.path),
    // A split column chosen for an earlier file does not carry over to a file without it.
    splitKind:
      inspection.splitColumn !== null
        ? 'column'
        : form.splitKind === 'column' && !names.has(form.splitColumn)
          ? 'hash'
          : form.splitKind,
    splitColumn: inspection.splitColumn ?? (names.has(form.splitColumn) ? form.splitColumn : ''),
    chat: inspection.chat?.mapping ?? null,
  };
}

/** "~/data/support_tickets.v2.csv" -> "support tickets v2". */
export function nameFromPath(path: string): string {
  const file = path.split(/[\\/]/).pop() ?? path;
  return file
    .replace(/\.(jsonl|ndjson|json|csv|tsv|txt|parquet)$/i, '')
    .replace(/[_.-]+/g, ' ')
    .trim();
}

/** What is wrong with the form before it can be sent (the server checks again); null when nothing. */
export function formProblem(form: ImportForm): string | null {
  const files = form.files.filter((f) => f.path.trim() !== '');
  if (files.length === 0) return 'Give at least one file.';
  const kept = form.mapping.filter((m) => m.keep);
  if (kept.length === 0) return 'Keep at least one column.';
  if (!kept.some((m) => m.role === 'input')) return 'Mark at least one kept column as input.';
  for (const role of ['reference', 'key', 'label'] as const) {
    if (kept.filter((m) => m.role === role).length > 1) return `Only one column can be the ${role}.`;
  }
  if (kept.some((m) => m.name.trim() === '')) return 'Every kept column needs a name.';
  if (new Set(kept.map((m) => m.name.trim())).size !== kept.length) return 'Two kept columns have the same name.';
  if (form.target === 'new' && form.newName.trim() === '') return 'Name the new dataset.';
  if (form.target === 'version' && form.datasetId === '') return 'Choose the dataset to add a version to.';
  if (form.splitKind === 'hash') {
    const parts = [form.train, form.validation, form.test].map(Number);
    if (parts.some((p) => !Number.isFinite(p) || p < 0)) return 'Split percentages must be numbers from 0 to 100.';
    if (Math.abs(parts.reduce((a, b) => a + b, 0) - 100) > 1e-6) return 'The split percentages must add up to 100.';
    if (!/^\d+$/.test(form.seed.trim())) return 'The seed must be a whole number.';
  }
  if (form.splitKind === 'given' && files.some((f) => f.split === '')) return 'Choose the split of each file.';
  if (form.splitKind === 'column' && form.splitColumn === '') return 'Choose the column that holds the split.';
  return null;
}

export function toImportArg(form: ImportForm, importId: string): ImportDataset {
  const files = form.files
    .filter((f) => f.path.trim() !== '')
    .map((f) => ({ path: f.path.trim(), ...(form.splitKind === 'given' && f.split !== '' ? { split: f.split } : {}) }));
  const split: ImportDataset['split'] =
    form.splitKind === 'hash'
      ? {
          kind: 'hash',
          seed: Number(form.seed),
          fractions: {
            train: Number(form.train) / 100,
            validation: Number(form.validation) / 100,
            test: Number(form.test) / 100,
          },
        }
      : form.splitKind === 'given'
        ? { kind: 'given' }
        : { kind: 'column', field: form.splitColumn };
  return {
    importId,
    ...(form.target === 'new' ? { newName: form.newName.trim() } : { datasetId: form.datasetId }),
    message: form.message.trim(),
    files,
    mapping: form.mapping.filter((m) => m.keep).map((m) => ({ source: m.source, name: m.name.trim(), role: m.role })),
    split,
    ...(form.chat === null ? {} : { chat: form.chat }),
  };
}
