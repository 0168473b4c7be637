// DOM and formatting helpers shared by the console's scripts. Everything is built with
// createElement/textContent (never innerHTML with data), so a label or a file name is only text.
'use strict';

window.RC = window.RC || {};
(function (RC) {
  const SVG_NS = 'http://www.w3.org/2000/svg';

  function append(el, children) {
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  /** h('div', { class: 'x', onclick }, child, …) — attributes starting with "on" become listeners. */
  RC.h = function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    return append(el, children);
  };

  RC.s = function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
    return append(el, children);
  };

  RC.fill = function fill(target, ...children) {
    const el = typeof target === 'string' ? document.getElementById(target) : target;
    el.replaceChildren();
    return append(el, children);
  };

  RC.pct = (x, digits = 0) => (typeof x === 'number' ? (x * 100).toFixed(digits) + ' %' : '–');
  RC.num = (x, digits = 3) => (typeof x === 'number' ? x.toFixed(digits) : '–');
  RC.ago = function ago(iso) {
    if (!iso) return '–';
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (Math.abs(s) < 60) return s >= 0 ? s + ' s ago' : 'in ' + -s + ' s';
    const m = Math.round(s / 60);
    if (Math.abs(m) < 120) return m >= 0 ? m + ' min ago' : 'in ' + -m + ' min';
    const hrs = Math.round(m / 60);
    if (Math.abs(hrs) < 48) return hrs >= 0 ? hrs + ' h ago' : 'in ' + -hrs + ' h';
    return new Date(iso).toLocaleString();
  };
  /** A confidence (0–100) cut, not rounded, to two decimals: 99.999 is below a threshold of 100. */
  RC.conf = (c) => (Math.floor(c * 100) / 100).toFixed(2);
  RC.time = (iso) => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' }) : '–');

  /** A progress bar: value/max, with the numbers as text and on data attributes for tests. */
  RC.progress = function progress(value, max, label, id) {
    const ratio = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
    return RC.h('div', { class: 'progress', id, role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': max, 'aria-valuenow': value, 'aria-label': label, 'data-value': value, 'data-max': max },
      RC.h('div', { class: 'progress-fill', 'data-ratio': ratio.toFixed(3) }),
      RC.h('span', { class: 'progress-text' }, label));
  };
  /** CSP forbids inline styles in markup, but CSSOM writes are allowed: widths are set here. */
  RC.sizeBars = function sizeBars(root) {
    for (const bar of root.querySelectorAll('.progress-fill[data-ratio]')) bar.style.width = Number(bar.dataset.ratio) * 100 + '%';
  };

  RC.badge = (text, kind) => RC.h('span', { class: 'badge ' + (kind || '') }, text);
  RC.statusKind = function statusKind(status) {
    if (['RUNNING', 'deployed', 'TRAINING_COMPLETED', 'done'].includes(status)) return 'ok';
    if (['FAILED', 'TRAINING_FAILED', 'failed', 'rejected'].includes(status)) return 'bad';
    if (['STOPPED', 'skipped'].includes(status)) return 'muted';
    return 'busy';
  };
  RC.table = function table(el, head, rows) {
    return RC.fill(el, RC.h('thead', {}, RC.h('tr', {}, head.map((t) => RC.h('th', { scope: 'col' }, t)))), RC.h('tbody', {}, rows));
  };
})(window.RC);
