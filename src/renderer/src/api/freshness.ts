// Which of two values is newer when a load and pushed values (events, results of calls) race: a load answers with the
// state when the server read it, and an event sent after that read can reach the page before the load's answer does.

/** Counts pushed values; a load that saw a push while in flight is older than what is shown and must not replace it. */
export class Freshness {
  private pushes = 0;

  /** Call when a load starts; pass the mark to `loadIsCurrent` when it answers. */
  mark(): number {
    return this.pushes;
  }

  /** Call when a value arrives by any way other than the load (an event, a call's result). */
  pushed(): void {
    this.pushes += 1;
  }

  /** True when nothing was pushed since `mark`: the load's answer is the newest value. */
  loadIsCurrent(mark: number): boolean {
    return this.pushes === mark;
  }
}
