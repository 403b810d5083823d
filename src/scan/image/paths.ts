/**
 * Path normalisation for archive entries, with traversal checks.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { ImageErrors } from './types.ts';

/** Normalises an archive path (`./a//b/` → `a/b`); throws on `..` that would climb out of the root. */
export function normalizeEntryPath(name: string, where: string): string {
  const parts: string[] = [];
  for (const p of name.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      throw new VigilError(
        ImageErrors.pathTraversal,
        `archive entry "${name}" climbs out of the root`,
        { file: where },
      );
    }
    parts.push(p);
  }
  return parts.join('/');
}

/** Resolves a link target against the link's directory; null when it climbs above the root. */
export function resolveLinkTarget(linkPath: string, target: string): string | null {
  const base = target.startsWith('/') ? [] : linkPath.split('/').slice(0, -1);
  for (const p of target.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (base.length === 0) return null;
      base.pop();
    } else base.push(p);
  }
  return base.join('/');
}

/** The parent directory of a normalised path ('' for top-level entries). */
export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** The last component of a path. */
export function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
