// Page object for the Review section: the new-round dialog, a reviewer's queue (driven by the keyboard), the
// organiser's progress with Close, and the results of a closed round. Locators use data-testid.
import { expect, type Locator, type Page } from '@playwright/test';
import { UsersMenu } from './users-menu';

export class ReviewPage {
  readonly root: Locator;
  readonly dialog: Locator;
  readonly queue: Locator;
  readonly progress: Locator;
  readonly results: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-review');
    this.dialog = page.getByTestId('round-dialog');
    this.queue = page.getByTestId('review-queue');
    this.progress = page.getByTestId('round-progress');
    this.results = page.getByTestId('review-results');
  }

  id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** Creates a round over every cell of the first completed experiment, for the named reviewers. */
  async createRound(o: {
    name: string;
    reviewers: string[];
    items: number;
    overlap: number;
    repeatPercent: number;
    tags: string;
    /** The plan's seed; left out, the round draws a random one. */
    seed?: number;
  }): Promise<void> {
    await this.root.getByTestId('review-new').first().click();
    await expect(this.dialog).toBeVisible();
    await this.id('round-experiment').click();
    await this.page.getByTestId('round-experiment-option').first().click();
    for (const cell of await this.dialog.getByTestId('round-cell').all()) await cell.locator('input').check();
    for (const name of o.reviewers)
      await this.dialog.locator(`[data-testid="round-reviewer"][data-user="${name}"] input`).check();
    await this.id('round-items').fill(String(o.items));
    await this.id('round-overlap').fill(String(o.overlap));
    await this.id('round-repeat').fill(String(o.repeatPercent));
    await this.id('round-tags').fill(o.tags);
    if (o.seed !== undefined) await this.id('round-seed').fill(String(o.seed));
    await this.id('round-name').fill(o.name);
    await this.id('round-create').click();
    await expect(this.dialog).toBeHidden();
  }

  /** Switches the app's signed-in profile from the top bar (typing the passphrase of a protected one). */
  async switchUser(name: string, passphrase?: string): Promise<void> {
    await new UsersMenu(this.page).signIn(name, passphrase);
  }

  /** The item id shown now (opaque). */
  async itemId(): Promise<string> {
    return (await this.queue.getAttribute('data-item')) ?? '';
  }
}
