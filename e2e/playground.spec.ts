// The Playground in browser mode with the real engine worker and the bundled demo model: a greedy chat run streams
// the same answer transformers gives and shows its stats; a long run is cancelled with Esc; bad settings are refused.
import { expect, test } from './fixtures';
import { ModelsPage } from './pages/models-page';
import { PlaygroundPage } from './pages/playground-page';

const RUN_TIMEOUT = 60_000; // the first run starts the engine and loads the model on a shared two-core machine
/** transformers' greedy answer (src/main/engine/models/__fixtures__/demo-model-greedy.json). */
const LIGHTHOUSE = 'The word "lighthouse" means a small song (especially in the Roman Catholic Church).';

test.beforeEach(async ({ app }) => {
  await app.createWorkspace('Playground');
});

test('with no model it points to Models; with the demo model a greedy chat streams its answer and stats', async ({
  app,
  page,
}) => {
  await app.nav('playground').click();
  const playground = new PlaygroundPage(page);
  await expect(playground.empty.getByRole('heading', { name: 'Nothing to try yet' })).toBeVisible();
  await expect(playground.empty.getByTestId('playground-open-models')).toBeVisible();
  await playground.addDemo.click(); // the Models screen's shortcut, offered here too

  await expect(playground.workbench).toBeVisible({ timeout: RUN_TIMEOUT });
  await expect(playground.model).toHaveText('dovetail-wordnet-13m');
  await expect(playground.modelStatus).toHaveAttribute('data-state', 'ready', { timeout: RUN_TIMEOUT });
  await expect(playground.decodingSummary).toHaveText('Greedy · up to 256 new tokens');

  await playground.prompt.fill('What does lighthouse mean?');
  await playground.prompt.press('Control+Enter');
  await expect(playground.stats).toBeVisible({ timeout: RUN_TIMEOUT });
  await expect(playground.outputText).toHaveText(LIGHTHOUSE);
  await expect(playground.stat('tokens')).toHaveText('21 tokens (prompt 16)');
  await expect(playground.stat('finish')).toHaveAttribute('data-reason', 'eos');
  await expect(playground.stat('speed')).toContainText('tokens/s');
  await expect(playground.stat('ttft')).toContainText('first token');
  await expect(playground.stat('seed')).toHaveText(/^seed \d+$/);
});

test('a long raw run streams token by token and Esc cancels it, keeping the text so far', async ({ app, page }) => {
  await app.nav('models').click();
  await new ModelsPage(page).addDemo.click();
  await expect(new ModelsPage(page).item('dovetail-wordnet-13m')).toBeVisible({ timeout: RUN_TIMEOUT });
  await app.nav('playground').click();
  const playground = new PlaygroundPage(page);
  await expect(playground.modelStatus).toHaveAttribute('data-state', 'ready', { timeout: RUN_TIMEOUT });

  await playground.modeRaw.click();
  await playground.openSettings();
  await playground.setting('max_new_tokens').fill('480');
  await playground.setting('ignore_eos').check();
  await playground.setting('seed').fill('7');
  await expect(playground.decodingSummary).toHaveText('Greedy · up to 480 new tokens · seed 7 · ignoring end of text');
  await playground.prompt.fill('A violin is');
  await playground.run.click();

  // Esc as soon as the first token shows: expect() polls with growing gaps (up to 1 s), long enough for the demo model
  // to finish all 480 tokens, so the page itself watches for streaming, every animation frame.
  // A function, not a string: Playwright evals a string predicate again on every frame, outside the protocol call, and
  // the app's CSP refused that eval once on a busy machine; a function is evaluated once and then only called.
  await page.waitForFunction(
    () =>
      /^[1-9]\d* tokens so far$/.test(document.querySelector('[data-testid="playground-progress"]')?.textContent ?? ''),
    undefined,
    { polling: 'raf', timeout: RUN_TIMEOUT },
  );
  await page.keyboard.press('Escape');
  await expect(playground.stat('finish')).toHaveAttribute('data-reason', 'cancelled', { timeout: RUN_TIMEOUT });
  await expect(playground.stat('finish')).toHaveText('stopped: cancelled');
  await expect(playground.stat('seed')).toHaveText('seed 7');
  const tokens = Number(/^(\d+) tokens/.exec((await playground.stat('tokens').textContent()) ?? '')?.[1]);
  expect(tokens).toBeGreaterThan(0);
  expect(tokens).toBeLessThan(480);
  await expect(playground.outputText).not.toHaveText('');
  await expect(playground.cancel).toBeDisabled();
  await expect(playground.run).toBeEnabled();
});

test('a bad setting is shown at its field and nothing runs', async ({ app, page }) => {
  await app.nav('models').click();
  await new ModelsPage(page).addDemo.click();
  await expect(new ModelsPage(page).item('dovetail-wordnet-13m')).toBeVisible({ timeout: RUN_TIMEOUT });
  await app.nav('playground').click();
  const playground = new PlaygroundPage(page);
  await expect(playground.modelStatus).toHaveAttribute('data-state', 'ready', { timeout: RUN_TIMEOUT });

  await playground.openSettings();
  await playground.setting('do_sample').check();
  await playground.setting('top_p').fill('1.5');
  await playground.prompt.fill('Hello');
  await playground.run.click();
  await expect(playground.settingHelp('top_p')).toContainText('at most 1');
  await expect(playground.decodingSummary).toHaveText('Some settings need fixing');
  await expect(playground.outputText).toBeHidden();

  await playground.setting('top_p').fill('0.9');
  await expect(playground.decodingSummary).toHaveText(/^Sampling \(temperature 1, top-k 50, top-p 0.9\)/);
});
