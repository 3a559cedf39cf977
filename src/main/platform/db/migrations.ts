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
];
