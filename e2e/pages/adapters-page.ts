// Page object for the Adapters screen: the training wizard, the live job panel, the adapter list and details.
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
}
