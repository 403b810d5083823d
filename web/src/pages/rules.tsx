// Rules: the loaded rules with enable/disable (admin), a name filter, and upload of a rules
// file: validated with the loader's diagnostics, kept for the next start when it loads.
import { useState } from 'react';
import { api, type Diagnostic } from '../api.ts';
import { Card, ErrorBox, PriorityBadge, useData } from '../components.tsx';
import type { Rule } from '../types.ts';

type Check = { ok: boolean; rules?: number; errors: Diagnostic[]; warnings: Diagnostic[]; saved?: string };

function Upload({ onSaved }: { onSaved: () => void }) {
  const [name, setName] = useState('custom_rules.yaml');
  const [content, setContent] = useState('');
  const [result, setResult] = useState<Check>();
  const [error, setError] = useState<Error>();
  const run = async (save: boolean) => {
    setError(undefined);
    setResult(undefined);
    try {
      const r = save ? await api<Check>('/api/v1/rules/files', { method: 'POST', body: { name, content } }) : await api<Check>('/api/v1/rules/validate', { method: 'POST', body: { name, content } });
      setResult(r);
      if (save) onSaved();
    } catch (e) {
      const d = (e as { diagnostics?: Diagnostic[] }).diagnostics;
      setError(e as Error);
      if (d) setResult({ ok: false, errors: d, warnings: [] });
    }
  };
  const file = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    if (!f) return;
    setName(f.name);
    setContent(await f.text());
  };
  return (
    <Card title="Upload a rules file" id="upload" className="wide">
      <div className="filters">
        <input value={name} onChange={(e) => setName(e.target.value)} aria-label="file name" />
        <input type="file" accept=".yaml,.yml" onChange={file} aria-label="rules file" />
      </div>
      <textarea id="rules-text" rows={8} value={content} onChange={(e) => setContent(e.target.value)} placeholder="- rule: ...  (Falco rules syntax)" spellCheck={false} />
      <div className="filters">
        <button id="validate" onClick={() => run(false)}>
          Validate
        </button>
        <button id="save" className="secondary" onClick={() => run(true)}>
          Validate and keep (active from the next start)
        </button>
      </div>
      {result && (
        <div id="validation" className={result.ok ? 'ok' : 'error'}>
          {result.ok ? `valid${result.rules !== undefined ? `: ${result.rules} rules` : ''}${result.saved ? `, kept as ${result.saved}` : ''}` : 'invalid'}
          <ul>
            {[...result.errors, ...result.warnings].map((d, i) => (
              <li key={i}>
                <code>{d.code}</code> {d.line ? `line ${d.line}:${d.column ?? 0} ` : ''}
                {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!result && <ErrorBox error={error} />}
    </Card>
  );
}

/** The rules page. */
export function Rules() {
  const rules = useData(() => api<{ files: string[]; uploaded: string[]; rules: Rule[] }>('/api/v1/rules'), []);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<Error>();
  const toggle = async (r: Rule) => {
    setError(undefined);
    try {
      await api(`/api/v1/rules/${encodeURIComponent(r.name)}`, { method: 'PATCH', body: { enabled: !r.enabled } });
      rules.reload();
    } catch (e) {
      setError(e as Error);
    }
  };
  const f = filter.toLowerCase();
  const shown = (rules.data?.rules ?? []).filter((r) => !f || r.name.toLowerCase().includes(f) || r.tags.some((t) => t.toLowerCase().includes(f)));
  return (
    <div id="rules" className="page">
      <div className="page-head">
        <h2>Rules</h2>
        <input placeholder="filter by name or tag" value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="filter rules" />
      </div>
      <ErrorBox error={rules.error ?? error} />
      {rules.data && (
        <p id="rules-files" className="muted">
          {rules.data.rules.length} rules from {[...rules.data.files, ...rules.data.uploaded.map((u) => `${u} (uploaded)`)].join(', ')}
        </p>
      )}
      <div className="scroll">
        <table id="rule-list" className="compact">
          <thead>
            <tr>
              <th>on</th>
              <th>rule</th>
              <th>priority</th>
              <th>source</th>
              <th className="hide-narrow">tags</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={`${r.source}/${r.name}`} className={r.enabled ? '' : 'disabled'}>
                <td>
                  <input type="checkbox" checked={r.enabled} onChange={() => toggle(r)} aria-label={`enable ${r.name}`} />
                </td>
                <td title={r.desc}>{r.name}</td>
                <td>
                  <PriorityBadge p={r.priority} />
                </td>
                <td>{r.source}</td>
                <td className="hide-narrow muted">{r.tags.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Upload onSaved={rules.reload} />
    </div>
  );
}
