// Page object for the app shell: top bar, navigation, sections, status bar. Locators use data-testid and roles.
import { expect, type Locator, type Page } from '@playwright/test';
import type { DovetailServer } from '../fixtures/server';
import { WorkspacePicker } from './workspace-picker';

/**
 * The sections in navigation order (Ctrl+1..9, then 0) and the heading each shows in a new workspace (its empty state).
 */
export const SECTIONS = [
  { id: 'start', label: 'Start here', empty: 'Start here', numbered: false },
  { id: 'projects', label: 'Projects', empty: 'Projects', numbered: false },
  { id: 'models', label: 'Models', empty: 'No models yet' },
  { id: 'datasets', label: 'Datasets', empty: 'No datasets yet' },
  { id: 'prompts', label: 'Prompts', empty: 'No prompts yet' },
  { id: 'adapters', label: 'Adapters', empty: 'No adapters yet' },
  { id: 'playground', label: 'Playground', empty: 'Nothing to try yet' },
  { id: 'experiments', label: 'Experiments', empty: 'No experiments yet' },
  { id: 'review', label: 'Review', empty: 'No review rounds yet' },
  { id: 'releases', label: 'Releases', empty: 'No releases yet' },
  { id: 'reports', label: 'Reports', empty: 'No reports yet' },
  // Never empty once a workspace exists: creating it is the log's first entry.
  { id: 'audit', label: 'Audit', empty: 'Audit trail' },
  // After the ten sections Ctrl/Cmd+digit reaches.
  { id: 'observability', label: 'Observability', empty: 'No requests served yet', numbered: false },
] as const;
export type SectionId = (typeof SECTIONS)[number]['id'];

export class AppPage {
  readonly picker: WorkspacePicker;
  readonly currentWorkspace: Locator;
  readonly themeToggle: Locator;
  readonly engineState: Locator;
  readonly shortcutHelp: Locator;
  readonly connectionLost: Locator;

  constructor(
    readonly page: Page,
    readonly server: DovetailServer,
  ) {
    this.picker = new WorkspacePicker(page);
    this.currentWorkspace = page.getByTestId('current-workspace');
    this.themeToggle = page.getByTestId('theme-toggle');
    this.engineState = page.getByTestId('engine-state');
    this.shortcutHelp = page.getByTestId('shortcut-help');
    this.connectionLost = page.getByTestId('connection-lost');
  }

  /** Opens the link the server printed and waits until the app has loaded. */
  async open(): Promise<void> {
    await this.page.goto(this.server.url);
    await expect(this.page.getByTestId('app-shell')).toBeVisible();
  }

  /** A folder for a new workspace inside this test's scratch space. */
  folder(name: string): string {
    return `${this.server.workspacesDir}/${name}`;
  }

  async createWorkspace(name: string, folderName = name.toLowerCase().replace(/\W+/g, '-')): Promise<void> {
    await this.picker.create(name, this.folder(folderName));
    await expect(this.currentWorkspace).toHaveText(name);
  }

  nav(id: SectionId): Locator {
    return this.page.getByTestId(`nav-${id}`);
  }

  section(id: SectionId): Locator {
    return this.page.getByTestId(`section-${id}`);
  }

  async expectSection(id: SectionId): Promise<void> {
    const section = SECTIONS.find((s) => s.id === id)!;
    await expect(this.section(id)).toBeVisible();
    await expect(this.section(id).getByRole('heading', { name: section.empty })).toBeVisible();
    await expect(this.nav(id)).toHaveAttribute('aria-current', 'page');
  }

  async workspaceMenu(action: 'switch' | 'close'): Promise<void> {
    await this.currentWorkspace.click();
    await this.page.getByTestId(`workspace-${action}`).click();
  }

  /** The app's background colour as rendered, e.g. "rgb(18, 18, 18)" in the dark theme. */
  async expectBackground(color: string): Promise<void> {
    await expect(this.page.locator('body')).toHaveCSS('background-color', color);
  }
}

export const LIGHT_BACKGROUND = 'rgb(255, 255, 255)';
export const DARK_BACKGROUND = 'rgb(18, 18, 18)';
