// Compliance: the newest posture report's framework scores, its controls with their failing
// objects (waived failures shown as accepted), the waivers in force, and a form to judge
// posted manifests.
import { useState } from 'react';
import { api } from '../api.ts';
import { BarList, Card, ErrorBox, useData } from '../components.tsx';
import type { ControlResult, FrameworkScore, PostureSummary } from '../types.ts';

type Report = { id: string; created: string; summary: PostureSummary; report: { frameworks: FrameworkScore[]; controls: ControlResult[] } };

function Controls({ controls }: { controls: ControlResult[] }) {
  const [showAll, setShowAll] = useState(false);
  const shown = controls.filter((c) => showAll || c.status === 'failed' || c.status === 'accepted');
  return (
    <>
      <label className="inline">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> show passing and not applicable controls
      </label>
      <div className="scroll">
        <table id="control-list" className="compact">
          <thead>
            <tr>
              <th>control</th>
              <th>severity</th>
              <th>status</th>
              <th>failing objects</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id}>
                <td>
                  <b>{c.id}</b> {c.name}
                </td>
                <td>{c.severity}</td>
                <td>
                  <span className={`badge st-${c.status}`}>{c.status}</span>
                </td>
                <td>
                  <ul className="objects">
                    {c.resources
                      .filter((r) => r.status !== 'passed')
                      .map((r, i) => (
                        <li key={i} title={r.messages.join('\n')}>
                          {r.kind} {r.namespace ? `${r.namespace}/` : ''}
                          {r.name}
                          {r.waiver && <span className="muted"> — waived: {r.waiver.reason}</span>}
                        </li>
                      ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Waivers() {
  const w = useData(() => api<{ text: string; waivers: { control: string; namespace?: string; name?: string; reason: string; expires?: string }[] }>('/api/v1/compliance/waivers'), []);
  const [text, setText] = useState<string>();
  const [error, setError] = useState<Error>();
  const save = async () => {
    setError(undefined);
    try {
      await api('/api/v1/compliance/waivers', { method: 'PUT', body: text ?? w.data?.text ?? '' });
      w.reload();
      setText(undefined);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Card title="Waivers" id="waivers">
      {w.data?.waivers.length ? (
        <ul>
          {w.data.waivers.map((x, i) => (
            <li key={i}>
              <b>{x.control}</b> {x.namespace ?? '*'}/{x.name ?? '*'}: {x.reason}
              {x.expires && <span className="muted"> (until {x.expires})</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No waivers.</p>
      )}
      <details>
        <summary>Edit (admin)</summary>
        <textarea rows={6} value={text ?? w.data?.text ?? ''} onChange={(e) => setText(e.target.value)} spellCheck={false} />
        <button onClick={save}>Save waivers</button>
        <ErrorBox error={error} />
      </details>
    </Card>
  );
}

/** The compliance page. */
export function Compliance() {
  const latest = useData(() => api<Report>('/api/v1/compliance/reports/latest').catch((e: { status?: number }) => (e.status === 404 ? undefined : Promise.reject(e))), []);
  const [manifest, setManifest] = useState('');
  const [error, setError] = useState<Error>();
  const scan = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api('/api/v1/compliance/posture?name=upload', { method: 'POST', body: manifest });
      latest.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  const r = latest.data;
  return (
    <div id="compliance" className="page">
      <div className="page-head">
        <h2>Compliance</h2>
      </div>
      <ErrorBox error={latest.error} />
      {r ? (
        <div className="grid">
          <Card title="Score" id="score">
            <div className="score">
              <b>{r.summary.score === null ? 'n/a' : `${Math.round(r.summary.score)}%`}</b>
              <span>
                {r.summary.name}, {r.summary.objects} objects, {r.created.slice(0, 16).replace('T', ' ')}
              </span>
            </div>
          </Card>
          <Card title="Frameworks" id="frameworks">
            <BarList items={r.report.frameworks.filter((f) => f.score !== null).map((f) => ({ name: f.id, label: `${f.name} (${f.failed ?? 0} failing)`, count: Math.round(f.score!) }))} />
          </Card>
          <Waivers />
        </div>
      ) : (
        !latest.loading && <p className="muted">No posture report yet.</p>
      )}
      {r && (
        <Card title="Controls" className="wide">
          <Controls controls={r.report.controls} />
        </Card>
      )}
      {!r && !latest.loading && <Waivers />}
      <Card title="Check manifests" className="wide">
        <form id="posture-form" onSubmit={scan}>
          <textarea rows={8} placeholder="Kubernetes manifests (YAML or JSON, several documents)" value={manifest} onChange={(e) => setManifest(e.target.value)} spellCheck={false} required />
          <button type="submit">Check posture</button>
        </form>
        <ErrorBox error={error} />
      </Card>
    </div>
  );
}
