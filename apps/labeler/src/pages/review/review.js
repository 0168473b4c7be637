// The review page: plain browser JavaScript, no framework, no build step. It leases one task at a
// time from the labeler (POST /api/review/next), shows it large, and sends the chosen category.
'use strict';

(function () {
  const $ = RelabelPage.byId;
  const NONE = 'None of the Above';
  const POLL_MS = 1500;
  const state = { reviewer: null, csrf: null, task: null, categories: [], visible: [], selected: -1, busy: false, hint: localStorage.getItem('relabel.hint') !== 'off', pollTimer: null };

  const api = RelabelPage.createApi({ csrf: () => state.csrf, onSignedOut: () => showLogin() });
  const toast = RelabelPage.createToast(1800);

  function showLogin() {
    clearTimeout(state.pollTimer);
    $('app').hidden = true;
    $('login').hidden = false;
    $((localStorage.getItem('relabel.reviewer') && 'login-password') || 'login-name').focus();
  }

  async function showApp(session) {
    const reviewer = session.name;
    state.reviewer = reviewer;
    state.csrf = session.csrfToken;
    localStorage.setItem('relabel.reviewer', reviewer);
    $('who-name').textContent = reviewer;
    $('login').hidden = true;
    $('app').hidden = false;
    applyHint();
    await loadCategories();
    await loadNext();
  }

  async function loadCategories() {
    const data = await api('GET', '/api/labels');
    state.categories = data.labels.map((l) => ({ name: l.name, images: l.images, waiting: l.waiting, declared: l.declared })).concat([{ name: data.noneOfTheAbove || NONE, none: true }]);
    renderCategories();
  }

  function renderCategories() {
    const filter = $('filter').value.trim().toLowerCase();
    const selectedName = state.visible[state.selected] && state.visible[state.selected].name;
    state.visible = state.categories.filter((c) => !filter || c.name.toLowerCase().includes(filter));
    state.selected = state.visible.findIndex((c) => c.name === selectedName);
    const list = $('categories');
    list.textContent = '';
    let digit = 1;
    state.visible.forEach((c, i) => {
      const li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === state.selected));
      li.dataset.index = String(i);
      if (c.none) li.classList.add('none');
      if (state.task && state.task.guess && state.task.guess.label === c.name) li.classList.add('guess');
      const key = document.createElement('kbd');
      key.textContent = c.none ? '0' : digit <= 9 ? String(digit++) : '·';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = c.name;
      li.append(key, name);
      if (!c.none) {
        const count = document.createElement('span');
        count.className = 'count';
        count.textContent = String(c.images);
        count.title = c.images + ' training images';
        li.append(count);
      }
      if (c.waiting) {
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = 'new';
        tag.title = 'too few images to train yet';
        li.append(tag);
      }
      li.addEventListener('click', () => select(i));
      li.addEventListener('dblclick', () => { select(i); submit(); });
      list.append(li);
    });
    updateButtons();
  }

  function select(index) {
    if (index < 0 || index >= state.visible.length) return;
    state.selected = index;
    Array.from($('categories').children).forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    const li = $('categories').children[index];
    if (li && li.scrollIntoView) li.scrollIntoView({ block: 'nearest' });
    updateButtons();
  }

  function updateButtons() {
    $('submit').disabled = state.busy || !state.task || state.selected < 0;
    $('skip').disabled = state.busy || !state.task;
  }

  function setProgress(p) {
    $('pending-count').textContent = p.pending;
    $('done-count').textContent = p.doneToday;
    $('mine-count').textContent = p.doneTodayByReviewer;
  }

  function applyHint() {
    const t = state.task;
    $('hint-toggle').setAttribute('aria-pressed', String(state.hint));
    document.body.classList.toggle('hint-off', !state.hint);
    $('hint').hidden = !(state.hint && t && t.guess);
    if (t && t.guess) {
      $('hint-label').textContent = t.guess.label;
      $('hint-confidence').textContent = t.guess.confidence.toFixed(1) + '%';
    }
  }

  function showTask(task) {
    state.task = task;
    state.selected = -1;
    const img = $('task-image');
    $('empty').hidden = !!task;
    img.hidden = !task;
    const meta = $('task-meta');
    if (task) {
      if (img.dataset.name !== task.name) {
        img.dataset.name = task.name;
        img.src = task.imageUrl;
      }
      const notes = [];
      if (task.answersRequired > 1) notes.push(task.answers.length + ' of ' + task.answersRequired + ' answers');
      if (task.skippedBefore) notes.push('skipped before');
      meta.textContent = notes.join(' · ');
      meta.hidden = notes.length === 0;
    } else {
      img.removeAttribute('src');
      img.dataset.name = '';
      meta.hidden = true;
    }
    applyHint();
    renderCategories();
  }

  async function loadNext() {
    clearTimeout(state.pollTimer);
    try {
      const data = await api('POST', '/api/review/next');
      setProgress(data.progress);
      showTask(data.task);
    } catch (err) {
      if (err.status === 401) return;
      toast(err.message, 'bad');
    }
    if (!state.task && !$('app').hidden) state.pollTimer = setTimeout(loadNext, POLL_MS);
  }

  async function act(fn) {
    if (state.busy || !state.task) return;
    state.busy = true;
    updateButtons();
    try {
      await fn(state.task);
    } catch (err) {
      if (err.status !== 401) toast(err.message, 'bad');
      if (err.code === 'REVIEW_LOOP_CLOSED' || err.code === 'REVIEW_LOOP_NOT_FOUND') state.task = null;
      if (err.code === 'REVIEW_INVALID_LABEL') await loadCategories().catch(() => undefined);
    } finally {
      state.busy = false;
      $('filter').value = '';
    }
    await loadNext();
  }

  function submit() {
    const choice = state.visible[state.selected];
    if (!choice) return;
    return act(async (task) => {
      const data = await api('POST', '/api/human-loops/' + encodeURIComponent(task.name) + '/answers', { label: choice.name });
      setProgress(data.progress);
      toast(data.outcome === 'completed' ? 'Saved · ' + choice.name : data.outcome === 'tied' ? 'Saved · answers tied, one more reviewer asked' : 'Saved · waiting for more answers', 'ok');
    });
  }

  function skip() {
    return act(async (task) => {
      await api('POST', '/api/review/' + encodeURIComponent(task.name) + '/skip');
      toast('Skipped');
    });
  }

  function digitIndex(key) {
    if (key === '0') return state.visible.findIndex((c) => c.none);
    const n = Number(key);
    let seen = 0;
    return state.visible.findIndex((c) => !c.none && ++seen === n);
  }

  document.addEventListener('keydown', (e) => {
    if ($('app').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
    const inFilter = document.activeElement === $('filter');
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      select(Math.max(0, Math.min(state.visible.length - 1, state.selected + step)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (state.selected < 0 && inFilter && state.visible.length) select(0);
      submit();
    } else if (e.key === 'Escape') {
      $('filter').value = '';
      $('filter').blur();
      renderCategories();
    } else if (inFilter) {
      return;
    } else if (/^[0-9]$/.test(e.key)) {
      e.preventDefault();
      select(digitIndex(e.key));
    } else if (e.key === 's' || e.key === 'S') {
      e.preventDefault();
      skip();
    } else if (e.key === 'h' || e.key === 'H') {
      toggleHint();
    } else if (e.key === '/') {
      e.preventDefault();
      $('filter').focus();
    }
  });

  function toggleHint() {
    state.hint = !state.hint;
    localStorage.setItem('relabel.hint', state.hint ? 'on' : 'off');
    applyHint();
  }

  $('filter').addEventListener('input', () => {
    renderCategories();
    if (state.visible.length && state.selected < 0 && $('filter').value) select(0);
  });
  $('submit').addEventListener('click', submit);
  $('skip').addEventListener('click', skip);
  $('hint-toggle').addEventListener('click', toggleHint);
  $('task-image').addEventListener('error', () => state.task && toast('The image cannot be shown; skip it with S', 'bad'));
  $('logout').addEventListener('click', async () => {
    await api('DELETE', '/auth/session').catch(() => undefined);
    state.csrf = null;
    showLogin();
  });

  // with no name, the secret is a token (an account's API token, or the bootstrap reviewer token)
  RelabelPage.onSignIn(async (credentials) => {
    const res = await fetch('/auth/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.message || 'Sign-in failed');
    return data;
  }, showApp);

  // Closing the page gives the leased task back at once instead of holding it until the lease expires.
  window.addEventListener('pagehide', () => {
    // keepalive fetch, not sendBeacon: a beacon cannot carry the CSRF header
    if (state.task && !state.busy) {
      fetch('/api/review/' + encodeURIComponent(state.task.name) + '/release', { method: 'POST', credentials: 'same-origin', keepalive: true, headers: { 'x-csrf-token': state.csrf || '' } }).catch(() => undefined);
    }
  });

  $('login-name').value = localStorage.getItem('relabel.reviewer') || '';
  fetch('/auth/session', { credentials: 'same-origin' })
    .then((res) => (res.ok ? res.json() : null))
    .then((data) => (data && data.csrfToken ? showApp(data) : showLogin()))
    .catch(showLogin);
  setInterval(() => {
    if (!$('app').hidden && state.task) api('GET', '/api/review/progress').then(setProgress).catch(() => undefined);
  }, 10000);
})();
