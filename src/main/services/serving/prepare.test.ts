// OpenAI request fields onto a release's decoding: temperature 0 is greedy and above 0 samples, max_tokens is bounded
// by the server's limit (named when over), stop becomes stop strings, a raw completion prompt skips the template,
// and a bad field is refused naming the parameter.
import { describe, expect, it } from 'vitest';
import type { ServedTarget } from './catalog';
import { EndpointError } from './endpoint-error';
import { parseBody, prepare } from './prepare';

const target = (decoding: Record<string, unknown>): ServedTarget =>
  ({ resolved: { decoding }, inputFields: [], served: {} }) as unknown as ServedTarget;

const body = (over: Record<string, unknown>) => parseBody('completions', { model: 'm@1.0.0', prompt: 'Hi', ...over });

describe('prepare (completions)', () => {
  it("keeps the release's decoding and puts the request's fields on top", async () => {
    const greedy = await prepare(
      'completions',
      body({ temperature: 0, stop: 'END', max_tokens: 7 }),
      target({ do_sample: true, seed: 5 }),
      512,
    );
    expect(greedy.prompt).toEqual({ mode: 'raw', text: 'Hi' });
    expect(greedy.settings).toMatchObject({ do_sample: false, stop_strings: ['END'], max_new_tokens: 7 });
    expect(greedy.seed).toBe(5);
    const sampled = await prepare(
      'completions',
      body({ temperature: 0.7, top_p: 0.9, seed: 11 }),
      target({ max_new_tokens: 20 }),
      512,
    );
    expect(sampled.settings).toMatchObject({ do_sample: true, temperature: 0.7, top_p: 0.9, max_new_tokens: 20 });
    expect(sampled.seed).toBe(11);
    const bounded = await prepare('completions', body({}), target({ max_new_tokens: 1000 }), 64);
    expect(bounded.settings.max_new_tokens).toBe(64);
  });

  it('refuses max_tokens over the limit and bad fields, naming the parameter', async () => {
    await expect(prepare('completions', body({ max_tokens: 65 }), target({}), 64)).rejects.toMatchObject({
      status: 400,
      error: { param: 'max_tokens', type: 'invalid_request_error' },
    });
    expect(() => body({ top_p: 2 })).toThrow(EndpointError);
    try {
      parseBody('chat', { model: 'm', messages: [] });
    } catch (error) {
      expect((error as EndpointError).error.param).toBe('messages');
    }
    expect.assertions(3);
  });
});
