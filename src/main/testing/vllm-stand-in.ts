// Tests only: a local HTTP server that speaks vLLM's OpenAI-compatible protocol for LoRA models, as `vllm serve
// --enable-lora --lora-modules name=path` answers: GET /v1/models (the base, then each LoRA with its parent), GET
// /version, and streamed /v1/completions and /v1/chat/completions with a final usage chunk. Each model answers with
// its own fixed text, so a test sees which model a request reached; requests are recorded.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
  baseUrl: string;
  requests: { path: string; model: string; prompt: unknown; maxTokens: number }[];
  close(): Promise<void>;
}

export async function startVllmStandIn(o: {
  base: string;
  loras: readonly string[];
  answers: Readonly<Record<string, string>>;
}): Promise<StandIn> {
  const requests: StandIn['requests'] = [];
  const created = 1_765_000_000;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url === '/v1/models') {
        const card = (id: string, parent: string | null) => ({
          id,
          object: 'model',
          created,
          owned_by: 'vllm',
          root: parent === null ? id : `/adapters/${id}`,
          parent,
          max_model_len: 512,
        });
        return json(200, { object: 'list', data: [card(o.base, null), ...o.loras.map((l) => card(l, o.base))] });
      }
      if (req.method === 'GET' && req.url === '/version') return json(200, { version: '0.11.0-stand-in' });
      const chat = req.url === '/v1/chat/completions';
      if (req.method !== 'POST' || (!chat && req.url !== '/v1/completions'))
        return json(404, { object: 'error', message: 'Not Found', type: 'NotFoundError', code: 404 });
      const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
      const model = String(body.model);
      const answer = o.answers[model];
      if (answer === undefined)
        return json(404, {
          object: 'error',
          message: `The model \`${model}\` does not exist.`,
          type: 'NotFoundError',
          code: 404,
        });
      const maxTokens = Number(body.max_tokens ?? 16);
      requests.push({ path: req.url ?? '', model, prompt: chat ? body.messages : body.prompt, maxTokens });
      const words = answer.split(/(?<= )/).slice(0, maxTokens);
      const id = `cmpl-${requests.length}`;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (data: unknown): boolean => res.write(`data: ${JSON.stringify(data)}\n\n`);
      words.forEach((w, i) => {
        const last = i === words.length - 1;
        const reason = last ? (words.length === maxTokens ? 'length' : 'stop') : null;
        send(
          chat
            ? {
                id,
                object: 'chat.completion.chunk',
                created,
                model,
                choices: [{ index: 0, delta: { content: w }, finish_reason: reason }],
              }
            : {
                id,
                object: 'text_completion',
                created,
                model,
                choices: [{ index: 0, text: w, finish_reason: reason }],
              },
        );
      });
      const prompt = chat ? JSON.stringify(body.messages).length : String(body.prompt).length;
      send({
        id,
        object: chat ? 'chat.completion.chunk' : 'text_completion',
        created,
        model,
        choices: [],
        usage: { prompt_tokens: prompt, completion_tokens: words.length, total_tokens: prompt + words.length },
      });
      res.end('data: [DONE]\n\n');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
