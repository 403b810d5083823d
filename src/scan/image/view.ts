/**
 * The merged file system of an image: layers applied in order with whiteouts, opaque
 * directories and links, over the wanted files only.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { resolveLinkTarget } from './paths.ts';
import { ImageErrors, type FileRecord, type LayerResult } from './types.ts';

const MAX_HOPS = 40;

/** The merged view catalogers read from. */
export class FileView {
  private readonly files = new Map<string, FileRecord>();

  /** Applies one layer on top of the ones applied before it. */
  apply(layer: LayerResult): void {
    for (const dir of layer.opaques) this.removeBelow(dir);
    for (const p of layer.whiteouts) {
      this.files.delete(p);
      this.removeBelow(p);
    }
    for (const [path, rec] of layer.entries) {
      if (rec.kind === 'hardlink') {
        const target = layer.entries.get(rec.linkTarget!) ?? this.files.get(rec.linkTarget!);
        if (target?.kind === 'file') {
          this.files.set(path, { ...target, path, layer: rec.layer });
          continue;
        }
      }
      this.files.set(path, rec);
    }
  }

  private removeBelow(dir: string): void {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const k of [...this.files.keys()]) if (k.startsWith(prefix)) this.files.delete(k);
  }

  /** The record at a path after following symlinks; undefined when absent. */
  get(path: string, depth = 0): FileRecord | undefined {
    let p = path.replace(/^\/+/, '');
    for (let hop = depth; hop < MAX_HOPS; hop++) {
      const rec = this.files.get(p) ?? this.viaLinkedDir(p, hop);
      if (!rec || rec.kind !== 'symlink') return rec;
      const next = resolveLinkTarget(rec.path, rec.linkTarget!);
      if (next === null) return undefined;
      p = next;
    }
    throw new VigilError(
      ImageErrors.symlinkLoop,
      `too many levels of symbolic links resolving "${path}"`,
      { file: path },
    );
  }

  // A path under a symlinked directory (lib -> usr/lib): rewrite the first linked prefix.
  private viaLinkedDir(p: string, depth: number): FileRecord | undefined {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const rec = this.files.get(prefix);
      if (rec?.kind === 'symlink') {
        const base = resolveLinkTarget(prefix, rec.linkTarget!);
        if (base === null) return undefined;
        const rewritten = [base, ...parts.slice(i)].filter((x) => x !== '').join('/');
        return rewritten === p ? undefined : this.get(rewritten, depth + 1);
      }
    }
    return undefined;
  }

  /** Content of a regular file (after links), or undefined. */
  read(path: string): Buffer | undefined {
    return this.get(path)?.data;
  }

  /** Every kept regular file with content, in path order. */
  filesWithData(): FileRecord[] {
    return [...this.files.values()]
      .filter((r) => r.data !== undefined)
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Kept paths (files and links) in path order. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }
}
