// How a run's numbers read in the Playground's stats line.
import type { FinishReason, GeneratedRow } from '../../../../shared/contract';

export function finishReasonText(row: Pick<GeneratedRow, 'finishReason' | 'stopString'>): string {
  const reasons: Record<FinishReason, string> = {
    eos: 'end of text',
    stop: `stop string ${JSON.stringify(row.stopString ?? '')}`,
    length: 'length limit',
    cancelled: 'cancelled',
  };
  return reasons[row.finishReason];
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatRate(tokensPerSecond: number | null): string {
  return tokensPerSecond === null ? '–' : `${tokensPerSecond.toFixed(tokensPerSecond < 10 ? 1 : 0)} tokens/s`;
}
