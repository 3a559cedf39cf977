// Test helper: builds a graph and runs it on a one-thread ORT session; every session made is released by
// disposeGraphSessions (call it from afterAll).
import { EngineSession } from '../../runtime';
import type { GraphBuilder } from '../builder';
import { encodeModel } from '../onnx-writer';
import type { Tensor } from '../tensor';

const sessions: EngineSession[] = [];

export async function runGraph(g: GraphBuilder, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await EngineSession.create(encodeModel(g.build()), { threads: 1 });
  sessions.push(session);
  return session.run(feeds);
}

export async function disposeGraphSessions(): Promise<void> {
  for (const s of sessions.splice(0)) await s.dispose();
}
