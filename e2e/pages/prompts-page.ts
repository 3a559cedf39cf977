// Page object for the Prompts section (templates, versions, preview, demonstration sets), and the few API calls
// its tests make to set up a workspace (browser mode's HTTP API, as e2e/api.spec.ts calls it).
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import type { DovetailServer } from '../fixtures/server';
import { TemplateEditor } from './template-editor';

export class PromptsPage {
  readonly editor: TemplateEditor;

  constructor(readonly page: Page) {
    this.editor = new TemplateEditor(page);
  }

  private id(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  get newTemplate(): Locator {
    return this.id('template-new');
  }
  get name(): Locator {
    return this.id('template-name');
  }
  get message(): Locator {
    return this.id('template-message');
  }
  get save(): Locator {
    return this.id('template-save');
  }
  get saveError(): Locator {
    return this.id('template-save-error');
  }
  get saveStatus(): Locator {
    return this.id('template-save-status');
  }
  /** Shown while the editor's text does not parse (the draft the next save sends). */
  get unparsed(): Locator {
    return this.id('template-unparsed');
  }
  get insertExamples(): Locator {
    return this.id('template-insert-examples');
  }
  get items(): Locator {
    return this.id('template-item');
  }
  get versions(): Locator {
    return this.id('template-version');
  }
  get readOnly(): Locator {
    return this.id('template-readonly');
  }
  get restore(): Locator {
    return this.id('template-restore');
  }
  get previewText(): Locator {
    return this.id('preview-text');
  }
  get previewReference(): Locator {
    return this.id('preview-reference');
  }
  get previewRow(): Locator {
    return this.id('preview-row');
  }
  get previewNext(): Locator {
    return this.id('preview-next');
  }
  get missingFields(): Locator {
    return this.id('preview-missing-fields');
  }
  get setsTab(): Locator {
    return this.id('prompts-tab-sets');
  }
  get templatesTab(): Locator {
    return this.id('prompts-tab-templates');
  }
  get newSet(): Locator {
    return this.id('demo-new');
  }
  get setName(): Locator {
    return this.id('demo-name');
  }
  get setMessage(): Locator {
    return this.id('demo-message');
  }
  get saveSet(): Locator {
    return this.id('demo-save');
  }
  get picks(): Locator {
    return this.id('demo-pick');
  }
  get sets(): Locator {
    return this.id('demo-set');
  }
  get editorError(): Locator {
    return this.id('template-editor-error');
  }
  get compare(): Locator {
    return this.id('template-compare');
  }
  get diffDialog(): Locator {
    return this.id('template-diff-dialog');
  }
  get status(): Locator {
    return this.id('template-status');
  }
  get statusError(): Locator {
    return this.id('template-status-error');
  }
  get statusHistory(): Locator {
    return this.id('template-status-history');
  }
  get runChecks(): Locator {
    return this.id('checks-run');
  }
  get checksReport(): Locator {
    return this.id('checks-report');
  }
  get currentUser(): Locator {
    return this.id('current-user');
  }

  move(to: 'in-review' | 'approved' | 'draft' | 'deprecated'): Locator {
    return this.id(`template-move-${to}`);
  }

  tickVersion(n: number): Locator {
    return this.page.getByRole('checkbox', { name: `Compare version ${n}` });
  }

  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByTestId('template-item-name').getByText(name, { exact: true }) });
  }

  version(n: number): Locator {
    return this.page.locator(`[data-testid="template-version"][data-version="${n}"]`);
  }

  /** Picks an option of one of the screen's selects by the start of its text. */
  async choose(select: 'preview-dataset' | 'preview-examples' | 'demo-dataset', option: string): Promise<void> {
    await this.id(select).click();
    await this.page
      .getByRole('option', { name: new RegExp(`^${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })
      .click();
    await expect(this.page.getByRole('listbox')).toBeHidden();
  }

  /** Ticks the training row with this 1-based dataset row number in the demonstration set builder. */
  async tickRow(rowNumber: number): Promise<void> {
    await this.page.getByRole('checkbox', { name: `Use row ${rowNumber} as an example` }).check();
  }
}

/** One call of Dovetail's HTTP API with the server's token; a failure throws with the error envelope. */
export async function callApi<T>(
  request: APIRequestContext,
  server: DovetailServer,
  path: `${string}/${string}`,
  arg: object,
): Promise<T> {
  const response = await request.post(`${server.origin}/api/call/${path}`, {
    data: arg,
    headers: { 'x-dovetail-token': server.token },
  });
  const body = (await response.json()) as { ok: boolean; result?: T; error?: unknown };
  if (!body.ok) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

export const SUPPORT_TRIAGE = 'Support triage';

/**
 * The 'Support triage' dataset's newest version id in the open workspace. Imported from the bundled files (splits
 * given by file) when the workspace does not have it yet.
 */
export async function supportTriageVersion(request: APIRequestContext, server: DovetailServer): Promise<string> {
  const list = await callApi<{ name: string; versions: { id: string }[] }[]>(request, server, 'datasets/list', {});
  const found = list.find((d) => d.name === SUPPORT_TRIAGE)?.versions[0];
  if (found) return found.id;
  const dir = resolve('resources/datasets/support-triage');
  const imported = await callApi<{ version: { id: string } }>(request, server, 'datasets/import', {
    newName: SUPPORT_TRIAGE,
    files: (['train', 'validation', 'test'] as const).map((split) => ({ path: `${dir}/${split}.jsonl`, split })),
    mapping: [
      { source: 'id', name: 'id', role: 'key' },
      { source: 'message', name: 'message', role: 'input' },
      { source: 'output', name: 'output', role: 'reference' },
      { source: 'category', name: 'category', role: 'label' },
    ],
    split: { kind: 'given' },
  });
  return imported.version.id;
}
