// Draws what the server rendered as data: Gantt charts (Chart.js floating bars) and diagrams (mermaid).
// Runs on load and after every htmx swap, so a followed checkout redraws as it progresses.
(() => {
  const COLORS = { step: '#3b82f6', compensation: '#ea580c', failure: '#dc2626', end: '#16a34a' };

  /** Rows of every timeline in `data-gantt`, each timeline its own dataset, all on one axis of milliseconds. */
  function drawGantt(canvas) {
    if (canvas.dataset.drawn) return;
    canvas.dataset.drawn = 'yes';
    const timelines = JSON.parse(canvas.dataset.gantt);
    const labels = timelines.flatMap((t) => t.bars.map((b) => (timelines.length > 1 ? `${t.label} · ` : '') + `${b.label} (${b.endMs - b.startMs} ms)`));
    let offset = 0;
    const datasets = timelines.map((t) => {
      const data = labels.map(() => null);
      t.bars.forEach((b, i) => (data[offset + i] = [b.startMs, Math.max(b.endMs, b.startMs + 1)]));
      const colors = labels.map(() => '#999');
      t.bars.forEach((b, i) => (colors[offset + i] = COLORS[b.kind]));
      offset += t.bars.length;
      return { label: t.label, data, backgroundColor: colors, borderSkipped: false, barPercentage: 0.8, categoryPercentage: 1 };
    });
    new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { type: 'linear', beginAtZero: true, title: { display: true, text: 'ms from the first event' } }, y: { stacked: true } },
      },
    });
  }

  async function drawDiagrams() {
    if (typeof mermaid === 'undefined') return;
    const pending = [...document.querySelectorAll('pre.mermaid:not([data-processed])')];
    if (pending.length === 0) return;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', flowchart: { htmlLabels: true } });
    await mermaid.run({ nodes: pending });
  }

  function draw(root) {
    root.querySelectorAll('canvas[data-gantt]').forEach(drawGantt);
    drawDiagrams().catch((error) => console.error(error));
  }

  document.addEventListener('DOMContentLoaded', () => {
    draw(document);
    document.body.addEventListener('htmx:afterSettle', () => draw(document));
  });
})();
