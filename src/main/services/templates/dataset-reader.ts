// What templates, specializations and experiments read from the datasets service (structurally its internal API),
// so that they can be tested over a small in-memory reader as well as the real one.
export type SplitName = 'train' | 'validation' | 'test';

export interface ReaderRow {
  idx: number;
  key: string;
  split: SplitName;
  data: Record<string, unknown>;
}

export interface ReaderVersionFacts {
  id: string;
  name: string;
  version: number;
  contentHash: string;
  roles: { input: string[]; reference: string | null; key: string | null; label: string | null };
  splits: Record<SplitName, number>;
}

export interface DatasetReader {
  versionFacts(versionId: string): ReaderVersionFacts;
  readRows(versionId: string, split: SplitName | null, options?: { limit?: number; offset?: number }): ReaderRow[];
}
