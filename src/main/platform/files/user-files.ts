// The one check for paths a user names (data files, workspace folders, experiment files): the text is a possible
// path, the place is not a virtual file system (/proc, /sys, /dev: endless or blocking "files", and a recursive
// mkdir there loops forever), and what is there is a regular file of bounded size or a folder. Every refusal is a
// UserError naming the path; no Node error code reaches the user.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { pathTextProblem } from '../../../shared/contract/paths';
import { UserError } from '../../../shared/errors';
import { isErrnoException } from './atomic';

/** Linux mount points whose entries are kernel views, not files: reading may never end or block. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** statfs magic numbers of Linux virtual file systems (linux/magic.h), for mounts elsewhere than the roots above. */
const VIRTUAL_FS_TYPES = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x65735543, 'fusectl'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
]);

export interface FileCheck {
  /** Names the argument in UserError.where, e.g. "datasets.import: files.0.path". */
  readonly where: string;
  /** The largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** What the file is for, in the hint: "a .jsonl or .csv file". */
  readonly expected: string;
}

/** Refuses a path that cannot name a file (NUL, control characters): internal callers bypass the contract's schema. */
export function checkPathText(input: string, where: string): void {
  const problem = pathTextProblem(input);
  if (problem !== undefined) {
    throw new UserError(`The path ${problem}.`, {
      code: 'bad-path',
      where,
      hint: 'Type the path again, or pick the file or folder with the chooser.',
    });
  }
}

/**
 * The virtual file system `absolute` lies on, or undefined for an ordinary one. Looks at the nearest existing folder.
 */
export async function virtualFileSystem(absolute: string): Promise<string | undefined> {
  // The roots and magic numbers are Linux's (macOS's statfs types are other numbers; /dev there is devfs, not files).
  if (process.platform !== 'linux') return undefined;
  const root = VIRTUAL_ROOTS.find((r) => absolute === r || absolute.startsWith(`${r}/`));
  if (root !== undefined) return root;
  let probe = absolute;
  for (;;) {
    const type = await fs.statfs(probe).then(
      (s) => s.type,
      () => undefined,
    );
    if (type !== undefined) return VIRTUAL_FS_TYPES.get(type);
    const parent = path.dirname(probe);
    if (parent === probe) return undefined;
    probe = parent;
  }
}

/** Refuses a place on a virtual file system, with `what` ("workspace", "data file") in the message. */
export async function refuseVirtual(absolute: string, where: string, what: string): Promise<void> {
  const fsName = await virtualFileSystem(absolute);
  if (fsName === undefined) return;
  throw new UserError(
    `${absolute} is on a system folder (${fsName}) that holds views of the running system, not files; it cannot hold a ${what}.`,
    {
      code: 'virtual-file-system',
      where,
      hint: `Choose a place in your home folder or on a data disk instead.`,
    },
  );
}

/** Stats a user-named file: it must exist, be a regular file (symlinks followed) of at most maxBytes, off /proc etc. */
export async function checkUserFile(absolute: string, check: FileCheck): Promise<Stats> {
  checkPathText(absolute, check.where);
  await refuseVirtual(absolute, check.where, 'data file');
  let info: Stats;
  try {
    info = await fs.stat(absolute);
  } catch (error) {
    throw statError(absolute, check, error);
  }
  if (!info.isFile()) {
    throw new UserError(`${absolute} is ${kindOf(info)}, not a regular file.`, {
      code: 'not-a-file',
      where: check.where,
      hint: `Give ${check.expected}.${info.isDirectory() ? '' : ' Special files (pipes, devices, sockets) and links to them cannot be read to an end.'}`,
    });
  }
  if (info.size > check.maxBytes) {
    throw new UserError(`${absolute} is ${formatBytes(info.size)}, over the limit of ${formatBytes(check.maxBytes)}.`, {
      code: 'file-too-large',
      where: check.where,
      hint: 'Split the file into smaller parts, or check that this is the file you meant.',
    });
  }
  return info;
}

/** What a non-regular file is, in words. */
export function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function statError(absolute: string, check: FileCheck, error: unknown): UserError {
  const code = isErrnoException(error) ? error.code : undefined;
  const [message, hint] =
    code === 'ENOENT'
      ? [`The file ${absolute} does not exist.`, 'Check the path; relative paths start at your home folder.']
      : code === 'EACCES' || code === 'EPERM'
        ? [`You do not have permission to read ${absolute}.`, "Check the file's permissions."]
        : code === 'ENOTDIR'
          ? [`A part of the path ${absolute} is a file, not a folder.`, 'Check the path.']
          : code === 'ELOOP'
            ? [`${absolute} is a link that points back at itself.`, 'Give the file the link was meant to point at.']
            : code === 'ENAMETOOLONG'
              ? [`The path ${absolute} is too long.`, 'Move the file to a shorter path.']
              : [`${absolute} cannot be read.`, 'Check the path and that the file is readable.'];
  return new UserError(message, {
    code: code === 'ENOENT' ? 'file-missing' : 'file-unreadable',
    where: check.where,
    hint,
    cause: error,
  });
}
