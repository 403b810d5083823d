/**
 * A process's file descriptor table. The kernel hands out the lowest free fd number, so nearly
 * every fd is small: those live in an array (one indexed load per lookup, where a Map costs a
 * hash lookup on every event), and the rare large ones in a Map.
 * @module
 */
import type { FdInfo } from './types.ts';

/** fds below this live in the array. */
const SMALL = 4096;

/** The fd table, with the part of Map's interface the state and extractors use (get, set, delete, size, iteration). */
export class FdTable implements Iterable<[number, FdInfo]> {
  private small: (FdInfo | undefined)[] = [];
  private big: Map<number, FdInfo> | undefined;
  private count = 0;

  /** A table holding copies of `from`'s entries (a fork without CLONE_FILES gets its own table). */
  static copyOf(from: FdTable | undefined): FdTable {
    const t = new FdTable();
    if (from) for (const [fd, info] of from) t.set(fd, { ...info });
    return t;
  }

  /** Number of open fds. */
  get size(): number {
    return this.count;
  }

  /** The entry of fd, if open. */
  get(fd: number): FdInfo | undefined {
    return fd >= 0 && fd < SMALL ? this.small[fd] : this.big?.get(fd);
  }

  /** Opens (or replaces) fd. */
  set(fd: number, info: FdInfo): this {
    if (fd >= 0 && fd < SMALL && Number.isInteger(fd)) {
      const a = this.small;
      // grow densely: an array written far past its end turns into a slow dictionary
      while (a.length <= fd) a.push(undefined);
      if (a[fd] === undefined) this.count++;
      a[fd] = info;
    } else {
      const m = (this.big ??= new Map());
      if (!m.has(fd)) this.count++;
      m.set(fd, info);
    }
    return this;
  }

  /** Closes fd; true when it was open. */
  delete(fd: number): boolean {
    if (fd >= 0 && fd < SMALL) {
      if (this.small[fd] === undefined) return false;
      this.small[fd] = undefined;
      this.count--;
      return true;
    }
    if (!this.big?.delete(fd)) return false;
    this.count--;
    return true;
  }

  /** Entries in ascending fd order (large fds after small ones, in opening order). */
  *entries(): IterableIterator<[number, FdInfo]> {
    const a = this.small;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== undefined) yield [i, v];
    }
    if (this.big) yield* this.big.entries();
  }

  /** The open fds' entries. */
  *values(): IterableIterator<FdInfo> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): IterableIterator<[number, FdInfo]> {
    return this.entries();
  }
}
