// OpenAI's chat fine-tuning format ({"messages": [{role, content}, ...]} per line) both ways. Import flattens a
// conversation into fields: `system` (per the mapping), `input` (the last user message), `reference` (the final
// assistant message) and `history` (the turns before the last user message); export writes a version's rows back
// as conversations. Only text crosses: image or audio parts and tool calls are refused by line, not dropped.
import type { ChatMapping, DataFormat } from '../../../shared/contract/datasets';
import type { ReadItem, RecordReader } from './readers';

/** The fields a flattened conversation has (with `history` only when kept, `system` unless 'none'). */
export const CHAT_FIELDS = ['system', 'input', 'reference', 'history'] as const;

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

interface Turn {
  readonly role: string;
  readonly content: string | null;
  readonly toolCalls: boolean;
}

/** Whether a parsed row is in the chat format (a `messages` list): the inspection's detection. */
export function looksLikeChat(record: Readonly<Record<string, unknown>>): boolean {
  return Object.hasOwn(record, 'messages') && Array.isArray(record.messages);
}

/** Formats whose rows can hold a `messages` list (a CSV cell is only text). */
export function canHoldChat(format: DataFormat): boolean {
  return format === 'jsonl' || format === 'parquet';
}

/** The reader's rows flattened by the mapping; a row that is not a usable conversation becomes a problem. */
export function chatReader(reader: RecordReader, mapping: ChatMapping): RecordReader {
  return {
    ...reader,
    // The file's own columns are not the flattened ones: missing fields are found row by row instead.
    header: () => null,
    async *items(): AsyncGenerator<ReadItem, void, undefined> {
      for await (const item of reader.items()) {
        if (item.kind === 'problem') {
          yield item;
          continue;
        }
        const data = flattenChat(item.data, mapping);
        yield typeof data === 'string'
          ? { kind: 'problem', line: item.line, reason: data, fatal: false }
          : { ...item, data };
      }
    },
  };
}

/** One row flattened; a string is the reason it cannot be (the caller adds file and line). */
export function flattenChat(
  record: Readonly<Record<string, unknown>>,
  mapping: ChatMapping,
): Record<string, unknown> | string {
  if (!looksLikeChat(record)) return 'has no "messages" list (the OpenAI chat format)';
  const turns: Turn[] = [];
  for (const [i, message] of (record.messages as unknown[]).entries()) {
    const turn = readTurn(message);
    if (typeof turn === 'string') return `has message ${i + 1} that ${turn}`;
    turns.push(turn);
  }
  const lastUser = turns.findLastIndex((t) => t.role === 'user');
  if (lastUser < 0) return 'has no user message (its text is the input)';
  const final = turns.at(-1);
  if (final?.role !== 'assistant' || lastUser === turns.length - 1)
    return 'does not end with an assistant message after its last user message (its text is the reference)';
  if (final.content === null || final.content.trim() === '')
    return final.toolCalls
      ? 'ends with an assistant message that calls tools and has no text (tool calls are not imported)'
      : 'ends with an assistant message without text';
  if (lastUser !== turns.length - 2)
    return `has ${turns.length - 2 - lastUser} message(s) between its last user message and the final assistant message (tool calls and results are not imported)`;
  const systems = turns.filter((t) => t.role === 'system' || t.role === 'developer').map((t) => t.content ?? '');
  const earlier = turns.slice(0, lastUser).filter((t) => t.role !== 'system' && t.role !== 'developer');
  if (mapping.history === 'refuse' && earlier.length > 0)
    return `has ${earlier.length} earlier turn(s) before its last user message (the mapping imports single exchanges only)`;
  const data: Record<string, unknown> = {};
  if (mapping.system !== 'none')
    data.system = systems.length === 0 ? null : mapping.system === 'first' ? systems[0] : systems.join('\n\n');
  data.input = turns[lastUser]?.content ?? '';
  data.reference = final.content;
  if (mapping.history === 'field') data.history = earlier.map((t) => ({ role: t.role, content: t.content ?? '' }));
  // Other top-level keys (an id, metadata) are kept as columns; one with a name the mapping makes would be lost.
  for (const [key, value] of Object.entries(record)) {
    if (key === 'messages') continue;
    if (Object.hasOwn(data, key) || (CHAT_FIELDS as readonly string[]).includes(key))
      return `has a top-level "${key}" key, a name the chat mapping gives a field of its own (rename it in the file)`;
    data[key] = value;
  }
  return data;
}

/** A message as a turn; a string is what is wrong with it. */
function readTurn(message: unknown): Turn | string {
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return 'is not an object';
  const m = message as Record<string, unknown>;
  if (typeof m.role !== 'string' || !ROLES.has(m.role))
    return `has the role ${JSON.stringify(m.role ?? null)} (expected system, developer, user, assistant or tool)`;
  const toolCalls = Array.isArray(m.tool_calls) && m.tool_calls.length > 0;
  const content = m.content;
  if (content === null || content === undefined) return { role: m.role, content: null, toolCalls };
  if (typeof content === 'string') return { role: m.role, content, toolCalls };
  if (!Array.isArray(content)) return 'has content that is neither text nor a list of parts';
  const texts: string[] = [];
  for (const part of content as unknown[]) {
    const p = (part ?? {}) as Record<string, unknown>;
    if (p.type !== 'text' || typeof p.text !== 'string')
      return `has a ${JSON.stringify(p.type ?? null)} content part (only text parts are imported)`;
    texts.push(p.text);
  }
  return { role: m.role, content: texts.join(''), toolCalls };
}

/** A field's value as message text: text as it is, anything else as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

export interface ChatExportRoles {
  readonly input: readonly string[];
  readonly reference: string;
  /** A field whose text becomes the system message, or null for none. */
  readonly system: string | null;
  /** A field holding earlier turns ([{role, content}]) to put before the user message, or null. */
  readonly history: string | null;
}

/**
 * One row as a chat fine-tuning line: system, earlier turns, the user message (one input field's text, or several
 * as a JSON object of name to value, which is how the serving endpoint fills a template reading several) and the
 * reference as the assistant's answer.
 */
export function chatLine(data: Readonly<Record<string, unknown>>, roles: ChatExportRoles): string {
  const messages: { role: string; content: string }[] = [];
  const system = roles.system === null ? null : data[roles.system];
  if (system !== null && system !== undefined && asText(system).trim() !== '')
    messages.push({ role: 'system', content: asText(system) });
  const history = roles.history === null ? null : data[roles.history];
  if (Array.isArray(history)) {
    for (const turn of history as unknown[]) {
      const t = (turn ?? {}) as Record<string, unknown>;
      if ((t.role === 'user' || t.role === 'assistant') && t.content !== undefined)
        messages.push({ role: t.role, content: asText(t.content) });
    }
  }
  const [only] = roles.input;
  const user =
    roles.input.length === 1 && only !== undefined
      ? asText(data[only])
      : JSON.stringify(Object.fromEntries(roles.input.map((name) => [name, data[name] ?? null])));
  messages.push({ role: 'user', content: user });
  messages.push({ role: 'assistant', content: asText(data[roles.reference]) });
  return JSON.stringify({ messages });
}
