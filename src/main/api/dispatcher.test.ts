import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineService, method } from '../../shared/contract/define';
import { BugError, UserError } from '../../shared/errors';
import { Dispatcher } from './dispatcher';

const notes = defineService(
  'notes',
  {
    add: method(z.object({ text: z.string().min(1, 'Text is required') }).strict(), z.object({ id: z.number().int() })),
    broken: method(z.object({}).strict(), z.object({ id: z.number() })),
    fail: method(z.object({ kind: z.enum(['user', 'bug', 'throw']) }).strict(), z.null()),
  },
  { onAdded: z.object({ id: z.number() }) },
);
const contract = { notes };

function setup() {
  const bugs: unknown[] = [];
  let next = 1;
  const dispatcher: Dispatcher<typeof contract> = new Dispatcher(
    contract,
    {
      notes: {
        async add() {
          const id = next++;
          dispatcher.sink('notes').emit('onAdded', { id });
          return { id };
        },
        async broken() {
          return { id: 'not a number' } as unknown as { id: number };
        },
        async fail({ kind }) {
          if (kind === 'user') throw new UserError('No such note', { hint: 'Pick another', where: 'notes.fail: kind' });
          if (kind === 'bug') throw new BugError('invariant broke');
          throw new TypeError('boom');
        },
      },
    },
    { validateResults: true, onBug: (e) => bugs.push(e) },
  );
  return { dispatcher, bugs };
}

const ctx = { transport: 'test' } as const;

describe('Dispatcher', () => {
  it('validates arguments and names the field', async () => {
    const { dispatcher } = setup();
    const response = await dispatcher.handle({ service: 'notes', method: 'add', arg: { text: '' } }, ctx);
    expect(response).toMatchObject({
      ok: false,
      error: { kind: 'user', code: 'validation', where: 'notes.add: text' },
    });
    if (!response.ok) expect(response.error.message).toContain('Text is required');
    const wrongType = await dispatcher.handle({ service: 'notes', method: 'add', arg: { text: 42 } }, ctx);
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'validation' } });
    const extraKey = await dispatcher.handle({ service: 'notes', method: 'add', arg: { text: 'a', admin: true } }, ctx);
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('rejects unknown services, methods, prototype keys and malformed envelopes', async () => {
    const { dispatcher } = setup();
    for (const request of [
      { service: 'nope', method: 'add', arg: {} },
      { service: 'notes', method: 'nope', arg: {} },
      { service: 'notes', method: 'constructor', arg: {} },
      { service: '__proto__', method: 'toString', arg: {} },
    ]) {
      expect(await dispatcher.handle(request, ctx)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
    expect(await dispatcher.handle('not an object', ctx)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatcher.handle({ service: 'notes' }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('returns results and forwards events to subscribers', async () => {
    const { dispatcher } = setup();
    const events: unknown[] = [];
    const unsubscribe = dispatcher.subscribe((m) => events.push(m));
    expect(await dispatcher.handle({ service: 'notes', method: 'add', arg: { text: 'hi' } }, ctx)).toEqual({
      ok: true,
      result: { id: 1 },
    });
    unsubscribe();
    await dispatcher.handle({ service: 'notes', method: 'add', arg: { text: 'again' } }, ctx);
    expect(events).toEqual([{ service: 'notes', event: 'onAdded', payload: { id: 1 } }]);
  });

  it('maps user errors, bugs and foreign exceptions to the wire shape and reports bugs', async () => {
    const { dispatcher, bugs } = setup();
    expect(await dispatcher.handle({ service: 'notes', method: 'fail', arg: { kind: 'user' } }, ctx)).toEqual({
      ok: false,
      error: { kind: 'user', message: 'No such note', hint: 'Pick another', where: 'notes.fail: kind' },
    });
    expect(await dispatcher.handle({ service: 'notes', method: 'fail', arg: { kind: 'bug' } }, ctx)).toMatchObject({
      ok: false,
      error: { kind: 'bug' },
    });
    expect(await dispatcher.handle({ service: 'notes', method: 'fail', arg: { kind: 'throw' } }, ctx)).toMatchObject({
      ok: false,
      error: { kind: 'bug', message: 'boom' },
    });
    expect(bugs).toHaveLength(2);
  });

  it('gives the audit hook the result of a successful call only, and reports a failed audit write as a bug', async () => {
    const recorded: unknown[] = [];
    const bugs: unknown[] = [];
    let failWrite = false;
    const audit = {
      begin: (service: string, method: string, arg: unknown) => (result: unknown) => {
        if (failWrite) throw new Error('disk full');
        recorded.push({ call: `${service}.${method}`, arg, result });
      },
    };
    const dispatcher = new Dispatcher(
      contract,
      {
        notes: {
          add: async () => ({ id: 7 }),
          broken: async () => ({ id: 1 }),
          fail: async () => {
            throw new UserError('no');
          },
        },
      },
      { audit, onBug: (e) => bugs.push(e) },
    );
    await dispatcher.handle({ service: 'notes', method: 'add', arg: { text: 'hi' } }, ctx);
    await dispatcher.handle({ service: 'notes', method: 'fail', arg: { kind: 'user' } }, ctx);
    expect(recorded).toEqual([{ call: 'notes.add', arg: { text: 'hi' }, result: { id: 7 } }]);
    failWrite = true;
    expect(await dispatcher.handle({ service: 'notes', method: 'add', arg: { text: 'again' } }, ctx)).toEqual({
      ok: true,
      result: { id: 7 },
    });
    expect(bugs).toHaveLength(1);
    expect(String(bugs[0])).toContain('The audit entry of notes.add could not be written');
  });

  it('treats a result outside the contract as a bug in main', async () => {
    const { dispatcher, bugs } = setup();
    const response = await dispatcher.handle({ service: 'notes', method: 'broken', arg: {} }, ctx);
    expect(response).toMatchObject({ ok: false, error: { kind: 'bug' } });
    expect(bugs).toHaveLength(1);
  });
});
