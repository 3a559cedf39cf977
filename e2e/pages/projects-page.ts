// Page object for the Projects section: the new-project form, the stepper of stages and the decision panel.
import { expect, type Locator, type Page } from '@playwright/test';

export class ProjectsPage {
  readonly form: Locator;
  readonly stepper: Locator;
  readonly proposal: Locator;
  readonly next: Locator;
  readonly decision: Locator;
  readonly recommendation: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId('project-new');
    this.stepper = page.getByTestId('project-stepper');
    this.proposal = page.getByTestId('project-proposal');
    this.next = page.getByTestId('project-next');
    this.decision = page.getByTestId('decision-panel');
    this.recommendation = page.getByTestId('decision-recommendation');
  }

  stage(id: string): Locator {
    return this.page.getByTestId(`project-stage-${id}`);
  }

  async fill(testId: string, value: string): Promise<void> {
    await this.page.getByTestId(testId).fill(value);
  }

  /** Picks an option of the form's select labelled `label`. */
  async choose(label: string, option: string | RegExp): Promise<void> {
    await this.form.getByLabel(label).click();
    await this.page.getByRole('option', { name: option }).click();
  }

  /** Waits until the current stage proposes `action` (runs finish on their own time), then presses its button. */
  async press(action: 'run' | 'advance', within: number): Promise<void> {
    await expect(this.proposal).toHaveAttribute('data-action', action, { timeout: within });
    await this.next.click();
  }
}
