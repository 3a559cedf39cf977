// A newcomer with every default: first launch, the demo workspace (opens on "Start here"), the training wizard with
// its defaults (the Balanced preset of the dataset's recipe, the estimate timed by real steps), "Compare with the
// base model" on the finished adapter, and the verdict: a significant gain on the main metric (its CI excludes 0).
// Prints how long each phase took (the figure the product promises: a convincing win within minutes).
import { expect, test } from './fixtures';
import { AdaptersPage } from './pages/adapters-page';

test('a newcomer trains with the defaults and sees a significant gain over the base model', async ({ app, page }) => {
  // Training and a 2 x 400-row comparison on a shared 2-core machine: minutes; every wait below is on a UI state.
  test.setTimeout(45 * 60_000);
  const t0 = Date.now();
  const marks: string[] = [];
  const mark = (what: string) => {
    marks.push(`${what}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    console.log(`newcomer: ${marks.at(-1) ?? ''}`);
  };

  await app.picker.expectVisible();
  await page.getByTestId('demo-open').click();
  await expect(app.currentWorkspace).toHaveText('Dovetail demo');
  const start = page.getByTestId('start-here');
  await expect(start).toBeVisible();
  await expect(page.getByTestId('start-step-train')).toHaveAttribute('data-state', 'todo');
  await expect(page.getByTestId('start-step-compare')).toHaveAttribute('data-state', 'todo');
  mark('demo workspace open');

  // The wizard with its defaults: Next, Next, Next, Start.
  await page.getByTestId('start-go-train').click();
  const adapters = new AdaptersPage(page);
  await adapters.trainButton.click();
  await expect(adapters.field('source')).toContainText('Support triage v1');
  await adapters.next.click();
  await expect(adapters.field('template')).toContainText('Triage as JSON');
  await adapters.next.click();
  await expect(adapters.field('preset-balanced').getByRole('radio')).toBeChecked();
  await expect(page.getByTestId('wizard-recipe')).toContainText('Recommended for Support triage');
  await expect(adapters.field('method')).toContainText('LoRA + soft prompt');
  await adapters.next.click();
  await expect(page.getByTestId('wizard-estimate')).toContainText('Adapter name: Support triage LoRA+soft 1');
  await expect(page.getByTestId('wizard-time')).toHaveAttribute('data-source', 'calibrated', { timeout: 5 * 60_000 });
  await expect(page.getByTestId('wizard-time')).toContainText('an estimate; timed from 4 real steps on this machine');
  const promised = await page.getByTestId('wizard-time').textContent();
  mark(`estimate calibrated ("${promised?.replace(/\s+/g, ' ').slice(0, 60)}")`);
  await adapters.start.click();

  await expect(adapters.job).toBeVisible();
  await expect(adapters.items).toHaveCount(1, { timeout: 25 * 60_000 });
  await expect(adapters.items.first()).toContainText('Support triage LoRA+soft 1');
  await expect(page.getByTestId('adapter-check')).toContainText('Active');
  await expect(page.getByTestId('adapter-check-help')).toContainText('really changes what the model says');
  mark('adapter trained');

  // Compare with the base model: the plan and its time first, then the full test split.
  await page.getByTestId('adapter-compare-base').click();
  await expect(page.getByTestId('compare-base-plan')).toContainText(
    '400 test rows of Support triage v1 with the template Triage as JSON v1',
  );
  await expect(page.getByTestId('compare-base-estimate')).toContainText(
    /Time: about .+ for all 400 rows, about .+ for a quick check of the first 100: an estimate/,
  );
  await expect(page.getByTestId('compare-base-quick')).toBeEnabled();
  await page.getByTestId('compare-base-full').click();

  const view = page.getByTestId('experiment-view');
  await expect(view).toHaveAttribute('data-state', 'completed', { timeout: 25 * 60_000 });
  const row = page.getByTestId('verdict-vs-base-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-significant', 'true');
  await expect(row).toContainText(
    /Support triage LoRA\+soft 1 \(Triage as JSON v1\) vs Base model .+: a significant gain\./,
  );
  expect(Number(await row.getAttribute('data-ci-low'))).toBeGreaterThan(0);
  await expect(page.getByTestId('verdict-help')).toContainText('where the true difference lies with 95% confidence');
  mark(`verdict: ${(await row.textContent())?.replace(/\s+/g, ' ')}`);

  // Start here ticks what was done.
  await app.nav('start').click();
  await expect(page.getByTestId('start-step-train')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('start-step-try')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('start-step-compare')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('start-step-review')).toHaveAttribute('data-state', 'todo');
  await test.info().attach('timings', { body: marks.join('\n') });
});
