// The live overview: polls /overview/data and redraws both styles' numbers and charts.
(() => {
  const root = document.getElementById('overview');
  const refreshMs = Number(root.dataset.refreshMs);
  const errorBox = document.getElementById('overview-error');
  const RATE_COLORS = { started: '#6366f1', succeeded: '#16a34a', failed: '#dc2626', compensating: '#ea580c' };
  const QUANTILE_COLORS = { p50Ms: '#0ea5e9', p95Ms: '#a855f7', p99Ms: '#f43f5e' };
  const charts = {};
  const clock = (at) => new Date(at).toLocaleTimeString();
  const show = (value, unit = '') => (value === null || value === undefined ? '–' : `${Math.round(value * 10) / 10}${unit}`);

  function lineChart(canvas, names, colors, yTitle) {
    return new Chart(canvas, {
      type: 'line',
      data: {
        labels: [],
        datasets: names.map((name) => ({ label: name.replace('Ms', ''), data: [], borderColor: colors[name], pointRadius: 0, tension: 0.2, spanGaps: true })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } }, x: { ticks: { maxTicksLimit: 6 } } },
      },
    });
  }

  for (const section of root.querySelectorAll('section[data-style]')) {
    charts[section.dataset.style] = {
      rates: lineChart(section.querySelector('[data-chart="rates"]'), Object.keys(RATE_COLORS), RATE_COLORS, 'per minute'),
      latency: lineChart(section.querySelector('[data-chart="latency"]'), Object.keys(QUANTILE_COLORS), QUANTILE_COLORS, 'ms'),
    };
  }

  function renderStyle(section, stats) {
    const kpi = (name, text) => {
      const cell = section.querySelector(`[data-kpi="${name}"]`);
      if (cell) cell.textContent = text;
    };
    const last = stats.series.at(-1);
    section.querySelector('.reach').textContent = stats.reachable ? '' : '(its metrics do not answer)';
    for (const name of Object.keys(RATE_COLORS)) kpi(name, show(last?.perMinute[name]));
    kpi('p50', show(stats.latency.p50Ms, ' ms'));
    kpi('p95', show(stats.latency.p95Ms, ' ms'));
    kpi('p99', show(stats.latency.p99Ms, ' ms'));
    kpi('inFlight', show(stats.inFlight));
    kpi('parked', show(stats.parked));
    kpi('stuck', show(stats.stuck));
    const { rates, latency } = charts[section.dataset.style];
    for (const chart of [rates, latency]) chart.data.labels = stats.series.map((p) => clock(p.at));
    rates.data.datasets.forEach((d, i) => (d.data = stats.series.map((p) => p.perMinute[Object.keys(RATE_COLORS)[i]])));
    latency.data.datasets.forEach((d, i) => (d.data = stats.series.map((p) => p[Object.keys(QUANTILE_COLORS)[i]])));
    rates.update();
    latency.update();
  }

  function renderBus(streams, busError) {
    const body = document.querySelector('#bus-table tbody');
    body.replaceChildren();
    const row = (cells) => {
      const tr = document.createElement('tr');
      for (const text of cells) tr.appendChild(Object.assign(document.createElement('td'), { textContent: String(text) }));
      body.appendChild(tr);
      return tr;
    };
    if (busError) row([busError]).className = 'flash bad';
    for (const s of streams) {
      if (s.groups.length === 0) row([s.stream, s.busLength, s.deadLetters, 'no group yet', '', '']);
      for (const g of s.groups) row([s.stream, s.busLength, s.deadLetters, g.name, g.lag ?? 'unknown', g.pending]).dataset.group = `${s.stream}/${g.name}`;
    }
    if (streams.length === 0 && !busError) row(['The event store knows no stream yet.']);
  }

  async function refresh() {
    try {
      const res = await fetch('/overview/data', { headers: { Accept: 'application/json' } });
      const body = await res.json();
      if (!res.ok) throw new Error(`${res.status} ${body.code ?? ''} ${body.message ?? ''}`);
      for (const section of root.querySelectorAll('section[data-style]')) renderStyle(section, body.styles[section.dataset.style]);
      renderBus(body.streams, body.busError);
      document.getElementById('updated').textContent = `updated ${clock(body.at)}`;
      errorBox.hidden = true;
    } catch (error) {
      errorBox.textContent = `The overview could not be refreshed: ${error.message}`;
      errorBox.hidden = false;
    } finally {
      setTimeout(refresh, refreshMs);
    }
  }

  document.addEventListener('DOMContentLoaded', refresh);
})();
