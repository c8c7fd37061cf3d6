// Restarts are serialised and coalesced: a burst of setting changes (or a change during a
// start) gives one more restart after the current one, never several in parallel.

export class Restarter {
  private running: Promise<void> | undefined;
  private pending: string | undefined;

  constructor(private readonly restart: (reason: string) => Promise<void>) {}

  /** Restart now, or once more after the restart in progress. Resolves when the server
   * reflects this request. */
  schedule(reason: string): Promise<void> {
    if (this.running) {
      this.pending = reason;
      return this.running;
    }
    this.running = this.loop(reason);
    return this.running;
  }

  private async loop(reason: string): Promise<void> {
    let next: string | undefined = reason;
    try {
      while (next !== undefined) {
        this.pending = undefined;
        await this.restart(next).catch(() => undefined); // the callback reports its own failures
        next = this.pending;
      }
    } finally {
      this.running = undefined;
    }
  }
}
