// Users, the review workflow and the checks before approval, through the composed app (real dispatcher, SQLite and
// the engine worker with the bundled demo model): the Owner is made on first use and authors saves; approving needs
// another user who is an editor or admin and passing checks; reviewers and analysts may not approve or deprecate;
// a failing check is reported by row; editing an approved version makes a draft;
// demonstration analytics give each demonstration's leave-one-out contribution with n.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Api, DemoWorkspace } from '../../../shared/contract';
import { UserError } from '../../../shared/errors';
import { useDemoApp } from '../../testing/demo-app';

const ctx = useDemoApp('prompt-studio');
let api: Api;
let demo: DemoWorkspace;
beforeAll(() => {
  ({ api, demo } = ctx);
});

const triageVersionId = (): Promise<string> => ctx.triageVersionId();
const OWNER_PASS = 'owner passphrase';

async function refused(call: Promise<unknown>, code: string): Promise<UserError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).code).toBe(code);
  return error as UserError;
}

const SOURCE = 'Triage this support message as JSON.\nMessage: {{ message }}\nTicket: ';

describe('users and the review workflow', () => {
  it('makes an Owner admin on first use, who is current and authors saves', async () => {
    const [owner, ...others] = await api.users.list({});
    expect(owner).toMatchObject({ name: 'Owner', role: 'admin' });
    expect(others).toEqual([]);
    expect((await api.users.current({}))?.id).toBe(owner!.id);
    const v = await api.templates.save({ name: 'Authored', source: SOURCE });
    expect(v).toMatchObject({ status: 'draft', author: owner!.id, authorName: 'Owner', history: [] });
    // An admin manages users only from a protected profile, and editors (approvers) need a passphrase too.
    await refused(api.users.create({ name: 'Eve', role: 'reviewer' }), 'passphrase-required');
    await api.users.setPassphrase({ id: owner!.id, next: OWNER_PASS });
    expect((await api.users.current({}))?.protected).toBe(true);
    await refused(api.users.create({ name: 'owner', role: 'reviewer' }), 'user-name');
    await refused(api.users.create({ name: 'Ed', role: 'editor' }), 'passphrase-required');
  });

  it('refuses approval by the author, without checks, or after failed checks; approves after passing ones', async () => {
    const owner = (await api.users.current({}))!;
    const reviewer = await api.users.create({ name: 'Rita', role: 'editor', passphrase: 'rita passphrase' });
    const datasetVersionId = await triageVersionId();
    const modelId = demo.modelIds[0] as string;
    const v1 = await api.templates.save({ name: 'Triage studio', source: SOURCE, message: 'first' });
    await refused(api.templates.setStatus({ versionId: v1.id, status: 'approved' }), 'template-status');
    const inReview = await api.templates.setStatus({ versionId: v1.id, status: 'in-review', note: 'please look' });
    expect(inReview.history).toEqual([
      expect.objectContaining({
        from: 'draft',
        to: 'in-review',
        userId: owner.id,
        userName: 'Owner',
        note: 'please look',
      }),
    ]);

    const self = await refused(
      api.templates.setStatus({ versionId: v1.id, status: 'approved' }),
      'template-self-approval',
    );
    expect(self.hint).toMatch(/another user/);
    await refused(api.users.setCurrent({ id: reviewer.id }), 'passphrase-needed');
    await refused(api.users.setCurrent({ id: reviewer.id, passphrase: 'not hers at all' }), 'passphrase-wrong');
    await api.users.setCurrent({ id: reviewer.id, passphrase: 'rita passphrase' });
    expect((await api.users.current({}))?.name).toBe('Rita');
    await refused(api.templates.setStatus({ versionId: v1.id, status: 'approved' }), 'template-unchecked');

    const report = await api.templates.checks({ versionId: v1.id, datasetVersionId, modelId });
    expect(report.render).toMatchObject({ outcome: 'passed', failureCount: 0 });
    expect(report.render.rows).toBeGreaterThan(0);
    expect(report.budget.outcome).toBe('passed');
    expect(report.budget.maxPromptTokens).toBeGreaterThan(5);
    expect(report.leakage).toMatchObject({ outcome: 'passed', maxNewTokens: 32, leaked: [] });
    expect(report.leakage.sample).toBeGreaterThanOrEqual(4);
    expect(report.passed).toBe(true);
    expect(await api.templates.lastChecks({ versionId: v1.id })).toEqual(report);

    const approved = await api.templates.setStatus({ versionId: v1.id, status: 'approved' });
    expect(approved.status).toBe('approved');
    expect(approved.history.at(-1)).toMatchObject({ from: 'in-review', to: 'approved', userName: 'Rita' });

    // Editing an approved version is a save: a new draft, authored by whoever is current.
    const v2 = await api.templates.save({
      templateId: v1.templateId,
      source: `${SOURCE}{{ category }}`,
      message: 'edit',
    });
    expect(v2).toMatchObject({ version: 2, status: 'draft', authorName: 'Rita' });
    expect((await api.templates.version({ id: v1.id })).status).toBe('approved');
    const deprecated = await api.templates.setStatus({ versionId: v1.id, status: 'deprecated' });
    expect(deprecated.status).toBe('deprecated');
    await refused(api.templates.setStatus({ versionId: v1.id, status: 'approved' }), 'template-status');
    await api.users.setCurrent({ id: owner.id, passphrase: OWNER_PASS });
  }, 120_000);

  it('lets only editors and admins move versions, naming the role', async () => {
    const owner = (await api.users.current({}))!;
    const rex = await api.users.create({ name: 'Rex', role: 'reviewer' });
    const ana = await api.users.create({ name: 'Ana', role: 'analyst' });
    const v = await api.templates.save({ name: 'Gated', source: SOURCE });
    await api.templates.setStatus({ versionId: v.id, status: 'in-review' });
    for (const [user, role] of [
      [rex, 'reviewer'],
      [ana, 'analyst'],
    ] as const) {
      await api.users.setCurrent({ id: user.id });
      for (const status of ['approved', 'deprecated', 'draft'] as const) {
        const error = await refused(api.templates.setStatus({ versionId: v.id, status }), 'forbidden');
        expect(error.message).toContain(`${user.name} is a${role === 'analyst' ? 'n' : ''} ${role}`);
        expect(error.message).toMatch(/needs an editor or an admin/);
        expect(error.hint).toMatch(/Switch to a profile/);
      }
    }
    expect((await api.templates.version({ id: v.id })).status).toBe('in-review');
    await api.users.setCurrent({ id: owner.id, passphrase: OWNER_PASS });
    expect((await api.templates.setStatus({ versionId: v.id, status: 'deprecated' })).status).toBe('deprecated');
  });

  it('reports the rows a template fails on, and approval is refused while a check fails', async () => {
    const datasetVersionId = await triageVersionId();
    const modelId = demo.modelIds[0] as string;
    const failing = await api.templates.save({
      name: 'Fussy',
      source: '{% if message | length > 60 %}{{ raise_exception("message too long") }}{% endif %}{{ message }}',
    });
    await api.templates.setStatus({ versionId: failing.id, status: 'in-review' });
    const report = await api.templates.checks({ versionId: failing.id, datasetVersionId, modelId });
    expect(report.passed).toBe(false);
    expect(report.render.outcome).toBe('failed');
    expect(report.render.failureCount).toBeGreaterThan(0);
    expect(report.render.failures[0]).toMatchObject({ reason: expect.stringMatching(/message too long/) });
    const rita = (await api.users.list({})).find((u) => u.name === 'Rita')!;
    await api.users.setCurrent({ id: rita.id, passphrase: 'rita passphrase' });
    const error = await refused(
      api.templates.setStatus({ versionId: failing.id, status: 'approved' }),
      'template-checks-failed',
    );
    expect(error.message).toMatch(/renders every validation row/);
    const owner = (await api.users.list({}))[0]!;
    await api.users.setCurrent({ id: owner.id, passphrase: OWNER_PASS });
  }, 120_000);

  it('refuses approval of a template that reads part of the reference (target leakage), naming the field', async () => {
    const leaking = await api.templates.save({ name: 'Leaky', source: `${SOURCE}{{ category }}` });
    await api.templates.setStatus({ versionId: leaking.id, status: 'in-review' });
    const report = await api.templates.checks({
      versionId: leaking.id,
      datasetVersionId: await triageVersionId(),
      modelId: demo.modelIds[0] as string,
    });
    expect(report.target).toMatchObject({ outcome: 'failed', fields: ['category'] });
    expect(report.render.outcome).toBe('passed');
    expect(report.passed).toBe(false);
    const rita = (await api.users.list({})).find((u) => u.name === 'Rita')!;
    await api.users.setCurrent({ id: rita.id, passphrase: 'rita passphrase' });
    const error = await refused(
      api.templates.setStatus({ versionId: leaking.id, status: 'approved' }),
      'template-checks-failed',
    );
    expect(error.message).toContain('target leakage');
    const owner = (await api.users.list({}))[0]!;
    await api.users.setCurrent({ id: owner.id, passphrase: OWNER_PASS });
  }, 120_000);

  it('stops checking a hostile template at its first row, with the reason', async () => {
    const hostile = await api.templates.save({
      name: 'Hostile',
      source: '{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}',
    });
    const started = Date.now();
    const report = await api.templates.checks({
      versionId: hostile.id,
      datasetVersionId: await triageVersionId(),
      modelId: demo.modelIds[0] as string,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(report.render).toMatchObject({ outcome: 'failed', failureCount: 1 });
    expect(report.render.message).toMatch(/Stopped at validation row 1 of \d+/);
    expect(report.render.failures[0]!.reason).toMatch(
      /^The template was stopped after (1,000,000 steps of work|running for 5 seconds)/,
    );
    expect(report.passed).toBe(false);
  }, 120_000);

  it('selects demonstrations per input and measures each one by leaving it out', async () => {
    const datasetVersionId = await triageVersionId();
    const train = await api.datasets.rows({ versionId: datasetVersionId, split: 'train', offset: 0, limit: 3 });
    const keys = train.rows.map((r) => r.key);
    const set = await api.templates.saveDemonstrations({
      name: 'Three',
      datasetVersionId,
      rowKeys: keys,
      selection: { kind: 'similar', k: 2 },
    });
    expect(set.selection).toEqual({ kind: 'similar', k: 2 });
    const template = await api.templates.save({
      name: 'With examples',
      source: `{% for ex in examples %}Message: {{ ex.message }}\nTicket: {{ ex.output }}\n\n{% endfor %}${SOURCE}`,
    });
    const preview = await api.templates.preview({
      versionId: template.id,
      datasetVersionId,
      rowIdx: 0,
      demonstrationSetVersionId: set.id,
    });
    expect(preview.text.match(/Ticket: \{/g)?.length ?? 0).toBeLessThanOrEqual(2);
    const analytics = await api.templates.demonstrationAnalytics({
      templateVersionId: template.id,
      demonstrationSetVersionId: set.id,
      modelId: demo.modelIds[0] as string,
      sample: 4,
    });
    expect(analytics).toMatchObject({ metric: 'chrf', n: 4 });
    expect(analytics.demos.map((d) => d.rowKey)).toEqual(keys);
    expect(analytics.demos.reduce((s, d) => s + d.n, 0)).toBe(8); // 4 rows x 2 picks each
    for (const d of analytics.demos) expect(Number.isFinite(d.contribution)).toBe(true);
  }, 120_000);
});
