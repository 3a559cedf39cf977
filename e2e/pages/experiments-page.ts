// Page object for the Experiments section: tabs, the "New experiment" dialog, the experiment view (run, progress,
// results, side by side, example drawer), the specializations list and "Try live".
import type { Locator, Page } from '@playwright/test';

export class ExperimentsPage {
  readonly root: Locator;
  readonly empty: Locator;
  readonly newExperiment: Locator;
  readonly dialog: Locator;
  readonly view: Locator;
  readonly state: Locator;
  readonly progressText: Locator;
  readonly results: Locator;
  readonly verdict: Locator;
  readonly cellMeansChart: Locator;
  readonly effectsChart: Locator;
  readonly grid: Locator;
  readonly gridCount: Locator;
  readonly drawer: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-experiments');
    this.empty = this.root.getByTestId('empty-experiments');
    this.newExperiment = this.root.getByTestId('experiments-new');
    this.dialog = page.getByTestId('experiment-dialog');
    this.view = this.root.getByTestId('experiment-view');
    this.state = this.view.getByTestId('experiment-state');
    this.progressText = this.view.getByTestId('experiment-progress-text');
    this.results = this.view.getByTestId('results');
    this.verdict = this.view.getByTestId('ablation-verdict');
    this.cellMeansChart = this.view.getByTestId('cell-means-chart');
    this.effectsChart = this.view.getByTestId('effects-chart');
    this.grid = this.view.getByTestId('outputs-grid');
    this.gridCount = this.view.getByTestId('side-by-side-count');
    this.drawer = page.getByTestId('example-drawer');
  }

  tab(id: 'experiments' | 'specializations' | 'live' | 'results' | 'outputs'): Locator {
    return this.root.getByTestId(`tab-${id}`);
  }

  /** Opens an MUI select by its display test id and picks the option whose text matches. */
  async choose(selectTestId: string, option: string | RegExp): Promise<void> {
    await this.page.getByTestId(selectTestId).click();
    await this.page.getByRole('option', { name: option }).click();
  }

  field(testId: string): Locator {
    return this.dialog.getByTestId(testId);
  }

  button(testId: string): Locator {
    return this.root.getByTestId(testId);
  }
}
