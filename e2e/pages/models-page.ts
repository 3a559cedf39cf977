// Page object for the Models section: the list, the add form (folder or Hub), Hub downloads, the bundled demo
// shortcut and the details panel.
import { expect, type Locator, type Page } from '@playwright/test';

export const DEMO_MODEL = 'dovetail-wordnet-13m';

export class ModelsPage {
  readonly root: Locator;
  readonly empty: Locator;
  readonly addDemo: Locator;
  readonly openAddForm: Locator;
  readonly folder: Locator;
  readonly name: Locator;
  readonly submit: Locator;
  readonly addError: Locator;
  readonly addErrorMessage: Locator;
  readonly addErrorWhere: Locator;
  readonly items: Locator;
  readonly details: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-models');
    this.empty = this.root.getByTestId('empty-models');
    this.addDemo = this.root.getByTestId('add-demo-model');
    this.openAddForm = this.root.getByTestId('models-add-open');
    this.folder = this.root.getByTestId('model-folder');
    this.name = this.root.getByTestId('model-name');
    this.submit = this.root.getByTestId('model-add-submit');
    this.addError = this.root.getByTestId('model-add-error');
    this.addErrorMessage = this.root.getByTestId('model-add-error-message');
    this.addErrorWhere = this.root.getByTestId('model-add-error-where');
    this.items = this.root.getByTestId('model-item');
    this.details = this.root.getByTestId('model-details');
  }

  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByTestId('model-item-name').getByText(name, { exact: true }) });
  }

  fact(key: string): Locator {
    return this.details.getByTestId(`fact-${key}`);
  }

  /** Types a folder into the add form (opening it when models are listed) and submits. */
  async addFolder(folder: string, name?: string): Promise<void> {
    if (await this.openAddForm.isVisible()) await this.openAddForm.click();
    await this.folder.fill(folder);
    if (name !== undefined) await this.name.fill(name);
    await this.submit.click();
  }

  /** Starts a download from the Hub by repo id (opening the add form and its Hub tab as needed). */
  async downloadFromHub(repo: string): Promise<void> {
    if (await this.openAddForm.isVisible()) await this.openAddForm.click();
    await this.root.getByTestId('add-model-from-hub').click();
    await this.root.getByTestId('hub-repo').fill(repo);
    await this.root.getByTestId('hub-download-submit').click();
  }

  /** A Hub download's row in the Downloads list. */
  download(repo: string): Locator {
    return this.root.locator(`[data-testid="hub-download"][data-repo="${repo}"]`);
  }

  async rename(name: string): Promise<void> {
    await this.details.getByTestId('model-rename').click();
    await this.page.getByTestId('rename-input').fill(name);
    await this.page.getByTestId('rename-save').click();
    await expect(this.page.getByTestId('rename-dialog')).toBeHidden();
  }

  async remove(): Promise<void> {
    await this.details.getByTestId('model-remove').click();
    await this.page.getByTestId('remove-confirm').click();
    await expect(this.page.getByTestId('remove-dialog')).toBeHidden();
  }
}
