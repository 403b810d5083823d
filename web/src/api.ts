// Talking to the Vigil API: the bearer token kept in this browser, JSON in and out, and the
// API's error shape ({errors: [{code, message, jsonPath}]}) turned into one Error type.
// Answers are parsed with the store's exact JSON reader: Falco's int64 fields (evt.time in
// nanoseconds, evt.rawtime ...) arrive as bare JSON numbers above 2^53, which JSON.parse
// would round; they become bigint here and are shown digit for digit.
import { parseJsonExact } from '../../src/store/json.ts';

const KEY = 'vigil.token';

/** The token kept in this browser, if any. */
export const getToken = (): string | null => localStorage.getItem(KEY);
/** Keeps or forgets the token. */
export const setToken = (t: string | null): void => (t ? localStorage.setItem(KEY, t) : localStorage.removeItem(KEY));

/** One diagnostic as the API sends it. */
export interface Diagnostic {
  code: string;
  message: string;
  severity?: string;
  file?: string;
  line?: number;
  column?: number;
  jsonPath?: string;
}

/** A refused or failed request, with the API's diagnostics. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly diagnostics: Diagnostic[],
  ) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ') || `HTTP ${status}`);
  }
}

let onUnauthorized: () => void = () => undefined;
/** Called when the server refuses the token (401): the app goes back to the login page. */
export const whenUnauthorized = (fn: () => void): void => {
  onUnauthorized = fn;
};

/** Calls the API; JSON bodies are sent as JSON, strings as text/yaml. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? getToken() ?? ''}` };
  let body: string | undefined;
  if (typeof init.body === 'string') {
    headers['content-type'] = 'text/yaml';
    body = init.body;
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  const res = await fetch(path, { method: init.method ?? 'GET', headers, body });
  if (res.status === 401 && !init.token) onUnauthorized();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = parseJsonExact(text);
  } catch {
    throw new ApiError(res.status, [{ code: 'UI_BAD_ANSWER', message: text.slice(0, 200) }]);
  }
  if (!res.ok) throw new ApiError(res.status, (data as { errors?: Diagnostic[] }).errors ?? []);
  return data as T;
}

/** Builds a query string from the non-empty values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
