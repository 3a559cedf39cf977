// Page object for the Adapters screen: the training wizard, the live job panel, the adapter list and details, Try it
// and Export.
import type { Locator, Page } from '@playwright/test';

export class AdaptersPage {
  constructor(private readonly page: Page) {}

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
}
