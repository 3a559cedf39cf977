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
