// The console shell: login (an operator or admin account, or the admin token), the CSRF token, the hash router and the poll that keeps the shown page
// current (every 3 s; every second while a training is in flight, so its progress bar moves; and at
// once after an action).
'use strict';

(function (RC) {
  const $ = RelabelPage.byId;
  const POLL_MS = 3000;
  const LIVE_POLL_MS = 1000;
  const state = { csrf: null, role: null, page: null, timer: null, lastJson: {}, loading: false };
  // pages and links marked data-role="admin" are for admins only (the API refuses operators anyway)
  const allowed = (el) => !el.dataset.role || state.role === 'admin';

  RC.api = RelabelPage.createApi({ csrf: () => state.csrf, onSignedOut: () => showLogin(), signInUrl: '/console/api/session' });
  RC.toast = RelabelPage.createToast(3500);

  /** A confirmation dialog (keyboard: Enter confirms, Esc cancels), then the action; errors are shown. */
  RC.confirmThen = function confirmThen(text, action) {
    const dialog = $('confirm');
    $('confirm-text').textContent = text;
    dialog.returnValue = '';
    dialog.onclose = async () => {
      if (dialog.returnValue !== 'ok') return;
      try {
        await action();
      } catch (err) {
        RC.toast(err.message, 'bad');
      }
      RC.refresh(true);
    };
    dialog.showModal();
    $('confirm-ok').focus();
  };

  function showProblems(unavailable) {
    const el = $('problems');
    el.hidden = !unavailable || !unavailable.length;
    if (!el.hidden) RC.fill(el, 'Some data is unavailable: ', unavailable.map((u) => `${u.section} (${u.message})`).join('; '));
  }

  /** Loads the shown page and redraws it when its data changed; `force` redraws anyway. */
  RC.refresh = async function refresh(force) {
    const name = state.page;
    const page = RC.pages[name];
    if (!page || !state.csrf) return;
    try {
      const data = await page.load();
      const json = JSON.stringify(data);
      if (force || json !== state.lastJson[name]) {
        state.lastJson[name] = json;
        if (name === state.page) showProblems(page.render(data) || []);
        RC.sizeBars(document.getElementById('page-' + name));
      }
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      $('updated').dataset.at = String(Date.now());
    } catch (err) {
      if (err.status !== 401) showProblems([{ section: name, message: err.message }]);
    }
  };

  function route() {
    const name = (location.hash || '#overview').slice(1);
    const link = document.querySelector(`#nav a[data-page="${name}"]`);
    state.page = RC.pages[name] && link && allowed(link) ? name : 'overview';
    for (const section of document.querySelectorAll('.page')) section.hidden = section.dataset.page !== state.page;
    for (const a of document.querySelectorAll('#nav a')) a.setAttribute('aria-current', a.dataset.page === state.page ? 'page' : 'false');
    document.title = `relabel · ${state.page}`;
    RC.refresh(true);
  }

  function showLogin() {
    clearTimeout(state.timer);
    state.csrf = null;
    state.role = null;
    state.lastJson = {};
    $('app').hidden = true;
    $('login').hidden = false;
    $('login-name').focus();
  }

  /** `session`: what POST/GET /console/api/session answer ({ name, role, csrfToken }). */
  function showApp(session) {
    state.csrf = session.csrfToken;
    state.role = session.role;
    RC.fill('whoami', session.name, ' ', RC.badge(session.role, 'muted'));
    for (const el of document.querySelectorAll('[data-role]')) if (el.matches('#nav a')) el.hidden = !allowed(el);
    $('login').hidden = true;
    $('app').hidden = false;
    clearTimeout(state.timer);
    const tick = async () => {
      await RC.refresh(false);
      if (state.csrf) state.timer = setTimeout(tick, RC.trainingInFlight ? LIVE_POLL_MS : POLL_MS);
    };
    state.timer = setTimeout(tick, POLL_MS);
    route();
  }

  async function startTraining(force) {
    try {
      const { id } = await RC.api('POST', '/console/api/trainings', { force });
      RC.toast(`training run ${id} requested`, 'ok');
    } catch (err) {
      RC.toast(err.message, 'bad');
    }
    RC.refresh(true);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    RelabelPage.onSignIn((credentials) => RC.api('POST', '/console/api/session', credentials), showApp);
    $('logout').addEventListener('click', async () => {
      await RC.api('DELETE', '/console/api/session').catch(() => null);
      showLogin();
    });
    $('account-form').addEventListener('submit', RC.createAccount);
    $('train-now').addEventListener('click', () => startTraining(false));
    $('train-force').addEventListener('click', () => RC.confirmThen('Force a training now, even with fewer new images than Minimum-Untrained-Images?', async () => startTraining(true)));
    for (const id of ['filter-label', 'filter-review', 'filter-below']) $(id).addEventListener('change', () => RC.refresh(true));
    window.addEventListener('hashchange', route);
    try {
      showApp(await RC.api('GET', '/console/api/session'));
    } catch {
      showLogin();
    }
  });
})(window.RC);
