// The seven pages (Accounts for admins only): each names what it loads and how it draws it. console-app.js polls the page that
// is shown and redraws it only when its data changed (so focus and scroll stay where they are).
'use strict';

(function (RC) {
  const { h, fill, pct, num, ago, time, badge, statusKind, table, conf } = RC;
  const STEP_ORDER = ['check', 'snapshot', 'create-version', 'train', 'gate', 'start', 'switch', 'stop-others'];
  const STEP_NAMES = { check: 'check', snapshot: 'snapshot', 'create-version': 'create version', train: 'train', gate: 'evaluate · gate', start: 'start', switch: 'switch', 'stop-others': 'stop' };
  const TERMINAL = ['skipped', 'deployed', 'rejected', 'failed'];
  const card = (title, ...body) => h('div', { class: 'card' }, h('h2', {}, title), ...body);
  const stat = (value, label, id) => h('div', { class: 'stat' }, h('b', { id }, value), h('span', { class: 'muted' }, label));

  function trainingProgress(run, progress, id) {
    if (progress) return RC.progress(progress.done, progress.total, `${progress.stage} ${progress.done}/${progress.total}`, id);
    if (run.status === 'deployed') return RC.progress(1, 1, 'deployed', id);
    const done = run.steps.filter((st) => st.status === 'done').length;
    return RC.progress(done, STEP_ORDER.length, run.status, id);
  }

  RC.pages = {};

  RC.pages.overview = {
    load: () => RC.api('GET', '/console/api/overview'),
    render(o) {
      const st = o.status || {};
      const p = o.parameters;
      const live = o.liveModel;
      const untrained = st.untrainedImages;
      const hours = o.detections ? o.detections.hours : [];
      const total = hours.reduce((n, b) => n + b.detections, 0);
      const review = hours.reduce((n, b) => n + b.sentToReview, 0);
      const queues = st.queues || {};
      RC.trainingInFlight = Boolean(o.training);
      const problems = [...(st.invalidParameters || []).map((i) => `${i.name} = ${JSON.stringify(i.value)} ignored: ${i.reason} (in force: ${i.inForce})`), ...(st.lastErrors || []).map((e) => `${time(e.at)} ${e.source}: ${e.message}`)];
      fill('overview',
        card('Live model', live
          ? h('div', { id: 'live-model' }, h('div', { class: 'big', id: 'live-version' }, live.version),
            h('div', { class: 'stats' }, stat(num(live.f1), 'F1', 'live-f1'), stat(live.labels ? live.labels.length : '–', 'labels'), stat(live.since ? ago(live.since) : ago(live.createdAt), 'live since')),
            h('p', { class: 'muted small' }, (live.labels || []).join(' · ')))
          : h('p', { id: 'live-model', class: 'muted' }, 'No model deployed yet: detections go to review.')),
        card('Untrained images', untrained
          ? h('div', {}, RC.progress(untrained.untrained, p['Minimum-Untrained-Images'], `${untrained.untrained} / ${p['Minimum-Untrained-Images']} needed`, 'untrained-progress'),
            h('p', { class: 'muted small' }, `${untrained.labelled} labelled, ${untrained.lastDeployedDataset} in the live model's dataset${untrained.skipped ? `, ${untrained.skipped} skipped` : ''}`))
          : h('p', { class: 'muted' }, 'unavailable')),
        card('Training', o.training
          ? h('div', {}, h('p', {}, h('a', { href: '#trainings' }, o.training.run.id), ' ', badge(o.training.run.status, 'busy')), trainingProgress(o.training.run, o.training.progress, 'overview-progress'))
          : h('p', { class: 'muted' }, 'none in flight'),
          h('p', { class: 'small', id: 'next-poll' }, 'next poll: ', p['Enable-Automatic-Training'] === false ? h('b', {}, 'automatic training off') : o.schedule && o.schedule.nextPollAt ? h('b', { title: time(o.schedule.nextPollAt) }, ago(o.schedule.nextPollAt)) : h('b', {}, '–'),
            ` · every ${p['Automatic-Training-Poll-Frequency']} min`)),
        card('Reviews', h('div', { class: 'stats' }, stat(st.pendingHumanLoops ? st.pendingHumanLoops.count + (st.pendingHumanLoops.truncated ? '+' : '') : '–', 'pending', 'pending-reviews'), stat(p['Minimum-Label-Detection-Confidence'], 'threshold'), stat(p['Enable-A2I-Workflow'] ? 'on' : 'off', 'review of unsure'))),
        card('Detections · last 24 h', h('div', { class: 'stats' }, stat(total, 'detections', 'detections-24h'), stat(total ? pct(review / total) : '–', 'sent to review')), RC.sparkline(hours),
          o.detections && o.detections.counted < total ? h('p', { class: 'muted small' }, `newest ${o.detections.counted} counted`) : null),
        card('Queues', table(h('table', { class: 'table compact' }), ['queue', 'waiting', 'active', 'delayed', 'failed'],
          Object.entries(queues).map(([name, c]) => h('tr', {}, h('td', {}, name.replace(/^relabel-/, '')), h('td', {}, c.waiting), h('td', {}, c.active), h('td', {}, c.delayed), h('td', {}, c.failed))))),
        h('div', { class: 'card span2' }, h('h2', {}, 'Last errors and ignored values'), problems.length ? h('ul', { class: 'errors', id: 'problems-list' }, problems.slice(0, 8).map((t) => h('li', {}, t))) : h('p', { class: 'muted' }, 'none')));
      return o.unavailable;
    },
  };

  RC.pages.models = {
    selected: null,
    load: async () => (await RC.api('GET', '/console/api/models')).items,
    render(models) {
      const sel = models.find((m) => m.version === this.selected) || models.find((m) => m.live) || models[0];
      this.selected = sel ? sel.version : null;
      table('models-table', ['version', 'status', 'dataset', 'F1', 'precision', 'recall', 'created', 'note'], models.map((m) => h('tr', { class: m.version === this.selected ? 'selected' : '', 'data-version': m.version },
        h('td', { class: 'version' }, h('button', { type: 'button', class: 'link', 'aria-pressed': String(m.version === this.selected), onclick: () => { this.selected = m.version; RC.refresh(true); } }, m.version), m.live ? badge('live', 'ok') : null),
        h('td', {}, badge(m.status, statusKind(m.status))),
        h('td', {}, m.datasetImages === undefined ? '–' : `${m.datasetImages} (${m.trainImages}/${m.testImages})`),
        h('td', {}, num(m.f1)), h('td', {}, num(m.precision)), h('td', {}, num(m.recall)),
        h('td', { title: time(m.createdAt) }, ago(m.createdAt)),
        h('td', { class: 'small' }, m.rejectedReason || m.failedReason || (m.progress ? `${m.progress.stage} ${m.progress.done}/${m.progress.total}` : '')))));
      if (!models.length) table('models-table', ['version'], [h('tr', {}, h('td', {}, 'No model version yet: start a training.'))]);
      fill('model-detail', sel ? this.detail(sel, models) : h('p', { class: 'muted' }, 'Select a version.'));
    },
    detail(m, models) {
      const live = models.find((x) => x.live);
      const deployable = !m.live && ['TRAINING_COMPLETED', 'STOPPED', 'RUNNING'].includes(m.status);
      const older = live && m.createdAt < live.createdAt;
      const action = older ? 'Roll back to ' + m.version : 'Deploy ' + m.version;
      const gate = m.gate;
      return [
        h('div', { class: 'page-head' }, h('h2', {}, m.version, ' ', m.live ? badge('live', 'ok') : badge(m.status, statusKind(m.status))),
          h('button', { type: 'button', id: 'deploy-button', class: 'primary', disabled: !deployable, onclick: () => RC.confirmThen(`${action}? It is started blue/green; ${live ? live.version : 'nothing'} keeps serving until it runs.`, async () => {
            await RC.api('POST', `/console/api/models/${encodeURIComponent(m.version)}/deploy`);
            RC.toast(`${action}: requested`, 'ok');
          }) }, older ? 'Roll back' : 'Deploy')),
        m.rejectedReason ? h('p', { class: 'warn' }, 'Rejected: ', m.rejectedReason) : null,
        m.failedReason ? h('p', { class: 'error' }, 'Failed: ', m.failedReason) : null,
        h('div', { class: 'detail-grid' },
        gate ? h('div', { class: 'gate' }, h('h3', {}, 'Champion vs challenger (same test set)'), h('div', { class: 'scroll' }, table(h('table', { class: 'table compact' }), ['', 'version', 'F1', 'precision', 'recall', 'test images'], [
          h('tr', {}, h('th', { scope: 'row' }, 'challenger'), h('td', {}, gate.challenger.version), h('td', {}, num(gate.challenger.evaluation.f1)), h('td', {}, num(gate.challenger.evaluation.precision)), h('td', {}, num(gate.challenger.evaluation.recall)), h('td', {}, gate.challenger.evaluation.testImages)),
          gate.champion ? h('tr', {}, h('th', { scope: 'row' }, 'champion'), h('td', {}, gate.champion.version), ...(gate.champion.evaluation ? [h('td', {}, num(gate.champion.evaluation.f1)), h('td', {}, num(gate.champion.evaluation.precision)), h('td', {}, num(gate.champion.evaluation.recall)), h('td', {}, gate.champion.evaluation.testImages)] : [h('td', { colspan: 4 }, gate.champion.error || '–')])) : h('tr', {}, h('th', { scope: 'row' }, 'champion'), h('td', { colspan: 5 }, 'none live at the time')),
        ])), h('p', { class: 'small' }, `gate: F1 ≥ ${gate.minimumF1} → `, gate.passed ? badge('passed', 'ok') : badge('failed', 'bad'), gate.reason ? ' ' + gate.reason : '')) : null,
        m.perLabel && m.perLabel.length ? h('div', {}, h('h3', {}, 'Per label'), RC.labelBars(m.perLabel)) : null,
        m.confusion ? h('div', {}, h('h3', {}, 'Confusion matrix'), RC.heatmap(m.confusion)) : null),
      ];
    },
  };

  RC.pages.trainings = {
    load: async () => (await RC.api('GET', '/console/api/trainings')).items,
    render(runs) {
      RC.trainingInFlight = runs.some((run) => !TERMINAL.includes(run.status));
      fill('trainings', runs.length ? runs.map((run) => {
        const known = new Map(run.steps.map((st) => [st.name, st]));
        const names = [...STEP_ORDER.filter((n) => run.kind === 'training' || !['check', 'snapshot', 'create-version', 'train', 'gate'].includes(n)), ...run.steps.map((st) => st.name).filter((n) => !STEP_ORDER.includes(n))];
        return h('article', { class: 'card run', 'data-run': run.id, 'data-status': run.status },
          h('div', { class: 'page-head' }, h('h2', {}, run.id), badge(run.status, statusKind(run.status))),
          h('p', { class: 'muted small' }, `${run.kind} · ${run.trigger}${run.requestedBy ? ' by ' + run.requestedBy : ''}${run.force ? ' · forced' : ''} · ${time(run.createdAt)}${run.version ? ' · version ' + run.version : ''}`),
          run.reason ? h('p', { class: 'small' }, run.reason) : null,
          h('ol', { class: 'timeline' }, names.map((n) => {
            const st = known.get(n);
            return h('li', { class: 'step ' + (st ? st.status : 'todo'), title: st && st.detail ? st.detail : '' }, h('span', { class: 'dot' }), h('span', {}, STEP_NAMES[n] || n), st && st.durationMs !== undefined ? h('span', { class: 'muted small' }, (st.durationMs / 1000).toFixed(1) + ' s') : null);
          })),
          !TERMINAL.includes(run.status) || run.status === 'deployed' ? trainingProgress(run, run.progress, 'progress-' + run.id) : null,
          run.gate ? h('p', { class: 'small' }, `F1 ${num(run.gate.challenger.evaluation.f1)} (minimum ${run.gate.minimumF1})`, run.gate.champion && run.gate.champion.evaluation ? ` · live ${run.gate.champion.version}: ${num(run.gate.champion.evaluation.f1)}` : '') : null);
      }) : h('p', { class: 'muted' }, 'No training run yet.'));
    },
  };

  RC.pages.parameters = {
    load: async () => {
      const [params, history] = await Promise.all([RC.api('GET', '/console/api/parameters'), RC.api('GET', '/console/api/parameters/history?limit=30')]);
      return { params: params.items, history: history.items };
    },
    render(data) {
      const table_ = document.getElementById('parameters-table');
      if (!table_.dataset.built) this.build(table_, data.params);
      for (const p of data.params) {
        const row = table_.querySelector(`tr[data-name="${p.name}"]`);
        row.querySelector('.inforce').textContent = String(p.value);
        row.querySelector('.problem').textContent = p.problem ? `stored ${JSON.stringify(p.stored)} is ignored: ${p.problem}` : '';
        const input = row.querySelector('input, select');
        if (!input.dataset.dirty) input.value = String(p.value);
      }
      table('history-table', ['when', 'parameter', 'old', 'new', 'who'], data.history.map((c) => h('tr', {}, h('td', { title: time(c.at) }, ago(c.at)), h('td', {}, c.name), h('td', {}, c.oldValue === null ? '–' : c.oldValue), h('td', {}, c.newValue === null ? '–' : c.newValue), h('td', { class: 'small' }, c.source))));
    },
    build(el, params) {
      el.dataset.built = 'yes';
      table(el, ['parameter', 'type · allowed', 'default', 'in force', 'new value'], params.map((p) => {
        const id = 'param-' + p.name;
        const input = p.type === 'boolean'
          ? h('select', { id, name: p.name }, h('option', { value: 'true' }, 'true'), h('option', { value: 'false' }, 'false'))
          : h('input', { id, name: p.name, type: 'text', inputmode: 'decimal', autocomplete: 'off', maxlength: 64 });
        input.addEventListener('input', () => (input.dataset.dirty = 'yes'));
        const message = h('p', { class: 'error small', role: 'alert', id: id + '-error' });
        const form = h('form', { class: 'param-form', onsubmit: async (e) => {
          e.preventDefault();
          message.textContent = '';
          try {
            const res = await RC.api('PUT', `/console/api/parameters/${p.name}`, { value: input.value });
            delete input.dataset.dirty;
            RC.toast(res.changed ? `${p.name} = ${res.parameter.stored}` : `${p.name} unchanged`, 'ok');
            RC.refresh(true);
          } catch (err) {
            message.textContent = err.message;
          }
        } }, h('label', { class: 'sr-only', for: id }, 'new value of ' + p.name), input, h('button', { type: 'submit' }, 'Save'));
        return h('tr', { 'data-name': p.name },
          h('th', { scope: 'row' }, h('div', {}, p.name), h('div', { class: 'muted small' }, p.description), h('div', { class: 'warn small problem' })),
          h('td', {}, p.type, h('div', { class: 'muted small' }, p.allowed)),
          h('td', {}, String(p.default)),
          h('td', { class: 'inforce' }),
          h('td', {}, form, message));
      }));
    },
  };

  RC.pages.detections = {
    load: async () => (await RC.api('GET', '/console/api/detections')).items,
    render(items) {
      const f = { label: document.getElementById('filter-label'), review: document.getElementById('filter-review'), below: document.getElementById('filter-below') };
      const labels = [...new Set(items.map((d) => (d.labels[0] ? d.labels[0].name : null)).filter(Boolean))].sort();
      const chosen = f.label.value;
      fill(f.label, h('option', { value: '' }, 'any'), labels.map((l) => h('option', { value: l, selected: l === chosen }, l)));
      const shown = items.filter((d) => (!chosen || (d.labels[0] && d.labels[0].name === chosen)) && (!f.review.checked || d.humanLoop) && (!f.below.checked || !d.passed));
      fill('detections-count', `${shown.length} of the latest ${items.length}`);
      fill('detections', shown.length ? shown.map((d) => {
        const top = d.labels[0];
        return h('button', { type: 'button', class: 'thumb' + (d.passed ? '' : ' below'), 'data-id': d.id, 'data-loop': d.humanLoop ? d.humanLoop.name : null, onclick: () => RC.showDetection(d.id) },
          h('img', { src: '/console/api/image?key=' + encodeURIComponent(d.imageKey), alt: d.imageKey.split('/').pop(), loading: 'lazy' }),
          h('span', { class: 'thumb-label' }, top ? `${top.name} ${conf(top.confidence)}` : d.status === 'no_model' ? 'no model' : d.status),
          d.humanLoop ? h('span', { class: 'thumb-flag' }, 'review') : null);
      }) : h('p', { class: 'muted' }, 'No detection matches.'));
      const threshold = items[0] ? items[0].threshold : RC.lastThreshold || 70;
      fill('histogram', RC.histogram(items.filter((d) => d.labels[0]).map((d) => d.labels[0].confidence), threshold));
    },
  };

  RC.showDetection = async function showDetection(id) {
    const d = await RC.api('GET', '/console/api/detections/' + encodeURIComponent(id));
    const loop = d.humanLoop;
    fill('detection-detail',
      h('h2', {}, d.imageKey.split('/').pop()),
      h('div', { class: 'detail' },
        h('img', { class: 'full', src: '/console/api/image?key=' + encodeURIComponent(d.imageKey), alt: d.imageKey }),
        h('div', {},
          table(h('table', { class: 'table compact' }), ['label', 'confidence'], d.labels.map((l) => h('tr', {}, h('td', {}, l.name), h('td', {}, conf(l.confidence))))),
          h('p', { class: 'small' }, `model ${d.modelVersion || '–'} · threshold ${d.threshold} · ${d.passed ? 'passed' : 'below threshold'} · ${time(d.detectedAt)}`),
          h('p', { id: 'human-answer' }, loop ? (loop.answer ? ['human answer: ', h('b', {}, loop.answer.label), ` (${loop.answer.answerCount} reviewer${loop.answer.answerCount > 1 ? 's' : ''})`] : `in review (${loop.status || 'pending'})`) : 'not sent to review'))));
    const dialog = document.getElementById('detection-dialog');
    if (!dialog.open) dialog.showModal();
  };

  RC.pages.reviews = {
    load: () => RC.api('GET', '/console/api/reviews'),
    render(r) {
      const loopRow = (l) => h('tr', {}, h('td', { class: 'loop small' }, l.name), h('td', {}, l.guess ? `${l.guess.label} ${conf(l.guess.confidence)}` : '–'), h('td', {}, l.answer ? l.answer.label : ''), h('td', { title: time(l.completedAt || l.createdAt) }, ago(l.completedAt || l.createdAt)));
      fill('reviews',
        card('Now', h('div', { class: 'stats' }, stat(r.pending.count + (r.pending.truncated ? '+' : ''), 'pending', 'reviews-pending'), stat(r.answeredToday.count, 'answered today', 'reviews-today'),
          stat(r.agreement.answers ? pct(r.agreement.agreed / r.agreement.answers) : '–', `agreement (${r.agreement.loops} shared loops)`))),
        card('Answered today by label', Object.keys(r.answeredToday.byLabel).length ? table(h('table', { class: 'table compact' }), ['label', 'images'], Object.entries(r.answeredToday.byLabel).map(([l, n]) => h('tr', {}, h('td', {}, l), h('td', {}, n)))) : h('p', { class: 'muted' }, 'none yet')),
        card('Reviewers today', r.reviewers.length ? table(h('table', { class: 'table compact' }), ['reviewer', 'answers', 'agreement'], r.reviewers.map((x) => h('tr', {}, h('td', {}, x.reviewer), h('td', {}, x.answers), h('td', {}, x.shared ? `${pct(x.agreed / x.shared)} of ${x.shared}` : '–')))) : h('p', { class: 'muted' }, 'none yet')),
        card('Labels waiting for images', r.waitingLabels.length ? h('ul', { class: 'plain' }, r.waitingLabels.map((l) => h('li', {}, h('b', {}, l.name), ` ${l.images} image${l.images === 1 ? '' : 's'}${l.declared ? ' · declared' : ''}`))) : h('p', { class: 'muted' }, 'none: every label trains')),
        h('div', { class: 'card span2' }, h('h2', {}, 'Oldest pending'), r.pending.oldest.length ? table(h('table', { class: 'table compact' }), ['loop', 'model guess', '', 'waiting since'], r.pending.oldest.map(loopRow)) : h('p', { class: 'muted' }, 'nothing waiting')),
        h('div', { class: 'card span2' }, h('h2', {}, 'Answered today'), r.answeredToday.recent.length ? table(h('table', { class: 'table compact' }), ['loop', 'model guess', 'answer', 'answered'], r.answeredToday.recent.map(loopRow)) : h('p', { class: 'muted' }, 'none yet')));
    },
  };

  /** A token is shown this once (only its digest is kept): in a read-only field, selected for copying. */
  function showIssued(name, issued) {
    const field = h('input', { id: 'issued-token-value', type: 'text', readonly: true, value: issued.token, 'aria-label': `new token of ${name}`, onfocus: (e) => e.target.select() });
    fill('issued-token', h('h2', {}, `Token ${issued.id} for ${name}`), h('p', { class: 'warn small' }, 'Shown only now: copy it into the client that uses it.'), field,
      h('button', { type: 'button', onclick: () => (document.getElementById('issued-token').hidden = true) }, 'Done'));
    document.getElementById('issued-token').hidden = false;
    field.focus();
  }

  RC.createAccount = async function createAccount(e) {
    e.preventDefault();
    const $ = (id) => document.getElementById(id);
    $('account-error').textContent = '';
    try {
      const { account } = await RC.api('POST', '/console/api/accounts', { name: $('account-name').value, role: $('account-role').value, password: $('account-password').value });
      $('account-name').value = '';
      $('account-password').value = '';
      RC.toast(`account ${account.name} created (${account.role})`, 'ok');
      RC.refresh(true);
    } catch (err) {
      $('account-error').textContent = err.message;
    }
  };

  RC.pages.accounts = {
    load: async () => (await RC.api('GET', '/console/api/accounts')).items,
    render(accounts) {
      const path = (a) => '/console/api/accounts/' + encodeURIComponent(a.name);
      const issue = (a) => async () => {
        try {
          showIssued(a.name, await RC.api('POST', path(a) + '/tokens', {}));
        } catch (err) {
          RC.toast(err.message, 'bad');
        }
        RC.refresh(true);
      };
      const tokens = (a) => h('ul', { class: 'plain tokens' }, a.tokens.filter((t) => !t.revokedAt).map((t) => h('li', { 'data-token': t.id },
        h('code', {}, t.id), t.label ? ` ${t.label}` : '', h('span', { class: 'muted small' }, ` ${ago(t.createdAt)}`), ' ',
        a.deletedAt ? null : h('button', { type: 'button', class: 'small', onclick: () => RC.confirmThen(`Revoke token ${t.id} of ${a.name}? Every service refuses it from then on.`, () => RC.api('DELETE', `${path(a)}/tokens/${t.id}`)) }, 'Revoke'))),
        a.tokens.some((t) => !t.revokedAt) ? null : h('li', { class: 'muted' }, 'none'));
      table('accounts-table', ['account', 'role', 'tokens', 'last events', ''], accounts.map((a) => h('tr', { 'data-account': a.name, class: a.deletedAt ? 'deleted' : '' },
        h('th', { scope: 'row' }, a.name, a.deletedAt ? [' ', badge('deleted', 'muted')] : null, h('div', { class: 'muted small' }, a.hasPassword ? 'password' : 'no password')),
        h('td', {}, badge(a.role, a.role === 'admin' ? 'bad' : a.role === 'operator' ? 'busy' : 'ok')),
        h('td', {}, tokens(a)),
        h('td', { class: 'small' }, h('ul', { class: 'plain' }, a.events.slice(-3).reverse().map((ev) => h('li', { title: time(ev.at) }, `${ago(ev.at)} · ${ev.by}: ${ev.action}`)))),
        h('td', {}, a.deletedAt ? null : h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'issue', onclick: issue(a) }, 'Issue token'),
          h('button', { type: 'button', class: 'delete', onclick: () => RC.confirmThen(`Delete ${a.name}? Its password, tokens and sessions stop working at once.`, () => RC.api('DELETE', path(a))) }, 'Delete'))))));
      if (!accounts.length) table('accounts-table', ['account'], [h('tr', {}, h('td', {}, 'No account yet: only the bootstrap tokens can sign in.'))]);
    },
  };
})(window.RC);
