// At most one call in flight, and only the newest ask answered. A preview asked while another is still out waits for
// it, and asks made meanwhile collapse into the newest: a browser holds six connections per server, and previews
// that count tokens wait for the engine's first start, so unbounded previews could hold every connection and leave
// a save waiting behind them.
export type Outcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

export interface LatestOnly<A> {
  ask(arg: A): void;
  /** Drops the queued ask and any answer still to come. */
  cancel(): void;
}

export function latestOnly<A, R>(run: (arg: A) => Promise<R>, deliver: (outcome: Outcome<R>) => void): LatestOnly<A> {
  let busy = false;
  let queued: { arg: A } | null = null;
  let generation = 0;
  const start = (arg: A, asked: number) => {
    busy = true;
    run(arg)
      .then(
        (value): Outcome<R> => ({ ok: true, value }),
        (error: unknown): Outcome<R> => ({ ok: false, error }),
      )
      .then((outcome) => {
        busy = false;
        if (queued !== null) {
          const next = queued.arg;
          queued = null;
          start(next, generation);
        } else if (asked === generation) {
          deliver(outcome);
        }
      });
  };
  return {
    ask(arg) {
      generation += 1;
      if (busy) queued = { arg };
      else start(arg, generation);
    },
    cancel() {
      generation += 1;
      queued = null;
    },
  };
}
