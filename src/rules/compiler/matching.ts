/**
 * String matchers compiled once per check: fnmatch-style globs (flags 0, as libsinsp's
 * glob_match: `*` also matches `/`, backslash escapes), path-prefix search for `pmatch`,
 * and full-match regular expressions.
 * @module
 */

function escapeRx(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** Translates an fnmatch pattern into an anchored RegExp. */
export function globToRegExp(pattern: string, caseInsensitive = false): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRx(pattern[++i]!);
    else if (c === '[') {
      // A bracket expression runs to the next `]` (a `]` right after `[` or `[!` is literal);
      // an unterminated `[` is a literal character, as in fnmatch.
      let j = i + 1;
      if (pattern[j] === '!' || pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, j);
      let neg = '';
      if (body[0] === '!' || body[0] === '^') {
        neg = '^';
        body = body.slice(1);
      }
      body = body.replace(/\[:(alpha|digit|alnum|upper|lower|space|punct|xdigit):\]/g, (_m, k: string) => POSIX_CLASSES[k]!);
      body = body.replace(/\\(?![dws\]])/g, '\\\\').replace(/^\]/, '\\]');
      out += `[${neg}${body}]`;
      i = j;
    } else out += escapeRx(c);
  }
  return new RegExp(`^${out}$`, caseInsensitive ? 'is' : 's');
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9a-fA-F',
};

/**
 * Compiles a regex value with RE2-like full-match semantics. Differences from RE2 (POSIX mode):
 * lookaround and backreferences are rejected as RE2 does, POSIX classes like `[[:alpha:]]` are
 * translated, but JS also accepts Perl classes (`\d`, `\w`) that RE2's POSIX mode refuses,
 * matches leftmost-first rather than leftmost-longest (same truth value for a full match), and
 * its matching time is not guaranteed linear.
 */
export function compileRegex(pattern: string): RegExp {
  // RE2 has no lookaround and no backreferences; Falco fails to load such rules, so do we.
  if (/\(\?<?[=!]|\\[1-9]/.test(pattern)) {
    throw new Error(`invalid regex pattern: '${pattern}' uses lookaround or backreferences, which RE2 does not support`);
  }
  const translated = pattern.replace(/\[:(alpha|digit|alnum|upper|lower|space|punct|xdigit):\]/g, (_m, k: string) => POSIX_CLASSES[k]!);
  try {
    return new RegExp(`^(?:${translated})$`, 'u');
  } catch {
    try {
      return new RegExp(`^(?:${translated})$`);
    } catch (e) {
      throw new Error(`invalid regex pattern: ${(e as Error).message}`);
    }
  }
}

function splitPath(p: string): string[] {
  return p.split('/').filter((c) => c !== '');
}

/**
 * libsinsp's path prefix search: a value matches when some search path's components are a
 * prefix of its components; components holding `*?[` are globs.
 */
export function compilePathPrefix(paths: readonly string[]): (path: string) => boolean {
  const exact = new Set<string>();
  const globbed: ((comps: string[]) => boolean)[] = [];
  for (const p of paths) {
    const comps = splitPath(p);
    if (comps.some((c) => /[*?[]/.test(c))) {
      const matchers = comps.map((c) => (/[*?[]/.test(c) ? globToRegExp(c) : c));
      globbed.push((v) => v.length >= matchers.length && matchers.every((m, i) => (typeof m === 'string' ? m === v[i] : m.test(v[i]!))));
    } else {
      exact.add(comps.join('/'));
    }
  }
  return (path: string): boolean => {
    const comps = splitPath(path);
    if (exact.size) {
      // Root ('/') is the empty prefix and matches every path.
      if (exact.has('')) return true;
      let prefix = '';
      for (const c of comps) {
        prefix = prefix ? `${prefix}/${c}` : c;
        if (exact.has(prefix)) return true;
      }
    }
    for (const g of globbed) if (g(comps)) return true;
    return false;
  };
}
