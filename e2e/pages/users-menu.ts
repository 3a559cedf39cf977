// Page object for the top bar's user menu: signing in to a profile (a protected one through the passphrase dialog),
// setting one's own passphrase, and adding a user (admins). Locators use data-testid.
import { expect, type Locator, type Page } from '@playwright/test';

export class UsersMenu {
  constructor(readonly page: Page) {}

  get current(): Locator {
    return this.page.getByTestId('current-user');
  }

  private id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** Signs in as `name`; a protected profile's passphrase is typed into the dialog it opens. */
  async signIn(name: string, passphrase?: string): Promise<void> {
    await this.current.click();
    await this.page.locator(`[data-testid="user-option"][data-user="${name}"]`).click();
    if (passphrase !== undefined) {
      await expect(this.id('passphrase-dialog')).toBeVisible();
      await this.id('passphrase-input').fill(passphrase);
      await this.id('passphrase-submit').click();
      await expect(this.id('passphrase-dialog')).toBeHidden();
    }
    await expect(this.current).toHaveText(name);
  }

  /** Sets (or, with `current`, changes) the signed-in profile's passphrase. */
  async setPassphrase(next: string, current?: string): Promise<void> {
    await this.current.click();
    await this.id('user-set-passphrase').click();
    if (current !== undefined) await this.id('passphrase-current').fill(current);
    await this.id('passphrase-next').fill(next);
    await this.id('passphrase-again').fill(next);
    await this.id('passphrase-save').click();
    await expect(this.id('set-passphrase-dialog')).toBeHidden();
  }

  /** Adds a profile (the signed-in admin must be protected); stays signed in as who was. */
  async addUser(name: string, role: 'editor' | 'reviewer' | 'analyst' | 'admin', passphrase?: string): Promise<void> {
    await this.current.click();
    await this.id('user-add').click();
    await this.id('user-name').fill(name);
    await this.id('user-role').click();
    await this.page.getByRole('option', { name: role, exact: true }).click();
    if (passphrase !== undefined) await this.id('user-passphrase').fill(passphrase);
    await this.id('user-create').click();
    await expect(this.id('user-create')).toBeHidden();
  }
}
