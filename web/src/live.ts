// Live alerts over the server-sent-events stream. EventSource cannot send the bearer token,
// so the stream is read with fetch and parsed here; it reconnects after a drop.
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { getToken } from './api.ts';
import { parseJsonExact } from '../../src/store/json.ts';
import type { StoredAlert } from './types.ts';

/** What the live stream offers the pages. */
export interface Live {
  connected: boolean;
  /** Alerts received since the page was opened, newest first (bounded). */
  alerts: StoredAlert[];
}

/** The live stream shared by every page. */
export const LiveContext = createContext<Live>({ connected: false, alerts: [] });
/** The live stream. */
export const useLive = (): Live => useContext(LiveContext);

/** Parses complete SSE events out of a buffer; returns the events and the unparsed rest. */
export function parseEvents(buf: string): { events: { event: string; data: string }[]; rest: string } {
  const events: { event: string; data: string }[] = [];
  let i: number;
  while ((i = buf.indexOf('\n\n')) >= 0) {
    const block = buf.slice(0, i);
    buf = buf.slice(i + 2);
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return { events, rest: buf };
}

/** Keeps a connection to `/api/v1/stream` while `enabled`. */
export function useLiveStream(enabled: boolean): Live {
  const [state, setState] = useState<Live>({ connected: false, alerts: [] });
  const stop = useRef<AbortController | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let closed = false;
    const run = async () => {
      while (!closed) {
        const ac = new AbortController();
        stop.current = ac;
        try {
          const res = await fetch('/api/v1/stream', { headers: { authorization: `Bearer ${getToken() ?? ''}` }, signal: ac.signal });
          if (!res.ok || !res.body) throw new Error(`stream: HTTP ${res.status}`);
          setState((s) => ({ ...s, connected: true }));
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseEvents(buf + value);
            buf = parsed.rest;
            const fresh = parsed.events.filter((e) => e.event === 'alert').map((e) => parseJsonExact(e.data) as StoredAlert);
            if (fresh.length) setState((s) => ({ connected: true, alerts: [...fresh.reverse(), ...s.alerts].slice(0, 500) }));
          }
        } catch {
          // dropped or refused: retry below
        }
        setState((s) => ({ ...s, connected: false }));
        if (!closed) await new Promise((r) => setTimeout(r, 3000));
      }
    };
    void run();
    return () => {
      closed = true;
      stop.current?.abort();
    };
  }, [enabled]);
  return state;
}
