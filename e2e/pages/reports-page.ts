// Page object for the Reports section: the list with its kind filters, the selected report's document and actions.
import type { Locator, Page } from '@playwright/test';

export class ReportsPage {
  readonly root: Locator;
  readonly rows: Locator;
  readonly document: Locator;
  readonly verification: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-reports');
    this.rows = this.root.getByTestId('report-row');
    this.document = this.root.getByTestId('report-document');
    this.verification = this.root.getByTestId('report-verification');
  }

  filter(kind: string): Locator {
    return this.root.getByTestId(`report-filter-${kind}`);
  }

  /** Clicks an export button and saves the download to `path`. */
  async export(format: 'pdf' | 'html' | 'csv' | 'json', path: string): Promise<string> {
    const download = this.page.waitForEvent('download');
    await this.root.getByTestId(`report-export-${format}`).click();
    const file = await download;
    await file.saveAs(path);
    return file.suggestedFilename();
  }
}
