// Page object for the scratch template editor (Monaco) in the Prompts section.
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
  }
}
