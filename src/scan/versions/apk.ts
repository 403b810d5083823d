/**
 * Alpine (apk-tools 3) version comparison, including the fuzzy `~` operators.
 * Grammar: `digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}`.
 * @module
 */

// Token kinds in the order they may appear; a kind may not follow a later one.
const INITIAL = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const HASH = 5;
const REVISION = 6;
const END = 7;
const INVALID = 8;

// Pre-release suffixes sort below "no suffix" (NONE = 5), post-release ones above.
const SUFFIXES: Record<string, number> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const NONE = 5;

interface Tok {
  kind: number;
  value: string;
  suffix: number;
}

class Lexer {
  private i = 0;
  readonly t: Tok = { kind: INITIAL, value: '', suffix: 0 };
  constructor(private readonly s: string) {
    this.digits();
  }
  private span(re: RegExp): string {
    const start = this.i;
    while (this.i < this.s.length && re.test(this.s[this.i]!)) this.i++;
    return this.s.slice(start, this.i);
  }
  private digits(): void {
    this.t.value = this.span(/[0-9]/);
    if (this.t.value === '') this.t.kind = INVALID;
  }
  next(): void {
    const t = this.t;
    const c = this.s[this.i];
    if (c === undefined) {
      t.kind = END;
      return;
    }
    if (c >= 'a' && c <= 'z') {
      if (t.kind > DIGIT) return void (t.kind = INVALID);
      t.value = c;
      t.kind = LETTER;
      this.i++;
    } else if (c === '.' || (c >= '0' && c <= '9')) {
      if (c === '.') {
        if (t.kind > DIGIT) return void (t.kind = INVALID);
        this.i++;
      }
      if (t.kind === INITIAL || t.kind === DIGIT) t.kind = DIGIT;
      else if (t.kind === SUFFIX) t.kind = SUFFIX_NO;
      else return void (t.kind = INVALID);
      this.digits();
    } else if (c === '_') {
      if (t.kind > SUFFIX_NO) return void (t.kind = INVALID);
      this.i++;
      t.value = this.span(/[a-z]/);
      t.suffix = SUFFIXES[t.value] ?? 0;
      t.kind = t.suffix ? SUFFIX : INVALID;
    } else if (c === '~') {
      if (t.kind >= HASH) return void (t.kind = INVALID);
      this.i++;
      t.value = this.span(/[0-9a-fA-F]/);
      t.kind = t.value ? HASH : INVALID;
    } else if (c === '-') {
      if (t.kind >= REVISION || this.s[this.i + 1] !== 'r') return void (t.kind = INVALID);
      this.i += 2;
      t.kind = REVISION;
      this.digits();
    } else t.kind = INVALID;
  }
}

// Byte order, then the shorter first (apk_blob_sort).
function blobSort(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a.charCodeAt(i) < b.charCodeAt(i) ? -1 : 1;
  return Math.sign(a.length - b.length);
}

function numCmp(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function tokenCmp(a: Tok, b: Tok): number {
  switch (a.kind) {
    case DIGIT:
      // A leading zero means a decimal fraction-like part: compare as strings (Gentoo rule).
      if (a.value[0] === '0' || b.value[0] === '0') return blobSort(a.value, b.value);
      return numCmp(a.value, b.value);
    case INITIAL:
    case SUFFIX_NO:
    case REVISION:
      return numCmp(a.value, b.value);
    case LETTER:
      return blobSort(a.value, b.value);
    case SUFFIX:
      return Math.sign(a.suffix - b.suffix);
    default:
      return blobSort(a.value, b.value);
  }
}

function compareFuzzy(a: string, b: string, fuzzy: boolean): number {
  const la = new Lexer(a);
  const lb = new Lexer(b);
  const ta = la.t;
  const tb = lb.t;
  for (; ta.kind === tb.kind && ta.kind < END; la.next(), lb.next()) {
    const r = tokenCmp(ta, tb);
    if (r) return r;
  }
  if (ta.kind === tb.kind) return 0;
  if (tb.kind === END && fuzzy) return 0;
  // Equal so far: the longer version is newer unless it continues with a pre-release suffix.
  if (ta.kind === SUFFIX && ta.suffix < NONE) return -1;
  if (tb.kind === SUFFIX && tb.suffix < NONE) return 1;
  if (ta.kind > tb.kind) return -1;
  if (tb.kind > ta.kind) return 1;
  return 0;
}

/** Whether apk-tools accepts the string as a version. */
export function isValidApk(v: string): boolean {
  const l = new Lexer(v);
  while (l.t.kind < END) l.next();
  return l.t.kind === END;
}

/** Compares two Alpine versions: -1, 0 or 1. */
export function compareApk(a: string, b: string): number {
  return compareFuzzy(a, b, false);
}

/** apk's operators: `<`, `<=`, `=`, `>=`, `>`, `~` (fuzzy prefix), `<~`, `>~`, `!~`, `!=`. */
export function matchApk(version: string, op: string, target: string): boolean {
  const negate = op.startsWith('!');
  const o = negate ? op.slice(1) : op;
  const c = compareFuzzy(version, target, o.includes('~'));
  let ok = false;
  if (c < 0) ok = o.includes('<');
  else if (c > 0) ok = o.includes('>');
  else ok = o.includes('=') || o.includes('~');
  return negate ? !ok : ok;
}
