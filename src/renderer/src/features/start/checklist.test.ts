import { describe, expect, it } from 'vitest';
import type { ExperimentCell } from '../../../../shared/contract';
import { checklist, type WorkspaceFacts } from './checklist';

const empty: WorkspaceFacts = { adapters: [], jobs: [], specializations: [], experiments: [], rounds: [] };
const cell = (components: ExperimentCell['components']): ExperimentCell => ({
  specializationId: 's',
  label: 's',
  components,
  mask: null,
});
const states = (f: WorkspaceFacts) => checklist(f).map((s) => `${s.id}:${s.state}`);

describe('Start here checklist', () => {
  it('walks train -> try -> compare -> review, all to do in a fresh workspace', () => {
    expect(states(empty)).toEqual(['train:todo', 'try:todo', 'compare:todo', 'review:todo']);
  });

  it('ticks each step from what the workspace holds, and shows work in progress', () => {
    expect(states({ ...empty, jobs: [{ state: 'running' }] })[0]).toBe('train:running');
    const trained = { ...empty, adapters: [{ id: 'a' }], jobs: [{ state: 'completed' as const }] };
    expect(states(trained)).toEqual(['train:done', 'try:todo', 'compare:todo', 'review:todo']);
    const tried = {
      ...trained,
      specializations: [
        { loraAdapterId: null, softPromptAdapterId: null },
        { loraAdapterId: 'a', softPromptAdapterId: 'a' },
      ],
    };
    expect(states(tried)[1]).toBe('try:done');
    // A comparison without an adapter (templates only) does not count; one with the adapter does once it completes.
    expect(states({ ...tried, experiments: [{ state: 'completed', cells: [cell(['template'])] }] })[2]).toBe(
      'compare:todo',
    );
    expect(
      states({
        ...tried,
        experiments: [{ state: 'running', cells: [cell(['template']), cell(['template', 'lora'])] }],
      })[2],
    ).toBe('compare:running');
    const compared = {
      ...tried,
      experiments: [{ state: 'completed' as const, cells: [cell(['template']), cell(['template', 'softPrompt'])] }],
    };
    expect(states(compared)).toEqual(['train:done', 'try:done', 'compare:done', 'review:todo']);
    expect(states({ ...compared, rounds: [{ id: 'r' }] })[3]).toBe('review:done');
  });
});
