// Page object for the Audit section: entries, filters, verification and exports. Locators use data-testid.
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export class AuditPage {
  readonly root: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly verifyResult: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-audit');
    this.rows = this.root.getByTestId('audit-row');
    this.count = this.root.getByTestId('audit-count');
    this.verifyResult = this.root.getByTestId('audit-verify-result');
  }

  id(testId: string): Locator {
    return this.root.getByTestId(testId);
  }

  /** The actions of the listed entries, newest first. */
  methods(): Locator {
    return this.rows.getByTestId('audit-method');
  }

  row(seq: number): Locator {
    return this.root.locator(`[data-testid="audit-row"][data-seq="${seq}"]`);
  }

  async filter(field: 'actor' | 'method' | 'objectId' | 'from' | 'to', value: string): Promise<void> {
    await this.id(`audit-filter-${field}`).fill(value);
  }

  async verify(): Promise<void> {
    await this.id('audit-verify').click();
    await expect(this.verifyResult).toBeVisible();
  }

  async export(format: 'jsonl' | 'csv'): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.id(`audit-export-${format}`).click();
    return download;
  }
}
