// A user's text file read as a stream of decoded strings: the encoding sniffed from its start (text-encoding.ts),
// strict decoding (a byte that is not text in that encoding stops the read where it is), a byte cap that holds even if
// the file grows while read, a stall limit, and the sha256 and count of the raw bytes. `lines` splits such a stream
// into lines with a length cap, so one endless line is refused instead of filling memory. `readUserText` reads a small
// file whole under the same checks.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import {
  SAVE_AS_UTF8,
  SNIFF_BYTES,
  encodingLabel,
  sniffEncoding,
  type EncodingFound,
  type EncodingRefused,
} from './text-encoding';
import { UserError } from '../../../shared/errors';
import { checkUserFile, formatBytes, type FileCheck } from './user-files';

/** Why reading stopped, worded to follow "Line N of file.csv ..." (or the file name alone when line is 0). */
export class TextReadFailure extends Error {
  constructor(
    readonly reason: string,
    readonly hint: string,
    /** The 1-based line it happened on, when the thrower knows it. */
    readonly line?: number,
  ) {
    super(reason);
  }
}

export interface TextSource {
  readonly ok: true;
  readonly encoding: EncodingFound;
  /** Decoded text in order (the byte-order mark removed); throws TextReadFailure. Call once. */
  chunks(): AsyncGenerator<string, void, undefined>;
  bytesRead(): number;
  /** sha256 of the raw bytes read (of the whole file once chunks() has finished). */
  sha256(): string;
}

export interface TextSourceOptions {
  readonly maxBytes: number;
  /** No bytes for this long ends the read (a hung network mount). */
  readonly stallMs?: number;
}

const DEFAULT_STALL_MS = 60_000;

export async function openTextSource(path: string, options: TextSourceOptions): Promise<TextSource | EncodingRefused> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const encoding = sniffEncoding(head);
  if (!encoding.ok) return encoding;
  const hash = createHash('sha256');
  let bytes = 0;
  let digest: string | null = null;
  return {
    ok: true,
    encoding,
    bytesRead: () => bytes,
    sha256: () => (digest ??= hash.digest('hex')),
    async *chunks() {
      // end is inclusive: one byte past the cap is read so that a file grown past it is noticed.
      const stream = createReadStream(path, { highWaterMark: 256 * 1024, end: options.maxBytes });
      const decoder = new TextDecoder(encoding.encoding, { fatal: true });
      const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      try {
        for (;;) {
          const next = await withStallLimit(iterator.next(), options.stallMs ?? DEFAULT_STALL_MS);
          if (next.done) break;
          const chunk = next.value;
          bytes += chunk.length;
          hash.update(chunk);
          if (bytes > options.maxBytes) {
            throw new TextReadFailure(
              `grew past the limit of ${formatBytes(options.maxBytes)} while being read`,
              'Import a copy of the file that is no longer being written.',
            );
          }
          yield* decode(decoder, chunk, encoding, false);
        }
        yield* decode(decoder, new Uint8Array(0), encoding, true);
      } finally {
        stream.destroy();
      }
    },
  };
}

/** Splits decoded text into lines (\n or \r\n); a line longer than maxChars fails with its number. */
export async function* lines(
  chunks: AsyncIterable<string>,
  maxChars: number,
): AsyncGenerator<{ text: string; line: number }, void, undefined> {
  let line = 1;
  let pending: string[] = [];
  let pendingLength = 0;
  const take = (tail: string): string => {
    const text = pending.join('') + tail;
    pending = [];
    pendingLength = 0;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end >= 0; end = chunk.indexOf('\n', start)) {
      if (pendingLength + end - start > maxChars) throw tooLong(line, maxChars);
      yield { text: take(chunk.slice(start, end)), line };
      line++;
      start = end + 1;
    }
    const tail = chunk.slice(start);
    pendingLength += tail.length;
    if (pendingLength > maxChars) throw tooLong(line, maxChars);
    if (tail !== '') pending.push(tail);
  }
  if (pendingLength > 0) yield { text: take(''), line };
}

function tooLong(line: number, maxChars: number): TextReadFailure {
  return new TextReadFailure(
    `is longer than ${formatBytes(maxChars)} (reading stopped there)`,
    'Each line must hold one record. Check that the file is JSON Lines (one JSON object per line) and not one huge ' +
      'value.',
    line,
  );
}

/**
 * Decodes strictly. At a bad byte it yields the text before it (as a lenient decoder reads the chunk up to its first
 * replacement character), then throws: the caller's line count then points at the line that holds the byte.
 */
function* decode(
  decoder: TextDecoder,
  chunk: Uint8Array,
  encoding: EncodingFound,
  end: boolean,
): Generator<string, void, undefined> {
  let text: string;
  try {
    text = decoder.decode(chunk, { stream: !end });
  } catch {
    const lenient = new TextDecoder(encoding.encoding).decode(chunk);
    const bad = lenient.indexOf('\uFFFD');
    if (bad > 0) yield lenient.slice(0, bad);
    throw new TextReadFailure(
      `is not valid ${encodingLabel(encoding.encoding)} text`,
      `The file mixes encodings or is damaged. ${SAVE_AS_UTF8}`,
    );
  }
  if (text !== '') yield text;
}

async function withStallLimit<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TextReadFailure(
            `gave no data for ${Math.round(ms / 1000)} s`,
            'Copy the file to a local disk and import the copy.',
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A small user-named text file read whole (an experiment file, a training JSONL): checked (regular file, size, not
 * /proc), read up to the cap however the file changes meanwhile, and decoded as sniffed. Refusals are UserErrors.
 */
export async function readUserText(
  path: string,
  check: FileCheck,
): Promise<{ text: string; bytes: Buffer; note: string | null }> {
  await checkUserFile(path, check);
  const handle = await open(path, 'r');
  let bytes: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(check.maxBytes + 1, (await handle.stat()).size + 1));
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0 || (filled += bytesRead) === buffer.length) break;
    }
    bytes = buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
  if (bytes.length > check.maxBytes) {
    throw new UserError(`${path} grew past the limit of ${formatBytes(check.maxBytes)} while being read.`, {
      code: 'file-too-large',
      where: check.where,
      hint: 'Use a copy of the file that is no longer being written.',
    });
  }
  const encoding = sniffEncoding(bytes.subarray(0, SNIFF_BYTES));
  if (!encoding.ok)
    throw new UserError(`${path} ${encoding.reason}.`, {
      code: 'file-encoding',
      where: check.where,
      hint: encoding.hint,
    });
  try {
    return { text: new TextDecoder(encoding.encoding, { fatal: true }).decode(bytes), bytes, note: encoding.note };
  } catch {
    throw new UserError(`${path} is not valid ${encodingLabel(encoding.encoding)} text.`, {
      code: 'file-encoding',
      where: check.where,
      hint: SAVE_AS_UTF8,
    });
  }
}
