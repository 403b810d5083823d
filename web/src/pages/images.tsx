// Images: kept scans with counts by severity and fixable findings, a form to scan an image or
// directory on the server (admin tokens), and one scan's findings with filters.
import { useState } from 'react';
import { api, query } from '../api.ts';
import { BarList, Card, ErrorBox, SeverityBadge, useData } from '../components.tsx';
import { href } from '../router.ts';
import type { Finding, ScanSummary } from '../types.ts';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
type Scan = { id: string; created: string; summary: ScanSummary };

function ScanForm({ onDone }: { onDone: (id: string) => void }) {
  const [ref, setRef] = useState('');
  const [kind, setKind] = useState<'image' | 'fs'>('image');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<{ id: string }>('/api/v1/scans', { method: 'POST', body: { kind, ref } });
      onDone(r.id);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form id="scan-form" className="filters" onSubmit={submit}>
      <select value={kind} onChange={(e) => setKind(e.target.value as 'image' | 'fs')} aria-label="kind">
        <option value="image">image</option>
        <option value="fs">directory</option>
      </select>
      <input className="grow" placeholder="image archive, OCI layout, registry/repo:tag or directory (server side)" value={ref} onChange={(e) => setRef(e.target.value)} required />
      <button type="submit" disabled={busy}>
        {busy ? 'Scanning…' : 'Scan'}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function Findings({ scan, params }: { scan: Scan; params: URLSearchParams }) {
  const severity = params.get('severity') ?? '';
  const fixable = params.get('fixable') ?? '';
  const q = params.get('q') ?? '';
  const f = useData(() => api<{ total: number; findings: Finding[] }>(`/api/v1/scans/${scan.id}/findings${query({ severity, fixable, q, limit: 1000 })}`), [scan.id, severity, fixable, q]);
  const go = (p: Record<string, string>) => (location.hash = href('images', { scan: scan.id, severity, fixable, q, ...p }));
  return (
    <Card title={`Findings of ${scan.summary.ref.split('/').pop()}`} className="wide" id="findings">
      <p className="muted output">{scan.summary.ref}</p>
      <p className="muted">
        {scan.summary.os ?? 'unknown OS'} · {scan.summary.packages} packages · {scan.summary.findings} findings · {scan.summary.fixable} with a fix
      </p>
      <BarList items={SEVERITIES.map((s) => ({ name: s, count: scan.summary.bySeverity[s] ?? 0 })).filter((x) => x.count)} link={(s) => href('images', { scan: scan.id, severity: s })} />
      <div className="filters">
        <select value={severity} onChange={(e) => go({ severity: e.target.value })} aria-label="severity">
          <option value="">any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select value={fixable} onChange={(e) => go({ fixable: e.target.value })} aria-label="fix">
          <option value="">fixed or not</option>
          <option value="true">fix available</option>
          <option value="false">no fix yet</option>
        </select>
        <input placeholder="CVE or package" defaultValue={q} onKeyDown={(e) => e.key === 'Enter' && go({ q: (e.target as HTMLInputElement).value })} />
      </div>
      <ErrorBox error={f.error} />
      <div className="scroll">
        <table id="finding-list" className="compact">
          <thead>
            <tr>
              <th>severity</th>
              <th>vulnerability</th>
              <th>package</th>
              <th>installed</th>
              <th>fixed in</th>
              <th className="hide-narrow">title</th>
            </tr>
          </thead>
          <tbody>
            {f.data?.findings.map((x, i) => (
              <tr key={i}>
                <td>
                  <SeverityBadge s={x.severity} />
                </td>
                <td className="nowrap">{x.vulnId}</td>
                <td>{x.pkg}</td>
                <td>{x.installed}</td>
                <td>{x.fixed ?? <span className="muted">{x.status}</span>}</td>
                <td className="hide-narrow">{x.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {f.data && f.data.total > f.data.findings.length && <p className="muted">{f.data.total - f.data.findings.length} more: narrow the filters</p>}
    </Card>
  );
}

/** The images page. */
export function Images({ params }: { params: URLSearchParams }) {
  const scans = useData(() => api<{ scans: Scan[] }>('/api/v1/scans'), []);
  const list = scans.data?.scans ?? [];
  const current = list.find((s) => s.id === params.get('scan')) ?? list[0];
  return (
    <div id="images" className="page">
      <div className="page-head">
        <h2>Images</h2>
      </div>
      <ScanForm onDone={(id) => (scans.reload(), (location.hash = href('images', { scan: id })))} />
      <ErrorBox error={scans.error} />
      <Card title="Scans" className="wide">
        {!list.length && !scans.loading && <p className="muted">No scans yet.</p>}
        <div className="scroll">
          <table id="scan-list" className="compact">
            <thead>
              <tr>
                <th>target</th>
                <th className="hide-narrow">scanned</th>
                {SEVERITIES.slice(0, 4).map((s) => (
                  <th key={s}>
                    <SeverityBadge s={s} />
                  </th>
                ))}
                <th>fixable</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} className={`clickable${s.id === current?.id ? ' selected' : ''}`} onClick={() => (location.hash = href('images', { scan: s.id }))}>
                  <td className="output" title={s.summary.ref}>
                    {s.summary.ref.split('/').pop()}
                  </td>
                  <td className="nowrap hide-narrow">{s.created.slice(0, 16).replace('T', ' ')}</td>
                  {SEVERITIES.slice(0, 4).map((x) => (
                    <td key={x}>{s.summary.bySeverity[x] ?? 0}</td>
                  ))}
                  <td>{s.summary.fixable}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      {current && <Findings scan={current} params={params} />}
    </div>
  );
}
