// The validator dashboard page: fetches /api/status and /api/history and draws tables and uPlot
// charts. Hotkeys, model versions and error texts come from miners, so every value is written with
// textContent, never as HTML. Sets <body data-state="ready"> once everything is drawn (the browser
// test waits for it) and redraws every 30 s.
(() => {
  const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];
  const REFERENCE_COLOR = '#111827';
  const REFRESH_MS = 30_000;
  const charts = new Map();
  let selected;

  const $ = (id) => document.getElementById(id);
  const fixed = (x, digits = 3) => (x === null || x === undefined ? '-' : Number(x).toFixed(digits));
  const signed = (x) => (x === null || x === undefined ? '-' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);
  const short = (h) => (h.length > 16 ? `${h.slice(0, 8)}…${h.slice(-6)}` : h);
  const colorOf = (i) => PALETTE[i % PALETTE.length];

  function cell(tr, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  }

  async function getJson(path) {
    const res = await fetch(path, { cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`${path}: ${body.message ?? res.status}`);
    return body;
  }

  function renderSummary(status) {
    const c = status.cycle;
    const when = c.updatedAt ? new Date(c.updatedAt).toISOString().replace('T', ' ').slice(0, 19) : '-';
    $('cycle').textContent = `cycle ${c.cycleId} (${c.stage}) on ${c.batchId}, last step ${when} UTC`;
    $('card-reference').textContent = fixed(status.reference.perf);
    const w = status.weights;
    const weights = $('card-weights');
    weights.textContent = w.status ?? '-';
    weights.className = w.mode === 'fallback' || (w.status && w.status !== 'included') ? 'warn' : 'ok';
    $('card-weights-detail').textContent =
      w.mode === 'fallback'
        ? 'no miner beats the reference: fell back to perf^alpha'
        : [w.kind, w.mode, w.reason].filter(Boolean).join(', ');
    $('card-canonical').textContent = status.canonicalSource ?? '-';
    const t = status.traps;
    // fromBank is -1 when the cycle reused its batch's stored pool (drawn by an earlier cycle)
    $('card-traps').textContent = t
      ? `${t.sent} traps of a ${t.pool}-trap pool${t.fromBank >= 0 ? ` (${t.fromBank} from the bank)` : ''} among ${t.real} real alerts`
      : '';
    const s = status.stealth;
    const auc = $('stealth-auc');
    auc.textContent = s && s.auc !== null ? `AUC ${fixed(s.auc)}` : 'not run';
    auc.className = s && s.auc !== null ? (s.auc > s.target ? 'warn' : 'ok') : '';
    $('stealth-detail').textContent = s
      ? `target ≤ ${s.target}; ${s.traps} traps vs ${s.reals} real alerts; ${s.ms} ms`
      : 'the audit is off (--no-stealth-audit) or has not run for this cycle';
    const tells = $('tells').tBodies[0];
    tells.replaceChildren();
    for (const tell of s?.tells ?? []) {
      const tr = document.createElement('tr');
      cell(tr, String(tell.feature));
      cell(tr, fixed(tell.gain));
      tells.appendChild(tr);
    }
  }

  function renderMiners(status) {
    const body = $('miners').tBodies[0];
    body.replaceChildren();
    for (const r of status.rows) {
      const tr = document.createElement('tr');
      const isRef = r.hotkey === status.reference.hotkey;
      tr.className = isRef ? 'reference' : 'miner';
      tr.dataset.hotkey = r.hotkey;
      cell(tr, String(r.uid));
      cell(tr, short(r.hotkey), 'hotkey').title = r.hotkey;
      cell(tr, r.t1, r.t1 === 'pass' ? 'ok' : 'warn');
      cell(tr, r.t2);
      cell(tr, r.t3);
      cell(tr, fixed(r.performance));
      cell(tr, signed(r.excess), r.excess === null ? '' : r.excess > 0 ? 'ok' : 'warn');
      cell(tr, fixed(r.ensembleWeight));
      cell(tr, fixed(r.chainWeight));
      cell(tr, r.copyOf ?? '', r.copyOf ? 'warn' : '');
      cell(tr, r.note);
      if (!isRef) tr.addEventListener('click', () => selectMiner(r.hotkey));
      body.appendChild(tr);
    }
  }

  function renderAnswers(status) {
    const t = status.timings;
    const parts = [
      `cycle wall time ${t.cycleMs === null ? '-' : `${t.cycleMs} ms`}`,
      `stealth audit ${t.stealthMs === null ? '-' : `${t.stealthMs} ms`}`,
      `${t.answers.length} answers, ${t.storedAnswerBytes} bytes stored`,
    ];
    $('timings-summary').textContent = parts.join(' · ');
    const body = $('answers').tBodies[0];
    body.replaceChildren();
    for (const a of t.answers) {
      const tr = document.createElement('tr');
      cell(tr, String(a.uid));
      cell(tr, short(a.hotkey), 'hotkey').title = a.hotkey;
      cell(tr, String(a.statusCode), a.statusCode === 200 ? 'ok' : 'warn');
      cell(tr, fixed(a.elapsedMs, 1));
      cell(tr, String(a.storedBytes));
      cell(tr, a.modelVersion ?? '');
      cell(tr, a.error ?? '');
      body.appendChild(tr);
    }
  }

  /** Draws (or redraws) one uPlot chart in the element `id`; x is the cycle id. */
  function chart(id, x, series, yRange) {
    const el = $(id);
    charts.get(id)?.destroy();
    charts.delete(id);
    el.replaceChildren();
    if (x.length === 0) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = 'no scored cycle yet';
      el.appendChild(p);
      return;
    }
    const opts = {
      width: Math.max(300, el.clientWidth),
      height: 240,
      scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
      // cycle ids are integers: no tick at cycle 1.5
      axes: [{ label: 'cycle', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { size: 56 }],
      series: [
        { label: 'cycle' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: true,
          points: { show: x.length < 60 },
        })),
      ],
    };
    charts.set(id, new uPlot(opts, [x, ...series.map((s) => s.data)], el));
  }

  function minerSeries(history, key) {
    return history.miners.map((m, i) => ({ label: short(m.hotkey), color: colorOf(i), data: m[key] }));
  }

  function renderCharts(history) {
    const x = history.cycles;
    const reference = { label: 'reference', color: REFERENCE_COLOR, width: 2.5, dash: [6, 4] };
    chart(
      'chart-perf',
      x,
      [...minerSeries(history, 'perf'), { ...reference, data: history.reference.perf }],
      [0, 1],
    );
    chart('chart-excess', x, minerSeries(history, 'excess'));
    chart('chart-weights', x, minerSeries(history, 'chainWeight'), [0, 1]);
    const target = x.map(() => history.stealthTarget);
    chart(
      'chart-stealth',
      x,
      [
        { label: 'stealth AUC', color: PALETTE[0], data: history.stealthAuc },
        { label: 'target', color: PALETTE[1], dash: [6, 4], data: target },
      ],
      [0, 1],
    );
    const seconds = (ms) => ms.map((v) => (v === null ? null : v / 1000));
    chart('chart-timings', x, [
      { label: 'cycle wall time', color: PALETTE[3], data: seconds(history.durationMs) },
      { label: 'slowest answer', color: PALETTE[4], data: seconds(history.slowestAnswerMs) },
    ]);
    renderMinerChart(history);
  }

  let lastHistory;
  function renderMinerChart(history) {
    lastHistory = history;
    const m = history.miners.find((s) => s.hotkey === selected) ?? history.miners[0];
    for (const tr of $('miners').tBodies[0].rows)
      tr.classList.toggle('selected', tr.dataset.hotkey === m?.hotkey);
    $('chart-miner-title').textContent = m
      ? `Tiers of ${short(m.hotkey)} (uid ${m.uid})`
      : 'Tiers of the selected miner';
    if (!m) return chart('chart-miner', [], []);
    chart(
      'chart-miner',
      history.cycles,
      [
        { label: 'tier 1', color: PALETTE[2], data: m.t1 },
        { label: 'tier 2', color: PALETTE[0], data: m.t2 },
        { label: 'tier 3', color: PALETTE[3], data: m.t3 },
        { label: 'perf', color: PALETTE[4], width: 2.5, data: m.perf },
        { label: 'reference perf', color: REFERENCE_COLOR, dash: [6, 4], data: history.reference.perf },
      ],
      [0, 1],
    );
  }

  function selectMiner(hotkey) {
    selected = hotkey;
    if (lastHistory) renderMinerChart(lastHistory);
  }

  async function refresh() {
    const error = $('error');
    try {
      const [status, history] = await Promise.all([getJson('/api/status'), getJson('/api/history')]);
      if (status.cycle === null) {
        $('cycle').textContent = 'no cycle has run yet';
      } else {
        renderSummary(status);
        renderMiners(status);
        renderAnswers(status);
      }
      renderCharts(history);
      error.hidden = true;
      document.body.dataset.state = 'ready';
    } catch (err) {
      error.textContent = `cannot load the dashboard data: ${err.message}`;
      error.hidden = false;
      document.body.dataset.state = 'error';
    }
  }

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
