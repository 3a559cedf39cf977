// The recently opened workspaces, most recent first, kept as a small JSON file in the app-data folder. It is a
// convenience: a damaged file reads as an empty list rather than stopping the app, and entries are checked at read.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentWorkspace } from '../../../shared/contract/workspace';
import { pathExists, readTextIfExists, writeJsonAtomic } from '../../platform/files/atomic';
import { MARKER_FILE } from './layout';

export const RECENT_FILE = 'recent-workspaces.json';
export const RECENT_CAP = 12;

const Entry = z.object({ path: z.string().min(1), name: z.string(), openedAt: z.string() });
type Entry = z.infer<typeof Entry>;
const RecentFile = z.object({ version: z.literal(1), workspaces: z.array(z.unknown()) });

export class RecentList {
  private readonly file: string;
  /** Serializes read-modify-write cycles so two quick opens cannot drop each other's entry. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly appDataDir: string,
    private readonly cap = RECENT_CAP,
  ) {
    this.file = path.join(appDataDir, RECENT_FILE);
  }

  /** The entries with `exists` computed now: false when the folder (or its marker) has gone. */
  async list(): Promise<RecentWorkspace[]> {
    const entries = await this.load();
    return Promise.all(
      entries.map(async (entry) => ({ ...entry, exists: await pathExists(path.join(entry.path, MARKER_FILE)) })),
    );
  }

  /** Moves (or adds) the workspace to the top; `entry.path` must already be canonical. */
  async touch(entry: Entry): Promise<void> {
    await this.update((entries) => [entry, ...entries.filter((other) => other.path !== entry.path)]);
  }

  /** Removes every entry whose path is one of `paths` (the typed form and its canonical form). */
  async forget(paths: readonly string[]): Promise<void> {
    await this.update((entries) => entries.filter((entry) => !paths.includes(entry.path)));
  }

  private update(change: (entries: Entry[]) => Entry[]): Promise<void> {
    const run = this.queue.then(async () => {
      const next = dedupe(change(await this.load())).slice(0, this.cap);
      await fs.mkdir(this.appDataDir, { recursive: true });
      await writeJsonAtomic(this.file, { version: 1, workspaces: next });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Entry[]> {
    let text: string | undefined;
    try {
      text = await readTextIfExists(this.file);
    } catch {
      return [];
    }
    if (text === undefined) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return [];
    }
    const file = RecentFile.safeParse(parsed);
    if (!file.success) return [];
    // Keep the good entries of a partly damaged (hand-edited) file; drop the rest.
    const entries = file.data.workspaces.flatMap((raw) => {
      const entry = Entry.safeParse(raw);
      return entry.success && path.isAbsolute(entry.data.path) ? [entry.data] : [];
    });
    return dedupe(entries).slice(0, this.cap);
  }
}

function dedupe(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  const kept: Entry[] = [];
  for (const entry of entries) {
    if (seen.has(entry.path)) continue;
    seen.add(entry.path);
    kept.push(entry);
  }
  return kept;
}
