// Page object for the Playground: what runs (model, parts, specialization), prompt or template fields, decoding
// settings, run / cancel, streamed output, stats and the rendered prompt.
import type { Locator, Page } from '@playwright/test';

export class PlaygroundPage {
  readonly root: Locator;
  readonly empty: Locator;
  readonly addDemo: Locator;
  readonly workbench: Locator;
  readonly model: Locator;
  readonly modelStatus: Locator;
  readonly modeChat: Locator;
  readonly modeRaw: Locator;
  readonly prompt: Locator;
  readonly run: Locator;
  readonly cancel: Locator;
  readonly decodingToggle: Locator;
  readonly decodingSummary: Locator;
  readonly output: Locator;
  readonly outputText: Locator;
  readonly progress: Locator;
  readonly stats: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('section-playground');
    this.empty = this.root.getByTestId('empty-playground');
    this.addDemo = this.root.getByTestId('add-demo-model');
    this.workbench = this.root.getByTestId('playground');
    this.model = this.root.getByTestId('playground-model');
    this.modelStatus = this.root.getByTestId('playground-model-status');
    this.modeChat = this.root.getByTestId('prompt-mode-chat');
    this.modeRaw = this.root.getByTestId('prompt-mode-raw');
    this.prompt = this.root.getByTestId('prompt-input');
    this.run = this.root.getByTestId('playground-run');
    this.cancel = this.root.getByTestId('playground-cancel');
    this.decodingToggle = this.root.getByTestId('decoding-toggle');
    this.decodingSummary = this.root.getByTestId('decoding-summary');
    this.output = this.root.getByTestId('playground-output');
    this.outputText = this.root.getByTestId('playground-output-text');
    this.progress = this.root.getByTestId('playground-progress');
    this.stats = this.root.getByTestId('playground-stats');
    this.error = this.root.getByTestId('playground-error');
  }

  /** A pick (specialization, model, lora, soft-prompt, template, template-version, demonstrations) as shown. */
  pick(name: string): Locator {
    return this.root.getByTestId(`playground-${name}`);
  }

  /** The box of a template field, for specialized runs. */
  field(name: string): Locator {
    return this.root.getByTestId(`playground-field-${name}`);
  }

  /** The prompt a template rendered for the last run (inside a disclosure). */
  get renderedPrompt(): Locator {
    return this.root.getByTestId('playground-prompt-text');
  }

  setting(name: string): Locator {
    return this.root.getByTestId(`setting-${name}`);
  }

  settingHelp(name: string): Locator {
    return this.root.getByTestId(`setting-${name}-help`);
  }

  stat(name: 'tokens' | 'speed' | 'ttft' | 'finish' | 'seed'): Locator {
    return this.root.getByTestId(`stat-${name}`);
  }

  async openSettings(): Promise<void> {
    if ((await this.decodingToggle.getAttribute('aria-expanded')) !== 'true') await this.decodingToggle.click();
  }
}
