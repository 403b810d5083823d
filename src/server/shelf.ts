/**
 * A shelf of result documents (image scans, compliance reports) kept as JSON files under the
 * data folder, newest first, with a bounded count so a busy API cannot fill the disk. Held in
 * memory too when there is no data folder (tests, `--store` only setups).
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../store/index.ts';

/** One kept document with the small summary shown in lists. */
export interface Shelved<S, D> {
  id: string;
  created: string;
  summary: S;
  doc: D;
}

/** Keeps up to `max` documents; the oldest go first. */
export class Shelf<S, D> {
  private items: Shelved<S, D>[] = [];
  constructor(
    private readonly dir: string | undefined,
    private readonly max = 50,
  ) {
    if (!dir) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.json')) continue;
      try {
        const it = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Shelved<S, D>;
        if (typeof it.id === 'string' && it.summary && it.doc) this.items.push(it);
      } catch {
        // a half-written or foreign file is skipped, never fatal: the rest stays readable
      }
    }
    this.items.sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  /** Adds a document; returns its id. */
  add(summary: S, doc: D): Shelved<S, D> {
    const it = { id: newId(), created: new Date().toISOString(), summary, doc };
    this.items.unshift(it);
    if (this.dir) {
      const tmp = join(this.dir, `.${it.id}.tmp`);
      writeFileSync(tmp, JSON.stringify(it), { mode: 0o600 });
      renameSync(tmp, join(this.dir, `${it.id}.json`));
    }
    for (const old of this.items.splice(this.max)) if (this.dir) rmSync(join(this.dir, `${old.id}.json`), { force: true });
    return it;
  }

  /** Summaries, newest first. */
  list(): { id: string; created: string; summary: S }[] {
    return this.items.map(({ id, created, summary }) => ({ id, created, summary }));
  }

  /** One document by id. */
  get(id: string): Shelved<S, D> | undefined {
    return this.items.find((i) => i.id === id);
  }

  /** The newest document, if any. */
  latest(): Shelved<S, D> | undefined {
    return this.items[0];
  }
}
