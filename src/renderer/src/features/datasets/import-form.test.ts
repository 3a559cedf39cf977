// The Import dialog's form logic: suggested mapping from an inspection, checks before sending, the import argument.
import { describe, expect, it } from 'vitest';
import type { FileInspection } from '../../../../shared/contract';
import { formProblem, initialForm, nameFromPath, toImportArg, withInspection } from './import-form';

const inspection: FileInspection = {
  path: '/data/support_tickets.v2.csv',
  format: 'csv',
  bytes: 100,
  columns: [
    { name: 'id', type: 'string', present: 2 },
    { name: 'text', type: 'string', present: 2 },
    { name: 'answer', type: 'string', present: 2 },
    { name: 'split', type: 'string', present: 2 },
  ],
  sample: [],
  rowEstimate: 2,
  exact: true,
  problems: [],
  warnings: [],
  suggestedMapping: [
    { source: 'id', name: 'id', role: 'key' },
    { source: 'text', name: 'text', role: 'input' },
    { source: 'answer', name: 'answer', role: 'reference' },
  ],
  splitColumn: 'split',
  chat: null,
};

describe('import form', () => {
  it('takes the suggested roles, a name from the file and its split column', () => {
    const form = withInspection({ ...initialForm(), files: [{ path: inspection.path, split: '' }] }, inspection);
    expect(form.mapping.map((m) => [m.source, m.keep, m.role])).toEqual([
      ['id', true, 'key'],
      ['text', true, 'input'],
      ['answer', true, 'reference'],
      ['split', false, 'none'],
    ]);
    expect(form.newName).toBe('support tickets v2');
    expect(form.splitKind).toBe('column');
    expect(formProblem(form)).toBeNull();
    expect(toImportArg(form, 'imp-1')).toEqual({
      importId: 'imp-1',
      newName: 'support tickets v2',
      message: '',
      files: [{ path: '/data/support_tickets.v2.csv' }],
      mapping: [
        { source: 'id', name: 'id', role: 'key' },
        { source: 'text', name: 'text', role: 'input' },
        { source: 'answer', name: 'answer', role: 'reference' },
      ],
      split: { kind: 'column', field: 'split' },
    });
  });

  it('checks roles, names and split percentages before sending', () => {
    const form = withInspection(
      { ...initialForm(), files: [{ path: 'a.csv', split: '' }] },
      { ...inspection, splitColumn: null },
    );
    expect(
      formProblem({
        ...form,
        mapping: form.mapping.map((m) => ({ ...m, role: m.role === 'input' ? 'none' : m.role })),
      }),
    ).toBe('Mark at least one kept column as input.');
    expect(formProblem({ ...form, train: '70' })).toBe('The split percentages must add up to 100.');
    expect(formProblem({ ...form, splitKind: 'given' })).toBe('Choose the split of each file.');
    expect(toImportArg(form, 'x').split).toEqual({
      kind: 'hash',
      seed: 0,
      fractions: { train: 0.8, validation: 0.1, test: 0.1 },
    });
    expect(nameFromPath('C:\\data\\qa-pairs.jsonl')).toBe('qa pairs');
  });

  it('follows a changed file with the suggested name, but keeps a name the user typed', () => {
    const first = withInspection(
      { ...initialForm(), files: [{ path: 'tickets.csv', split: '' }] },
      { ...inspection, path: 'tickets.csv' },
    );
    expect(first.newName).toBe('tickets');
    const second = withInspection(
      { ...first, files: [{ path: 'orders_2026.csv', split: '' }] },
      { ...inspection, path: 'orders_2026.csv' },
    );
    expect(second.newName).toBe('orders 2026');
    const typed = withInspection({ ...second, newName: 'My orders' }, { ...inspection, path: 'refunds.csv' });
    expect(typed.newName).toBe('My orders');
    // Back to the files step and another file without the split column: back to hash splits.
    const withColumn = withInspection({ ...initialForm(), files: [{ path: 'a.csv', split: '' }] }, inspection);
    const other = withInspection(withColumn, {
      ...inspection,
      splitColumn: null,
      columns: inspection.columns.slice(0, 3),
    });
    expect([other.splitKind, other.splitColumn]).toEqual(['hash', '']);
  });

  it('carries the chat mapping of an inspection of chat rows into the import, and names Parquet files', () => {
    const chat = { mapping: { system: 'joined', history: 'drop' } as const, multiTurnRows: 1, systemRows: 2 };
    const form = withInspection(
      { ...initialForm(), files: [{ path: '/d/chats.parquet', split: '' }] },
      {
        ...inspection,
        path: '/d/chats.parquet',
        format: 'parquet',
        splitColumn: null,
        chat,
      },
    );
    expect(form.newName).toBe('chats');
    expect(toImportArg(form, 'imp-1').chat).toEqual({ system: 'joined', history: 'drop' });
    expect(toImportArg(withInspection(form, inspection), 'imp-2').chat).toBeUndefined();
  });
});
