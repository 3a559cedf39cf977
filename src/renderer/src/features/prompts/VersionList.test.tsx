import { describe, expect, it } from 'vitest';
import type { TemplateVersion } from '../../../../shared/contract';
import { markup, textOf } from '../../testing/markup';
import { comparePlan } from './compare-pair';
import { VersionList } from './VersionList';

function version(n: number): TemplateVersion {
  return {
    id: `v${n}`,
    templateId: 't',
    name: 'Triage',
    version: n,
    source: `v${n}`,
    system: null,
    chat: false,
    message: `m${n}`,
    fields: [],
    contentHash: `h${n}`,
    createdAt: '2026-12-07T10:00:00Z',
    status: 'draft',
    author: null,
    authorName: null,
    history: [],
  };
}

const compareButton = (html: string) => /<button[^>]*data-testid="template-compare"[^>]*>/.exec(html)?.[0] ?? '';

describe('VersionList compare', () => {
  it('is on with two versions and nothing ticked, comparing the newest two', () => {
    const html = markup(
      <VersionList versions={[version(3), version(2), version(1)]} shownId={null} onPick={() => {}} />,
    );
    expect(compareButton(html)).not.toContain('disabled');
    expect(
      textOf(<VersionList versions={[version(3), version(2), version(1)]} shownId={null} onPick={() => {}} />),
    ).toContain('Compare v2 and v3');
  });

  it('is off with one version and says why', () => {
    const element = <VersionList versions={[version(1)]} shownId={null} onPick={() => {}} />;
    expect(compareButton(markup(element))).toContain('disabled');
    expect(textOf(element)).toContain('Save a second version of this template to compare two versions.');
  });
});

describe('comparePlan', () => {
  const versions = [version(3), version(2), version(1)];
  it('takes the two ticked, older on the left', () => {
    const plan = comparePlan(versions, ['v3', 'v1']);
    expect(plan.ok && [plan.original.version, plan.modified.version]).toEqual([1, 3]);
  });
  it('pairs one ticked version with the newest other', () => {
    const plan = comparePlan(versions, ['v1']);
    expect(plan.ok && [plan.original.version, plan.modified.version]).toEqual([1, 3]);
    const latest = comparePlan(versions, ['v3']);
    expect(latest.ok && [latest.original.version, latest.modified.version]).toEqual([2, 3]);
  });
  it('gives a reason with fewer than two versions', () => {
    expect(comparePlan([version(1)], [])).toEqual({ ok: false, reason: expect.stringContaining('second version') });
    expect(comparePlan([], []).ok).toBe(false);
  });
});
