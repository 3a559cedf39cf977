// Suggesting a folder for a new workspace from its name. Only a suggestion: whatever the user ends up with is
// sent as typed, and the services decide whether it is acceptable.

export function separatorFor(platform: string): string {
  return platform === 'win32' ? '\\' : '/';
}

/**
 * parent + the name with characters that folder names cannot hold replaced, e.g. "/home/ana/Documents/Contracts QA".
 */
export function suggestFolder(parent: string, name: string, platform: string): string {
  const sep = separatorFor(platform);
  const base = parent.endsWith(sep) ? parent : `${parent}${sep}`;
  return `${base}${name.trim().replace(/[\\/:*?"<>|]+/g, '-')}`;
}
