// Hash routing (`#/alerts?rule=x`): the server serves one index.html and never sees the route,
// and filters live in the address so a filtered view can be bookmarked or shared.
import { useEffect, useState } from 'react';

/** The current route: path segments and query parameters. */
export interface Route {
  path: string[];
  params: URLSearchParams;
}

function parse(): Route {
  const h = location.hash.replace(/^#\/?/, '');
  const [p, q = ''] = h.split('?', 2);
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q) };
}

/** The route, updated on every hash change. */
export function useRoute(): Route {
  const [r, setR] = useState(parse);
  useEffect(() => {
    const on = () => setR(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return r;
}

/** A hash link to a path with optional parameters (empty ones left out). */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `#/${path}${s ? `?${s}` : ''}`;
}
