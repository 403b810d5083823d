// Vigil UI: overview, alerts with filters, alert detail; live alerts over the SSE stream.
// The token is kept in localStorage and sent as a bearer header; all data is rendered as
// text (never as HTML), so alert contents cannot inject markup.
const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
const KEY = 'vigil.token';
const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k ?? '')));
  return e;
}

async function api(path, opts = {}) {
  const res = await fetch(path, { ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${localStorage.getItem(KEY)}` } });
  if (res.status === 401) {
    localStorage.removeItem(KEY);
    show('login');
    throw new Error('token refused');
  }
  const body = await res.json();
  if (!res.ok) throw new Error(body.errors?.map((e) => `${e.code}: ${e.message}`).join('; ') ?? res.statusText);
  return body;
}

function show(id) {
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== id;
  $('#logout').hidden = id === 'login';
}

function alertRow(a) {
  return el('tr', { class: 'clickable', 'data-id': a.id, onclick: () => (location.hash = `#/alert/${a.id}`) },
    el('td', {}, a.alert.time.replace('T', ' ').slice(0, 23)),
    el('td', { class: `p-${a.alert.priority}` }, a.alert.priority),
    el('td', {}, a.alert.rule),
    el('td', { class: 'output' }, a.alert.output));
}

async function overview() {
  show('overview');
  const s = await api('/api/v1/alerts/summary');
  $('#counts').replaceChildren(el('div', { class: 'count' }, el('b', {}, s.total), 'total'),
    ...PRIORITIES.filter((p) => s.byPriority[p]).map((p) => el('div', { class: `count p-${p}` }, el('b', {}, s.byPriority[p]), p)));
  const rows = (list) => list.map((r) => el('tr', {}, el('td', {}, r.name), el('td', {}, r.count)));
  $('#top-rules tbody').replaceChildren(...rows(s.topRules));
  $('#top-containers tbody').replaceChildren(...rows(s.topContainers));
  $('#newest tbody').replaceChildren(...s.newest.map(alertRow));
}

async function alerts(params) {
  show('alerts');
  const form = $('#filters');
  for (const [k, v] of params) if (form.elements[k]) form.elements[k].value = v;
  const q = new URLSearchParams([...params].filter(([, v]) => v));
  const r = await api(`/api/v1/alerts?${q}`);
  $('#alert-list tbody').replaceChildren(...r.alerts.map(alertRow));
}

async function detail(id) {
  show('detail');
  const a = await api(`/api/v1/alerts/${encodeURIComponent(id)}`);
  $('#detail-rule').textContent = `${a.alert.priority} · ${a.alert.rule}`;
  $('#detail-rule').className = `p-${a.alert.priority}`;
  $('#detail-output').textContent = a.alert.output;
  const fields = { time: a.alert.time, source: a.alert.source, hostname: a.alert.hostname, tags: a.alert.tags.join(', '), ...a.alert.output_fields };
  $('#detail-fields tbody').replaceChildren(...Object.entries(fields).map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', { class: 'output' }, JSON.stringify(v)))));
  const cid = a.alert.output_fields['container.id'];
  const around = (ms) => new Date(a.ts + ms).toISOString();
  const q = new URLSearchParams({ since: around(-300_000), until: around(300_000), limit: '100' });
  if (cid && cid !== 'host') q.set('container', String(cid));
  $('#detail-audit-title').textContent = cid && cid !== 'host' ? `Activity of container ${cid} around that time` : 'Activity on the host around that time';
  let acts = [];
  try {
    acts = (await api(`/api/v1/audit?${q}`)).activity;
  } catch (e) {
    acts = [];
  }
  $('#detail-audit tbody').replaceChildren(...(acts.length ? acts.map((x) => el('tr', {}, el('td', {}, new Date(x.ts).toISOString()), el('td', {}, x.kind), el('td', {}, x.comm ?? ''), el('td', { class: 'output' }, x.cmdline ?? JSON.stringify(x.detail ?? {}))))
    : [el('tr', {}, el('td', {}, 'no recorded activity'))]));
}

async function rules() {
  show('rules');
  const r = await api('/api/v1/rules');
  $('#rules-files').textContent = `from ${r.files.join(', ')}`;
  $('#rule-list tbody').replaceChildren(...r.rules.map((x) => {
    const box = el('input', { type: 'checkbox' });
    box.checked = x.enabled;
    box.addEventListener('change', async () => {
      $('#rules-error').textContent = '';
      try {
        await api(`/api/v1/rules/${encodeURIComponent(x.name)}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: box.checked }) });
      } catch (e) {
        box.checked = !box.checked;
        $('#rules-error').textContent = e.message;
      }
    });
    return el('tr', {}, el('td', {}, box), el('td', { title: x.desc }, x.name), el('td', { class: `p-${x.priority}` }, x.priority), el('td', {}, x.source), el('td', {}, x.tags.join(', ')));
  }));
}

async function route() {
  if (!localStorage.getItem(KEY)) return show('login');
  const [path, query] = location.hash.slice(1).split('?');
  try {
    if (path.startsWith('/alert/')) await detail(decodeURIComponent(path.slice(7)));
    else if (path === '/alerts') await alerts(new URLSearchParams(query ?? ''));
    else if (path === '/rules') await rules();
    else await overview();
  } catch (e) {
    console.error(e);
  }
}

// server-sent events read through fetch, because EventSource cannot send the bearer header
async function stream() {
  for (;;) {
    const token = localStorage.getItem(KEY);
    if (token) {
      try {
        const res = await fetch('/api/v1/stream', { headers: { authorization: `Bearer ${token}` } });
        if (res.ok) {
          $('#live').textContent = 'live: on';
          $('#live').className = 'live on';
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buf += value;
            let i;
            while ((i = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, i);
              buf = buf.slice(i + 2);
              const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
              if (data) onLive(JSON.parse(data));
            }
          }
        }
      } catch (e) {
        console.warn('stream', e);
      }
    }
    $('#live').textContent = 'live: off';
    $('#live').className = 'live off';
    await new Promise((r) => setTimeout(r, 3000));
  }
}

function onLive(a) {
  if (!$('#overview').hidden) void overview();
  if (!$('#alerts').hidden && !location.hash.includes('?')) {
    const row = alertRow(a);
    row.classList.add('new');
    $('#alert-list tbody').prepend(row);
  }
}

function init() {
  const sel = $('#filters').elements.priority;
  for (const p of PRIORITIES) sel.append(el('option', { value: p }, `${p} or worse`));
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams([...new FormData(e.target)].filter(([, v]) => v));
    location.hash = `#/alerts?${q}`;
  });
  $('#login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    localStorage.setItem(KEY, $('#token').value.trim());
    $('#login-error').textContent = '';
    const res = await fetch('/api/v1/alerts?limit=1', { headers: { authorization: `Bearer ${localStorage.getItem(KEY)}` } });
    if (!res.ok) {
      localStorage.removeItem(KEY);
      $('#login-error').textContent = 'token refused';
      return;
    }
    location.hash = '#/overview';
    void route();
  });
  $('#logout').addEventListener('click', () => {
    localStorage.removeItem(KEY);
    show('login');
  });
  window.addEventListener('hashchange', route);
  void route();
  void stream();
}

init();
