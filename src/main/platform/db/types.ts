// The narrow database interface services see. It mirrors better-sqlite3's synchronous API in shape, but services
// depend on this file only, so the driver stays an implementation detail of platform/db.

/** What SQLite stores: integers come back as number (bigint only where a statement opts in), blobs as Buffer. */
export type SqlValue = number | bigint | string | Uint8Array | null;

/** One bind argument: a positional value, a list of them, or named values for `@name` / `:name` / `$name`. */
export type BindArg = SqlValue | readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

/** A prepared statement; `Row` is the caller's claim about the columns (SQLite does not check it). */
export interface Statement<Row = Record<string, unknown>> {
  run(...args: BindArg[]): RunResult;
  get(...args: BindArg[]): Row | undefined;
  all(...args: BindArg[]): Row[];
  iterate(...args: BindArg[]): IterableIterator<Row>;
}

export interface SqlDatabase {
  /** Prepared statements are cached by their SQL text, so calling this inside a hot path is cheap. */
  prepare<Row = Record<string, unknown>>(sql: string): Statement<Row>;
  /** Runs a script of one or more statements without results (DDL, bulk SQL). */
  exec(sql: string): void;
  /**
   * Runs `fn` in a write transaction (BEGIN IMMEDIATE), committing when it returns and rolling back when it throws.
   * Nested calls become savepoints. `fn` must be synchronous: better-sqlite3 cannot hold a transaction across await.
   */
  transaction<T>(fn: () => T): T;
  /** The schema version (PRAGMA user_version) after migrations ran. */
  readonly schemaVersion: number;
}
