// Page object for the workspace picker (full page when no workspace is open, or the "Switch workspace" dialog).
import { expect, type Locator, type Page } from '@playwright/test';

export class WorkspacePicker {
  readonly root: Locator;
  readonly createName: Locator;
  readonly createPath: Locator;
  readonly createSubmit: Locator;
  readonly createNameError: Locator;
  readonly createPathError: Locator;
  readonly openPath: Locator;
  readonly openSubmit: Locator;
  readonly openPathError: Locator;
  readonly recentList: Locator;
  readonly recentEmpty: Locator;

  constructor(page: Page, root: Locator = page.getByTestId('workspace-picker')) {
    this.root = root;
    this.createName = root.getByTestId('create-name');
    this.createPath = root.getByTestId('create-path');
    this.createSubmit = root.getByTestId('create-submit');
    this.createNameError = root.getByTestId('create-name-error');
    this.createPathError = root.getByTestId('create-path-error');
    this.openPath = root.getByTestId('open-path');
    this.openSubmit = root.getByTestId('open-submit');
    this.openPathError = root.getByTestId('open-path-error');
    this.recentList = root.getByTestId('recent-list');
    this.recentEmpty = root.getByTestId('recent-empty');
  }

  async create(name: string, path: string): Promise<void> {
    await this.createName.fill(name);
    await this.createPath.fill(path);
    await this.createSubmit.click();
  }

  async openByPath(path: string): Promise<void> {
    await this.openPath.fill(path);
    await this.openSubmit.click();
  }

  recentItem(name: string): Locator {
    return this.recentList.getByTestId('recent-item').filter({ hasText: name });
  }

  async openRecent(name: string): Promise<void> {
    await this.recentItem(name)
      .getByRole('button', { name: `Open ${name}` })
      .click();
  }

  async forgetRecent(name: string): Promise<void> {
    await this.recentItem(name)
      .getByRole('button', { name: `Forget ${name}` })
      .click();
  }

  async expectVisible(): Promise<void> {
    await expect(this.root).toBeVisible();
  }
}
