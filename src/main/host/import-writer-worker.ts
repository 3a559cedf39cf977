// Entry of the import writer (a task worker): stores an import's spooled rows in one transaction on a database
// connection of its own, so that a large import's write never holds up the main thread. WAL lets main keep reading
// meanwhile; a write of main's waits for this transaction to commit.
import { Database, workspaceMigrations } from '../platform/db';
import { writeVersionTask, type WriteTask } from '../services/datasets/write-version';
import { serveTasks } from './task-worker';

serveTasks<WriteTask>((task) => {
  const db = Database.open(task.file, { migrations: workspaceMigrations });
  try {
    return writeVersionTask(db, task);
  } finally {
    db.close();
  }
});
