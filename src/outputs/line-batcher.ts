/**
 * `buffered_outputs: true`: lines handed over while a write is in progress are joined into the
 * next single write, so a burst costs one system call instead of one per alert. Each caller's
 * promise settles when the write holding its line does, so the outbox still acknowledges only
 * what reached the OS.
 * @module
 */

/** Joins lines into as few writes as possible; `write` performs one chunk. */
export class LineBatcher {
  private lines: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private busy = false;
  /** Writes performed, for tests and stats. */
  writes = 0;

  constructor(private readonly write: (chunk: string) => Promise<void>, private readonly maxBytes = 1 << 20) {}

  /** Queues one line (without its newline); resolves once it is written. */
  push(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.lines.push(line + '\n');
      this.waiters.push({ resolve, reject });
      if (!this.busy) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.busy = true;
    // let the rest of the burst arrive before the first write
    await new Promise((r) => setImmediate(r));
    while (this.lines.length) {
      let n = 0;
      let size = 0;
      while (n < this.lines.length && (n === 0 || size + this.lines[n].length <= this.maxBytes)) size += this.lines[n++].length;
      const chunk = this.lines.splice(0, n).join('');
      const ws = this.waiters.splice(0, n);
      this.writes++;
      try {
        await this.write(chunk);
        for (const w of ws) w.resolve();
      } catch (e) {
        for (const w of ws) w.reject(e);
      }
    }
    this.busy = false;
  }
}
