// Page object for the template editor (Monaco) in the Prompts section, and the fields it says the template reads.
import { expect, type Locator, type Page } from '@playwright/test';

export class TemplateEditor {
  readonly root: Locator;
  readonly lines: Locator;
  readonly fields: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('template-editor');
    this.lines = this.root.locator('.monaco-editor .view-lines');
    this.fields = page.getByTestId('template-fields');
  }

  async type(text: string): Promise<void> {
    // Monaco is loaded on first use (several MB of script): allow for a slow, busy machine.
    await expect(this.lines).toBeVisible({ timeout: 30_000 });
    await this.lines.click();
    await this.page.keyboard.type(text);
    await this.closeSuggestions();
  }

  /** Replaces the whole text. Lines should end after punctuation, so that Enter never accepts a word suggestion. */
  async replace(text: string): Promise<void> {
    await expect(this.lines).toBeVisible({ timeout: 30_000 });
    await this.lines.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.type(text);
    await this.closeSuggestions();
  }

  /** Completion may still be offering names after typing inside a tag; Escape closes it (it never edits). */
  private async closeSuggestions(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.root.locator('.suggest-widget.visible')).toHaveCount(0);
  }
}
