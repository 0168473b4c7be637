// Inline SVG charts: no library, sized by viewBox so they scale from phone to wall screen.
'use strict';

(function (RC) {
  const { s, h } = RC;

  /** Detections per hour (bars) with the part sent to review drawn over them. */
  RC.sparkline = function sparkline(hours) {
    const w = 240, ht = 56, gap = 2;
    const max = Math.max(1, ...hours.map((b) => b.detections));
    const bw = w / hours.length - gap;
    const bars = hours.map((b, i) => {
      const x = i * (bw + gap);
      const total = (b.detections / max) * (ht - 4);
      const review = (b.sentToReview / max) * (ht - 4);
      return s('g', {},
        s('title', {}, new Date(b.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + ': ' + b.detections + ' detections, ' + b.sentToReview + ' to review'),
        s('rect', { x, y: ht - total, width: bw, height: total, class: 'bar' }),
        s('rect', { x, y: ht - review, width: bw, height: review, class: 'bar review' }));
    });
    return s('svg', { viewBox: `0 0 ${w} ${ht}`, class: 'chart spark', role: 'img', 'aria-label': 'detections per hour, last 24 hours' }, s('line', { x1: 0, y1: ht - 0.5, x2: w, y2: ht - 0.5, class: 'axis' }), bars);
  };

  /** Per-label precision, recall and F1 as horizontal bars (0–1). */
  RC.labelBars = function labelBars(perLabel) {
    const row = 46, labelW = 110, w = 420, barW = w - labelW - 40;
    const metrics = [['precision', 'p'], ['recall', 'r'], ['f1', 'f']];
    const rows = perLabel.map((l, i) => {
      const y = i * row + 4;
      return s('g', { class: 'label-row' },
        s('text', { x: 0, y: y + 22, class: 'tick' }, l.label.length > 14 ? l.label.slice(0, 13) + '…' : l.label),
        metrics.map(([key, cls], j) => s('g', {},
          s('title', {}, `${l.label} ${key} ${l[key].toFixed(3)} (support ${l.support})`),
          s('rect', { x: labelW, y: y + j * 13, width: Math.max(1, l[key] * barW), height: 11, class: 'm-' + cls }),
          s('text', { x: labelW + l[key] * barW + 4, y: y + j * 13 + 10, class: 'tick small' }, l[key].toFixed(2)))));
    });
    const legend = h('div', { class: 'legend' }, metrics.map(([key, cls]) => h('span', {}, h('i', { class: 'sw m-' + cls }), key)));
    return h('div', {}, legend, s('svg', { viewBox: `0 0 ${w} ${perLabel.length * row + 4}`, class: 'chart', role: 'img', 'aria-label': 'per-label precision, recall and F1' }, rows));
  };

  /** Confusion matrix heat map: rows are the true label, columns the predicted one. */
  RC.heatmap = function heatmap(confusion) {
    const { labels, matrix } = confusion;
    const n = labels.length, cell = Math.max(26, Math.min(44, 300 / n)), pad = 78;
    const max = Math.max(1, ...matrix.flat());
    const cells = [];
    matrix.forEach((row, i) => row.forEach((v, j) => {
      const level = Math.round((v / max) * 9);
      cells.push(s('g', {},
        s('title', {}, `true ${labels[i]} → predicted ${labels[j]}: ${v}`),
        s('rect', { x: pad + j * cell, y: pad + i * cell, width: cell - 2, height: cell - 2, class: `heat h${level}${i === j ? ' diag' : ''}` }),
        s('text', { x: pad + j * cell + cell / 2 - 1, y: pad + i * cell + cell / 2 + 4, class: 'cell-text' + (level > 5 ? ' dark' : '') }, Number.isInteger(v) ? v : v.toFixed(2))));
    }));
    const short = (l) => (l.length > 11 ? l.slice(0, 10) + '…' : l);
    const rowsText = labels.map((l, i) => s('text', { x: pad - 6, y: pad + i * cell + cell / 2 + 4, class: 'tick end' }, short(l)));
    const colsText = labels.map((l, j) => s('text', { x: pad + j * cell + cell / 2, y: pad - 8, class: 'tick', transform: `rotate(-40 ${pad + j * cell + cell / 2} ${pad - 8})` }, short(l)));
    const size = pad + n * cell + 4;
    // drawn at its own size (never scaled up), narrower screens shrink it
    return s('svg', { viewBox: `0 0 ${size} ${size}`, width: size, class: 'chart heatmap', role: 'img', 'aria-label': 'confusion matrix, rows true label, columns predicted' },
      s('text', { x: 0, y: 12, class: 'tick small' }, 'true ↓  predicted →'), rowsText, colsText, cells);
  };

  /** Histogram of top confidences (0–100, ten bins) with the review threshold drawn on it. */
  RC.histogram = function histogram(values, threshold) {
    const w = 300, ht = 140, bins = new Array(10).fill(0);
    for (const v of values) bins[Math.min(9, Math.floor(v / 10))] += 1;
    const max = Math.max(1, ...bins), plotH = ht - 22, bw = w / 10;
    const bars = bins.map((n, i) => s('g', {},
      s('title', {}, `${i * 10}–${i * 10 + 10}: ${n}`),
      s('rect', { x: i * bw + 1, y: plotH - (n / max) * plotH, width: bw - 2, height: (n / max) * plotH, class: 'bar' + ((i + 1) * 10 <= threshold ? ' review' : '') }),
      s('text', { x: i * bw + bw / 2, y: ht - 6, class: 'tick small mid' }, i * 10)));
    const tx = (threshold / 100) * w;
    return s('svg', { viewBox: `0 0 ${w} ${ht}`, class: 'chart', role: 'img', 'aria-label': `confidence histogram, threshold ${threshold}` },
      bars,
      s('line', { x1: tx, y1: 0, x2: tx, y2: plotH, class: 'threshold', id: 'threshold-line', 'data-threshold': threshold }),
      s('text', { x: tx > w / 2 ? tx - 4 : tx + 4, y: 12, class: 'tick small warn halo' + (tx > w / 2 ? ' end' : '') }, 'threshold ' + threshold));
  };
})(window.RC);
