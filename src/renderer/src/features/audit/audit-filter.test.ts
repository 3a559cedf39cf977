// The Audit section's filter form: blank fields left out, local times turned into ISO times, "to" covering its minute.
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, argsSummary, toFilter } from './audit-filter';

describe('the audit filter form', () => {
  it('leaves blank fields out and trims the others', () => {
    expect(toFilter(EMPTY_FILTER)).toEqual({});
    expect(toFilter({ ...EMPTY_FILTER, actor: ' Rita ', method: 'users.', objectId: 'm1' })).toEqual({
      actor: 'Rita',
      method: 'users.',
      objectId: 'm1',
    });
  });

  it('turns local times into ISO times, "to" including its whole minute, and drops unreadable ones', () => {
    const filter = toFilter({ ...EMPTY_FILTER, from: '2026-12-07T12:00', to: '2026-12-07T12:30' });
    expect(filter.from).toBe(new Date(2026, 11, 7, 12, 0).toISOString());
    expect(filter.to).toBe(new Date(2026, 11, 7, 12, 30, 59, 999).toISOString());
    expect(toFilter({ ...EMPTY_FILTER, from: 'soon' })).toEqual({});
  });

  it('summarises arguments in one bounded line', () => {
    expect(argsSummary({ name: 'Tiny' })).toBe('{"name":"Tiny"}');
    expect(argsSummary(null)).toBe('');
    expect(argsSummary({ text: 'x'.repeat(500) }, 20)).toHaveLength(20);
  });
});
