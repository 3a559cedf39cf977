// The workspace database schema, as an append-only list of migrations. To change the schema, add one entry at the
// end with the next version; never edit or reorder an entry that has shipped (user databases already ran it).
import type { Migration } from './migrate';

export const workspaceMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'workspace meta table',
    // One row describing the workspace; the CHECK keeps it a single row. STRICT tables reject wrongly typed values
    // instead of silently storing them, which later domain tables rely on too.
    up: `
      CREATE TABLE workspace (
        singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
        id          TEXT NOT NULL,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        app_version TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'models registry',
    // Base models registered by folder. The folder's files stay the user's; content_hash identifies the model, so the
    // same checkpoint is registered once. facts holds the inspected config/tokenizer facts (JSON, checked by zod on
    // read); files (name, size and digest of each file the model reads) let a list notice cheaply that it changed.
    up: `
      CREATE TABLE models (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        folder         TEXT NOT NULL,
        content_hash   TEXT NOT NULL UNIQUE,
        architecture   TEXT NOT NULL,
        parameters     INTEGER NOT NULL,
        bytes_on_disk  INTEGER NOT NULL,
        dtype          TEXT NOT NULL,
        context_length INTEGER NOT NULL,
        facts          TEXT NOT NULL,
        files          TEXT NOT NULL,
        added_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX models_folder ON models (folder);
    `,
  },
  {
    version: 3,
    name: 'training jobs and adapters',
    // A training job keeps its spec, last progress and loss history (JSON, checked by zod on read); its checkpoints
    // live in <workspace>/training/<id>/. An adapter version is a PEFT folder in <workspace>/adapters/<id>/ with its
    // lineage sidecar; the row keeps what the list shows (check and vLLM reports as JSON).
    up: `
      CREATE TABLE training_jobs (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        model_id   TEXT NOT NULL,
        state      TEXT NOT NULL,
        spec       TEXT NOT NULL,
        progress   TEXT,
        history    TEXT NOT NULL,
        error      TEXT,
        adapter_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE adapters (
        id                TEXT PRIMARY KEY,
        name              TEXT NOT NULL,
        model_id          TEXT NOT NULL,
        base_content_hash TEXT NOT NULL,
        method            TEXT NOT NULL,
        source            TEXT NOT NULL,
        folder            TEXT NOT NULL,
        job_id            TEXT,
        final_loss        REAL,
        final_val_loss    REAL,
        reports           TEXT NOT NULL,
        history           TEXT NOT NULL,
        created_at        TEXT NOT NULL
      ) STRICT;
    `,
  },
];
