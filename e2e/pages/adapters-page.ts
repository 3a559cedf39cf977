// Page object for the Adapters screen: the training wizard, the live job panel, the adapter list and details, Try it
// and Export.
import { expect, type Locator, type Page } from '@playwright/test';
import type { AppPage } from './app-page';

export class AdaptersPage {
  constructor(private readonly page: Page) {}

  /** From the start page: opens the demo workspace, then the wizard's Data step with its first `rows` training rows. */
  async openWizardOnDemo(app: AppPage, rows: number): Promise<void> {
    await app.picker.expectVisible();
    await this.page.getByTestId('demo-open').click();
    await expect(app.currentWorkspace).toHaveText('Dovetail demo');
    await app.nav('adapters').click();
    await this.trainButton.click();
    await this.field('maxRows').fill(String(rows));
  }

  get trainButton(): Locator {
    return this.page.getByTestId('adapters-train-open');
  }
  get wizard(): Locator {
    return this.page.getByTestId('train-wizard');
  }
  field(name: string): Locator {
    return this.page.getByTestId(`wizard-${name}`);
  }
  /** Opens the wizard's select `wizard-<name>` and picks the option with that accessible name. */
  async choose(name: string, option: string | RegExp): Promise<void> {
    await this.field(name).click();
    await this.page.getByRole('option', { name: option }).click();
  }
  /** From the settings step: a 4-step run of batch 4 under Advanced, then Next to the summary that says so. */
  async quickRun(): Promise<void> {
    await this.field('advanced').click();
    await this.field('maxSteps').fill('4');
    await this.field('batchSize').fill('4');
    await this.next.click();
    await expect(this.page.getByTestId('wizard-estimate')).toContainText('4 optimizer steps');
  }
  get next(): Locator {
    return this.page.getByTestId('wizard-next');
  }
  get start(): Locator {
    return this.page.getByTestId('wizard-start');
  }
  get job(): Locator {
    return this.page.getByTestId('job-panel');
  }
  get jobChart(): Locator {
    return this.page.getByTestId('job-loss-chart');
  }
  get items(): Locator {
    return this.page.getByTestId('adapter-item');
  }
  get lineage(): Locator {
    return this.page.getByTestId('adapter-lineage');
  }
  /** "Try it" of the adapter shown: opens the Playground with it. */
  get tryIt(): Locator {
    return this.page.getByTestId('adapter-try');
  }
  /** Exports the adapter shown to `to` (a new folder, or a .zip) and resolves with the path the app reports. */
  async exportTo(to: string): Promise<string> {
    await this.page.getByTestId('adapter-export').click();
    await this.page.getByTestId('export-to').fill(to);
    await this.page.getByTestId('export-submit').click();
    const done = this.page.getByTestId('export-done');
    await done.waitFor();
    return (await done.getAttribute('data-path')) ?? '';
  }
  /** "Export job" of the adapter shown, to a new folder: resolves with the path and the text the dialog shows. */
  async exportJobTo(to: string): Promise<{ path: string; text: string }> {
    await this.page.getByTestId('adapter-export-job').click();
    await this.page.getByTestId('export-job-to').fill(to);
    await this.page.getByTestId('export-job-submit').click();
    const done = this.page.getByTestId('export-job-done');
    await done.waitFor();
    return { path: (await done.getAttribute('data-path')) ?? '', text: (await done.textContent()) ?? '' };
  }
}
