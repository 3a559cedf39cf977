// Page object for the Datasets screen: the import dialog (files, field mapping, splits, progress, errors), the
// dataset list with versions, the version facts, the rows grid with its split and duplicate filters, and the
// version's Personal data panel.
import { expect, type Locator, type Page } from '@playwright/test';

export class DatasetsPage {
  readonly root: Locator;
  readonly empty: Locator;
  readonly openImport: Locator;
  readonly dialog: Locator;
  readonly next: Locator;
  readonly submit: Locator;
  readonly close: Locator;
  readonly mapping: Locator;
  readonly name: Locator;
  readonly error: Locator;
  readonly errorMessage: Locator;
  readonly errorWhere: Locator;
  readonly items: Locator;
  readonly details: Locator;
  readonly grid: Locator;
  readonly privacy: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-datasets');
    this.empty = this.root.getByTestId('empty-datasets');
    this.openImport = this.root.getByTestId('datasets-import-open');
    this.dialog = page.getByTestId('dataset-import-dialog');
    this.next = this.dialog.getByTestId('import-next');
    this.submit = this.dialog.getByTestId('import-submit');
    this.close = this.dialog.getByTestId('import-close');
    this.mapping = this.dialog.getByTestId('mapping-table');
    this.name = this.dialog.getByTestId('import-name');
    this.error = this.dialog.getByTestId('import-error');
    this.errorMessage = this.dialog.getByTestId('import-error-message');
    this.errorWhere = this.dialog.getByTestId('import-error-where');
    this.items = this.root.getByTestId('dataset-item');
    this.details = this.root.getByTestId('dataset-details');
    this.grid = this.root.getByTestId('dataset-rows');
    this.privacy = this.root.getByTestId('privacy-panel');
  }

  /** The personal-data findings of one field in the scan report. */
  privacyField(field: string): Locator {
    return this.privacy.locator(`[data-testid="privacy-field"][data-field="${field}"]`);
  }

  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByTestId('dataset-item-name').getByText(name, { exact: true }) });
  }

  fact(key: string): Locator {
    return this.details.getByTestId(`dataset-fact-${key}`);
  }

  /** Opens the dialog, types the file and goes on to the mapping step. */
  async chooseFile(path: string): Promise<void> {
    await this.openImport.click();
    await this.dialog.getByTestId('import-file-0').fill(path);
    await this.next.click();
  }

  keep(column: string): Locator {
    return this.dialog.getByTestId(`mapping-keep-${column}`);
  }

  async rename(column: string, name: string): Promise<void> {
    await this.dialog.getByTestId(`mapping-name-${column}`).fill(name);
  }

  async setRole(column: string, role: 'input' | 'reference' | 'key' | 'label' | 'none'): Promise<void> {
    await this.dialog.getByTestId(`mapping-role-${column}`).click();
    await this.page.getByRole('listbox').getByTestId(`role-option-${role}`).click();
    await expect(this.page.getByRole('listbox')).toBeHidden();
  }

  splitChip(split: 'all' | 'train' | 'validation' | 'test'): Locator {
    return this.grid.getByTestId(`split-chip-${split}`);
  }

  gridRows(): Locator {
    return this.grid.locator('.MuiDataGrid-row');
  }
}
