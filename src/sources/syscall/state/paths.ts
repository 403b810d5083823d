/**
 * Path resolution as libsinsp does for fd names: relative names are joined to the cwd (or
 * the directory fd) and normalized (`.`/`..`/duplicate slashes removed).
 * @module
 */

/** Normalizes an absolute path; returns the input unchanged when it is not absolute. */
export function normalizePath(p: string): string {
  if (!p.startsWith('/')) return p;
  if (!p.includes('/.') && !p.includes('//') && (p.length === 1 || !p.endsWith('/'))) return p;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Joins `name` to `dir` unless `name` is absolute, then normalizes. */
export function resolvePath(dir: string, name: string): string {
  if (name.startsWith('/')) return normalizePath(name);
  if (!dir) return name;
  return normalizePath(dir.endsWith('/') ? dir + name : `${dir}/${name}`);
}

/** AT_FDCWD as the kernel passes it. */
export const AT_FDCWD = -100;
