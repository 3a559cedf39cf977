// Page object for the Observability section: the serving endpoint's controls, its keys, the charts and the export.
import type { Download, Locator, Page } from '@playwright/test';

export class ObservabilityPage {
  readonly root: Locator;
  readonly address: Locator;
  readonly newKey: Locator;
  readonly requestRows: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-observability');
    this.address = this.id('serving-address');
    this.newKey = this.id('serving-new-key');
    this.requestRows = this.id('serving-request-row');
  }

  id(testId: string): Locator {
    return this.root.getByTestId(testId);
  }

  /** Starts the endpoint on loopback on any free port. */
  async start(): Promise<void> {
    await this.id('serving-port').fill('0');
    await this.id('serving-start').click();
  }

  async createKey(name: string): Promise<void> {
    await this.id('serving-key-name').fill(name);
    await this.id('serving-key-create').click();
  }

  async exportCsv(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.id('observability-export-csv').click();
    return download;
  }
}
