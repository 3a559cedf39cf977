// Which text encoding a user's file is in, from its first bytes: a byte-order mark, the NUL pattern of UTF-16, a
// strict UTF-8 check, else chardet's guess. UTF-16 and Windows-1252 (Latin-1) are converted with a note the user
// sees; anything else is refused naming the encoding found and how to save the file as UTF-8.
import chardet from 'chardet';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingFound {
  readonly ok: true;
  readonly encoding: TextEncoding;
  /** Bytes of the byte-order mark to skip. */
  readonly bomBytes: number;
  /** Shown to the user when the file is not plain UTF-8 (null when it is). */
  readonly note: string | null;
}

export interface EncodingRefused {
  readonly ok: false;
  readonly reason: string;
  readonly hint: string;
}

/** How many bytes of the file's start to look at. */
export const SNIFF_BYTES = 64 * 1024;

export const SAVE_AS_UTF8 =
  'Open the file in a text editor and save it with the encoding "UTF-8" (in Excel: Save As > "CSV UTF-8").';

const LABELS: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'Windows-1252 (Latin-1)',
};

/** chardet names read as Windows-1252 (a superset of ISO-8859-1 in its printable range). */
const LATIN1_NAMES = new Set(['ISO-8859-1', 'windows-1252']);
/** chardet's confidence (0-100) from which its guess is taken as the file's encoding. */
const SURE = 50;

/** `head`: the first bytes of the file (up to SNIFF_BYTES; the whole file when shorter). */
export function sniffEncoding(head: Uint8Array): EncodingFound | EncodingRefused {
  const b = head;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return found('utf-8', 3, false);
  if (
    (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) ||
    (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff)
  ) {
    return refused('UTF-32');
  }
  if (b[0] === 0xff && b[1] === 0xfe) return found('utf-16le', 2, true);
  if (b[0] === 0xfe && b[1] === 0xff) return found('utf-16be', 2, true);
  const utf16 = utf16WithoutBom(b);
  if (utf16 !== undefined) return found(utf16, 0, true);
  if (b.includes(0)) {
    return {
      ok: false,
      reason: 'holds NUL bytes: it looks like a binary file (a spreadsheet, an archive, a database), not text',
      hint: 'Export the data as CSV or JSON Lines first, then import that file.',
    };
  }
  // Mostly valid UTF-8 beside a few invalid bytes: a UTF-8 file with damage or a pasted-in part in another encoding.
  // It is read as UTF-8, so the read stops at the line of the first bad byte and says so.
  if (isUtf8(b) || hasUtf8Sequences(b)) return found('utf-8', 0, false);
  // On a short sample chardet's first guess among the Latin-alphabet code pages is weak (Latvian for French text);
  // Latin-1 among the candidates, and no other encoding it is sure of, reads as Windows-1252 with the note.
  const candidates = chardet.analyse(b);
  const top = candidates[0];
  if (top !== undefined && !LATIN1_NAMES.has(top.name) && top.confidence >= SURE) return refused(top.name);
  if (candidates.some((c) => LATIN1_NAMES.has(c.name) && c.confidence > 0)) return found('windows-1252', 0, true);
  return refused(top?.name ?? 'an unknown encoding');
}

export function encodingLabel(encoding: TextEncoding): string {
  return LABELS[encoding];
}

/** Bytes `text` took in the file (for progress and row estimates). */
export function encodedLength(text: string, encoding: TextEncoding): number {
  if (encoding === 'utf-8') return Buffer.byteLength(text);
  return encoding === 'windows-1252' ? text.length : text.length * 2;
}

/** UTF-16 text without a BOM has a NUL in every other byte where it is ASCII; which half says the byte order. */
function utf16WithoutBom(b: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** Strict UTF-8, tolerating a sequence cut off at the end of the sample. */
function isUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** At least as many valid multi-byte UTF-8 characters as invalid bytes: UTF-8 with damage, not another encoding. */
function hasUtf8Sequences(b: Uint8Array): boolean {
  let valid = 0;
  let invalid = 0;
  for (const char of new TextDecoder('utf-8').decode(b)) {
    if (char === '\uFFFD') invalid++;
    else if (char.charCodeAt(0) > 0x7f) valid++;
  }
  return valid > 0 && valid >= invalid;
}

function found(encoding: TextEncoding, bomBytes: number, converted: boolean): EncodingFound {
  const note = converted
    ? `The file is encoded as ${LABELS[encoding]}; Dovetail converted it to UTF-8. Check accented and non-Latin letters in the preview.`
    : null;
  return { ok: true, encoding, bomBytes, note };
}

function refused(name: string): EncodingRefused {
  return {
    ok: false,
    reason: `is encoded as ${name}, which Dovetail does not read (it reads UTF-8, UTF-16 and Latin-1)`,
    hint: SAVE_AS_UTF8,
  };
}
