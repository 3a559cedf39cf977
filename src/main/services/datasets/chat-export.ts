// A dataset version written as OpenAI chat fine-tuning JSON Lines (datasets.exportChat): which fields play the
// system and history parts, the check that the version has a reference, and the file's name.
import type { DatasetVersion, SplitName } from '../../../shared/contract/datasets';
import { UserError } from '../../../shared/errors';
import { chatLine, type ChatExportRoles } from './chat-format';
import type { DatasetRow } from './datasets-service';

export interface ChatExportArg {
  readonly versionId: string;
  readonly split: SplitName | null;
  readonly systemField?: string | null | undefined;
  readonly historyField?: string | null | undefined;
}

/** The roles the lines are built from; a UserError when the version cannot make conversations. */
export function chatExportRoles(version: DatasetVersion, arg: ChatExportArg): ChatExportRoles {
  const where = (field: string) => `datasets.exportChat: ${field}`;
  if (version.roles.reference === null) {
    throw new UserError(`${version.name} v${version.version} has no reference field to be the assistant's answer.`, {
      code: 'dataset-export-chat',
      where: where('versionId'),
      hint: 'Import the file again with one column in the reference role.',
    });
  }
  const names = new Set(version.fields.map((f) => f.name));
  const pick = (given: string | null | undefined, usual: string, key: string): string | null => {
    if (given === undefined) return names.has(usual) ? usual : null;
    if (given !== null && !names.has(given)) {
      throw new UserError(`${version.name} v${version.version} has no field "${given}".`, {
        code: 'dataset-export-chat',
        where: where(key),
        hint: `Its fields: ${[...names].join(', ')}.`,
      });
    }
    return given;
  };
  return {
    input: version.roles.input,
    reference: version.roles.reference,
    system: pick(arg.systemField, 'system', 'systemField'),
    history: pick(arg.historyField, 'history', 'historyField'),
  };
}

export function chatExportText(rows: readonly DatasetRow[], roles: ChatExportRoles): string {
  return rows.map((r) => chatLine(r.data, roles)).join('\n') + (rows.length > 0 ? '\n' : '');
}

/** "support-triage-v2-test.chat.jsonl": the name with anything but letters and digits as dashes. */
export function chatExportFileName(version: DatasetVersion, split: SplitName | null): string {
  const base =
    version.name
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'dataset';
  return `${base}-v${version.version}${split === null ? '' : `-${split}`}.chat.jsonl`;
}
