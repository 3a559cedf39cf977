// Page object for the Settings dialog: the engine section (provider choice with probe results, threads, spinning,
// Apply) and the Hugging Face Hub section's address.
import { expect, type Locator, type Page } from '@playwright/test';

export class SettingsDialog {
  readonly dialog: Locator;
  readonly provider: Locator;
  readonly threads: Locator;
  /** The "Keep threads spinning between steps" switch (its input, so check()/toBeChecked() work). */
  readonly spinThreads: Locator;
  readonly apply: Locator;
  readonly applied: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByTestId('settings-dialog');
    this.provider = page.getByTestId('settings-provider');
    this.threads = page.getByTestId('settings-threads');
    this.spinThreads = page.getByTestId('settings-spin-threads').getByRole('switch');
    this.apply = page.getByTestId('settings-apply');
    this.applied = page.getByTestId('settings-applied');
  }

  async openWithGear(): Promise<void> {
    await this.page.getByTestId('settings-button').click();
    await expect(this.dialog).toBeVisible();
  }

  /** The provider's entry in the open list. */
  option(name: string): Locator {
    return this.page.getByTestId(`provider-option-${name}`);
  }

  /** Opens the provider list and waits until every provider has its probe result. */
  async openProviders(): Promise<void> {
    await this.provider.click();
    await expect(this.option('cpu')).toHaveAttribute('data-available', /true|false/, { timeout: 30_000 });
  }

  async choose(name: string): Promise<void> {
    if (!(await this.option(name).isVisible())) await this.openProviders();
    await this.option(name).click();
    await expect(this.option(name)).toBeHidden();
  }

  /** Points model downloads at another Hub address (the Hugging Face Hub section) and saves it. */
  async setHubAddress(url: string): Promise<void> {
    await this.page.getByTestId('hub-endpoint').fill(url);
    await this.page.getByTestId('hub-settings-save').click();
    await expect(this.page.getByTestId('hub-settings-saved')).toBeVisible();
  }

  async close(): Promise<void> {
    await this.page.getByTestId('settings-close').click();
    await expect(this.dialog).toBeHidden();
  }
}
