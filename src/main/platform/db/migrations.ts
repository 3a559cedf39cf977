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
  {
    version: 4,
    name: 'templates, specializations, experiments and outputs',
    // Template and demonstration-set versions are immutable rows (a save adds a version). A specialization is a
    // content-hashed bundle (parts as JSON). An experiment keeps its spec and cells as JSON; outputs are keyed by what
    // determines them (specialization hash, example content hash, decoding hash, seed), not by experiment, so a re-run
    // or another experiment over the same bundle and rows reuses them.
    up: `
      CREATE TABLE templates (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE template_versions (
        id           TEXT PRIMARY KEY,
        template_id  TEXT NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
        version      INTEGER NOT NULL,
        source       TEXT NOT NULL,
        system       TEXT,
        chat         INTEGER NOT NULL,
        message      TEXT NOT NULL,
        fields       TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        status       TEXT NOT NULL DEFAULT 'draft',
        author       TEXT,
        created_at   TEXT NOT NULL,
        UNIQUE (template_id, version)
      ) STRICT;
      CREATE TABLE demonstration_sets (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE demonstration_set_versions (
        id                 TEXT PRIMARY KEY,
        set_id             TEXT NOT NULL REFERENCES demonstration_sets (id) ON DELETE CASCADE,
        version            INTEGER NOT NULL,
        dataset_version_id TEXT NOT NULL,
        row_keys           TEXT NOT NULL,
        message            TEXT NOT NULL,
        content_hash       TEXT NOT NULL,
        created_at         TEXT NOT NULL,
        UNIQUE (set_id, version)
      ) STRICT;
      CREATE TABLE specializations (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        hash         TEXT NOT NULL UNIQUE,
        parts        TEXT NOT NULL,
        components   TEXT NOT NULL,
        derived_from TEXT,
        created_at   TEXT NOT NULL
      ) STRICT;
      CREATE TABLE experiments (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        spec       TEXT NOT NULL,
        cells      TEXT NOT NULL,
        state      TEXT NOT NULL,
        progress   TEXT,
        error      TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE outputs (
        spec_hash        TEXT NOT NULL,
        example_hash     TEXT NOT NULL,
        decoding_hash    TEXT NOT NULL,
        seed             INTEGER NOT NULL,
        text             TEXT NOT NULL,
        finish_reason    TEXT NOT NULL,
        prompt_tokens    INTEGER NOT NULL,
        generated_tokens INTEGER NOT NULL,
        ttft_ms          REAL,
        total_ms         REAL NOT NULL,
        tokens_per_s     REAL,
        created_at       TEXT NOT NULL,
        PRIMARY KEY (spec_hash, example_hash, decoding_hash, seed)
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'datasets, versions and rows',
    // A dataset version is immutable: its source files (name, size, sha256), fields with types and roles, split
    // settings and counts are JSON/columns on the version row; rows keep their file and line, their data as a JSON
    // object, a content hash and a hash of their normalised inputs (for duplicates). Reading a split in order uses
    // dataset_rows_split; duplicate and key checks use the other two indexes.
    up: `
      CREATE TABLE datasets (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE dataset_versions (
        id               TEXT PRIMARY KEY,
        dataset_id       TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        version          INTEGER NOT NULL,
        message          TEXT NOT NULL,
        source           TEXT NOT NULL,
        fields           TEXT NOT NULL,
        roles            TEXT NOT NULL,
        split_settings   TEXT NOT NULL,
        row_count        INTEGER NOT NULL,
        duplicate_count  INTEGER NOT NULL,
        train_count      INTEGER NOT NULL,
        validation_count INTEGER NOT NULL,
        test_count       INTEGER NOT NULL,
        content_hash     TEXT NOT NULL,
        created_at       TEXT NOT NULL,
        UNIQUE (dataset_id, version)
      ) STRICT;
      CREATE TABLE dataset_rows (
        version_id   TEXT NOT NULL REFERENCES dataset_versions (id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        key          TEXT NOT NULL,
        split        TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
        file         TEXT NOT NULL,
        line         INTEGER NOT NULL,
        data         TEXT NOT NULL,
        row_hash     TEXT NOT NULL,
        input_hash   TEXT NOT NULL,
        duplicate_of INTEGER,
        PRIMARY KEY (version_id, idx)
      ) STRICT;
      CREATE INDEX dataset_rows_split ON dataset_rows (version_id, split, idx);
      CREATE INDEX dataset_rows_input ON dataset_rows (version_id, input_hash, idx);
      CREATE INDEX dataset_rows_key ON dataset_rows (version_id, key);
    `,
  },
  {
    version: 6,
    name: 'users, template status history and checks, demonstration selection',
    // Local user profiles (the current user is kept per app instance by the users service, not here). Status changes
    // of template versions are appended rows (who, when, from/to) so the history panel can say who approved what;
    // template_versions.status (migration 4) holds the current one. Check reports are kept per template version and
    // dataset version: approval reads the newest. A demonstration set version says how it picks its examples per input.
    up: `
      CREATE TABLE users (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN ('editor', 'reviewer', 'analyst', 'admin')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE template_status_changes (
        version_id  TEXT NOT NULL REFERENCES template_versions (id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        from_status TEXT NOT NULL,
        to_status   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        note        TEXT NOT NULL,
        at          TEXT NOT NULL,
        PRIMARY KEY (version_id, seq)
      ) STRICT;
      CREATE TABLE template_checks (
        id                 TEXT PRIMARY KEY,
        version_id         TEXT NOT NULL REFERENCES template_versions (id) ON DELETE CASCADE,
        dataset_version_id TEXT NOT NULL,
        passed             INTEGER NOT NULL,
        report             TEXT NOT NULL,
        ran_at             TEXT NOT NULL
      ) STRICT;
      CREATE INDEX template_checks_version ON template_checks (version_id, ran_at);
      ALTER TABLE demonstration_set_versions ADD COLUMN selection TEXT NOT NULL DEFAULT '{"kind":"fixed"}';
    `,
  },
  {
    version: 7,
    name: 'review rounds, votes and share tokens',
    // A round keeps its spec (with the seed) and its plan (sampled units with their output texts, each reviewer's
    // blinded queue) as JSON, fixed at creation; votes are rows, one per item, `seq` ordering them for undo. A share
    // token (one per reviewer and round, revocable) is stored only as its sha256.
    up: `
      CREATE TABLE review_rounds (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        experiment_id TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        spec          TEXT NOT NULL,
        plan          TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        closed_at     TEXT
      ) STRICT;
      CREATE TABLE review_votes (
        round_id    TEXT NOT NULL REFERENCES review_rounds (id) ON DELETE CASCADE,
        item_id     TEXT NOT NULL,
        reviewer_id TEXT NOT NULL,
        verdict     TEXT NOT NULL,
        tags        TEXT NOT NULL,
        comment     TEXT NOT NULL,
        ms          INTEGER NOT NULL,
        at          TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        PRIMARY KEY (round_id, item_id)
      ) STRICT;
      CREATE TABLE review_shares (
        token_hash  TEXT PRIMARY KEY,
        round_id    TEXT NOT NULL REFERENCES review_rounds (id) ON DELETE CASCADE,
        reviewer_id TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'dataset version lineage',
    // Where a dataset version came from when Dovetail made it (today: the preferred outputs of a closed review round).
    // Nullable: imported files have none. No foreign key: the lineage stays a record even if the round goes away, so
    // the round's name is kept beside its id.
    up: `
      ALTER TABLE dataset_versions ADD COLUMN source_round_id TEXT;
      ALTER TABLE dataset_versions ADD COLUMN source_round_name TEXT;
      ALTER TABLE dataset_versions ADD COLUMN source_experiment_id TEXT;
    `,
  },
  {
    version: 9,
    name: 'user passphrases',
    // A profile's passphrase, only as its scrypt hash with salt and cost ("scrypt$N$r$p$salt$hash", base64url);
    // null: the profile signs in without one.
    up: `
      ALTER TABLE users ADD COLUMN passphrase TEXT;
    `,
  },
  {
    version: 10,
    name: 'releases and channels',
    // A release is immutable (triggers refuse UPDATE and DELETE): its frozen lineage manifest names every part with
    // its content hash. Evidence and approvals are appended beside it. A channel points at one release; every move
    // (promotion or rollback) is appended to channel_moves, which is what rollback reads.
    up: `
      CREATE TABLE releases (
        id                TEXT PRIMARY KEY,
        name              TEXT NOT NULL,
        version           TEXT NOT NULL,
        specialization_id TEXT NOT NULL REFERENCES specializations (id),
        spec_hash         TEXT NOT NULL,
        manifest          TEXT NOT NULL,
        notes             TEXT NOT NULL,
        author_id         TEXT,
        author_name       TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        UNIQUE (name, version)
      ) STRICT;
      CREATE TRIGGER releases_immutable BEFORE UPDATE ON releases BEGIN SELECT RAISE(ABORT, 'a release is immutable'); END;
      CREATE TRIGGER releases_kept BEFORE DELETE ON releases BEGIN SELECT RAISE(ABORT, 'a release is kept'); END;
      CREATE TABLE release_evidence (
        release_id TEXT NOT NULL REFERENCES releases (id),
        seq        INTEGER NOT NULL,
        snapshot   TEXT NOT NULL,
        added_by   TEXT NOT NULL,
        added_at   TEXT NOT NULL,
        PRIMARY KEY (release_id, seq)
      ) STRICT;
      CREATE TABLE release_approvals (
        release_id TEXT NOT NULL REFERENCES releases (id),
        user_id    TEXT NOT NULL,
        user_name  TEXT NOT NULL,
        at         TEXT NOT NULL,
        PRIMARY KEY (release_id, user_id)
      ) STRICT;
      CREATE TABLE channels (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        release_id TEXT REFERENCES releases (id),
        gates      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE channel_moves (
        channel_id      TEXT NOT NULL REFERENCES channels (id),
        seq             INTEGER NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('promote', 'rollback')),
        from_release_id TEXT,
        to_release_id   TEXT,
        actor_id        TEXT,
        actor_name      TEXT NOT NULL,
        at              TEXT NOT NULL,
        PRIMARY KEY (channel_id, seq)
      ) STRICT;
      INSERT INTO channels (id, name, release_id, gates, created_at, updated_at)
        SELECT 'channel-' || name, name, NULL, '{}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM (SELECT 'dev' AS name UNION ALL SELECT 'staging' UNION ALL SELECT 'production');
    `,
  },
  {
    version: 11,
    name: 'audit log and retention',
    // The hash-chained log of state-changing calls (services/audit): JSON columns hold canonical JSON, hash covers the
    // entry with prev_hash. audit_head is moved in the same transaction as each append, so entries cut off the end
    // of the log are noticed too. retention_policy: days to keep outputs, review comments and dataset rows (null:
    // forever); a dataset version whose rows retention deleted keeps its record, with rows_purged_at set.
    up: `
      CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        method    TEXT NOT NULL,
        args      TEXT NOT NULL,
        objects   TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE INDEX audit_log_method ON audit_log (method);
      CREATE TABLE audit_head (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        seq       INTEGER NOT NULL,
        hash      TEXT NOT NULL
      ) STRICT;
      CREATE TABLE retention_policy (
        singleton           INTEGER PRIMARY KEY CHECK (singleton = 1),
        outputs_days        INTEGER,
        review_comment_days INTEGER,
        dataset_row_days    INTEGER
      ) STRICT;
      ALTER TABLE dataset_versions ADD COLUMN rows_purged_at TEXT;
    `,
  },
  {
    version: 12,
    name: 'redaction lineage and privacy policy',
    // A version made by redacting another names its source version (no foreign key, as with rounds: the record stays
    // if the source is removed) with the redaction's counts. The privacy policy is one row per workspace: whether
    // personal data found at import, training, sharing and export warns or blocks, and the workspace's own patterns.
    up: `
      ALTER TABLE dataset_versions ADD COLUMN source_version_id TEXT;
      ALTER TABLE dataset_versions ADD COLUMN derivation TEXT;
      CREATE TABLE privacy_policy (
        singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
        on_finding TEXT NOT NULL CHECK (on_finding IN ('warn', 'block')),
        patterns   TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 13,
    name: 'reports',
    // Every report produced, kept as its document (canonical JSON, checked by zod on read) so it re-renders in any
    // format and its lineage can be verified later. subject/against name what it reports on as they were named then;
    // notes are the caller's own sections (the demo's training summary), kept so a re-generated report has them too.
    up: `
      CREATE TABLE reports (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        title         TEXT NOT NULL,
        subject_id    TEXT NOT NULL,
        subject_name  TEXT NOT NULL,
        against_id    TEXT,
        against_name  TEXT,
        author        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        manifest_hash TEXT NOT NULL,
        notes         TEXT NOT NULL,
        document      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX reports_by_kind ON reports (kind, created_at);
    `,
  },
  {
    version: 14,
    name: 'serving keys and request log',
    // API keys of the local endpoint are kept as sha256 hashes of 192-bit random secrets (a fast hash suffices for
    // secrets that cannot be guessed; passphrases, which can, get scrypt); revoking stamps the row. Every request the
    // endpoint answered is one row of counts and timings, text only when the log settings keep it.
    up: `
      CREATE TABLE serving_keys (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        prefix       TEXT NOT NULL,
        hash         TEXT NOT NULL UNIQUE,
        created_at   TEXT NOT NULL,
        created_by   TEXT NOT NULL,
        revoked_at   TEXT,
        last_used_at TEXT
      ) STRICT;
      CREATE TABLE serving_requests (
        id                TEXT PRIMARY KEY,
        at                TEXT NOT NULL,
        endpoint          TEXT NOT NULL,
        model             TEXT,
        release_id        TEXT,
        channel           TEXT,
        stream            INTEGER NOT NULL,
        status            INTEGER NOT NULL,
        outcome           TEXT NOT NULL CHECK (outcome IN ('ok', 'cancelled', 'error')),
        error_class       TEXT,
        prompt_tokens     INTEGER,
        completion_tokens INTEGER,
        queue_ms          REAL,
        ttft_ms           REAL,
        total_ms          REAL NOT NULL,
        tokens_per_second REAL,
        batch_size        INTEGER,
        prompt            TEXT,
        completion        TEXT
      ) STRICT;
      CREATE INDEX serving_requests_at ON serving_requests (at);
      CREATE TABLE serving_log_settings (
        singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
        record_text    INTEGER NOT NULL,
        retention_days INTEGER
      ) STRICT;
    `,
  },
  {
    version: 15,
    name: 'engine memory per output',
    // The engine worker's peak resident memory while it generated the output's batch (bytes), for memory budgets.
    // Null for outputs stored before it was recorded: a memory budget then reads as not measured.
    up: `
      ALTER TABLE outputs ADD COLUMN peak_rss_bytes INTEGER;
    `,
  },
  {
    version: 16,
    name: 'specialization projects and their decisions',
    // A project's spec, stages and best-so-far are JSON (zod-checked on read). A decision is recorded once, with its
    // evidence and the sha256 of its canonical JSON, and the database refuses to change or delete it, so a release
    // can cite it by id and hash.
    up: `
      CREATE TABLE projects (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        spec       TEXT NOT NULL,
        stages     TEXT NOT NULL,
        best       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE project_decisions (
        id          TEXT PRIMARY KEY,
        project_id  TEXT NOT NULL REFERENCES projects (id),
        option      TEXT NOT NULL CHECK (option IN ('prompt', 'adapter', 'both')),
        decided_by  TEXT NOT NULL,
        evidence    TEXT NOT NULL,
        hash        TEXT NOT NULL,
        actor       TEXT NOT NULL,
        decided_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX project_decisions_project ON project_decisions (project_id, decided_at);
      CREATE TRIGGER project_decisions_immutable BEFORE UPDATE ON project_decisions
        BEGIN SELECT RAISE(ABORT, 'a recorded decision is immutable'); END;
      CREATE TRIGGER project_decisions_kept BEFORE DELETE ON project_decisions
        BEGIN SELECT RAISE(ABORT, 'a recorded decision is kept'); END;
    `,
  },
  {
    version: 17,
    name: 'failure rules, robustness probes and drift audits',
    // The workspace's failure rules (one JSON list); probes name the dataset version of their variants and the two
    // experiments (clean, perturbed) that ran them; a release's audit set (one per release, replaced when changed;
    // releases themselves stay immutable) names the experiment holding its recorded outputs and the weight format they
    // were made at (outputs are keyed by it); each drift audit keeps its outcome once computed.
    up: `
      CREATE TABLE failure_rules (
        singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
        rules      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE robustness_probes (
        id                  TEXT PRIMARY KEY,
        spec                TEXT NOT NULL,
        variants_version_id TEXT NOT NULL,
        clean_experiment_id TEXT NOT NULL,
        probe_experiment_id TEXT NOT NULL,
        created_at          TEXT NOT NULL
      ) STRICT;
      CREATE TABLE release_audit_sets (
        release_id             TEXT PRIMARY KEY REFERENCES releases (id),
        spec                   TEXT NOT NULL,
        baseline_experiment_id TEXT NOT NULL,
        recorded_format        TEXT NOT NULL,
        created_at             TEXT NOT NULL
      ) STRICT;
      CREATE TABLE drift_audits (
        id            TEXT PRIMARY KEY,
        release_id    TEXT NOT NULL REFERENCES releases (id),
        experiment_id TEXT NOT NULL,
        trigger       TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        state         TEXT NOT NULL,
        flags         TEXT NOT NULL,
        comparison    TEXT,
        error         TEXT
      ) STRICT;
      CREATE INDEX drift_audits_release ON drift_audits (release_id, started_at);
    `,
  },
];
