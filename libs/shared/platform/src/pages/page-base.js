// What both relabel pages (the operator console, the review page) share: plain browser JavaScript,
// no framework, no build step. Each app serves this file beside its own scripts, which load after it.
'use strict';

window.RelabelPage = (function () {
  const byId = (id) => document.getElementById(id);

  /**
   * A JSON call to the page's own API. Writes carry the session's CSRF token (`csrf()`; the services
   * refuse cookie writes without it). A 401 means the session is gone: `onSignedOut()` runs and the call
   * fails with "Please sign in again", except on `signInUrl`, where a 401 is a wrong secret and keeps
   * the server's message.
   */
  function createApi({ csrf, onSignedOut, signInUrl }) {
    return async function api(method, url, body) {
      const headers = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const token = csrf();
      if (method !== 'GET' && token) headers['x-csrf-token'] = token;
      const res = await fetch(url, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const data = res.status === 204 ? null : await res.json().catch(() => null);
      if (res.status === 401 && url !== signInUrl) {
        onSignedOut();
        throw Object.assign(new Error('Please sign in again'), { status: 401 });
      }
      if (!res.ok) throw Object.assign(new Error((data && data.message) || res.statusText), { status: res.status, code: data && data.code });
      return data;
    };
  }

  /** A toast in the page's `#toast` element, shown for `shownMs`; `kind` is `ok`, `bad` or nothing. */
  function createToast(shownMs) {
    let timer = null;
    return function toast(text, kind) {
      const el = byId('toast');
      el.textContent = text;
      el.className = 'toast ' + (kind || '');
      el.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(() => (el.hidden = true), shownMs);
    };
  }

  /**
   * The sign-in form (`#login-form`): a name and password, or with no name a token in the password
   * field. `signIn(credentials)` answers the session, which is handed to `show` once the password
   * field is cleared; a failure is shown in `#login-error`.
   */
  function onSignIn(signIn, show) {
    byId('login-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      byId('login-error').textContent = '';
      try {
        const name = byId('login-name').value.trim();
        const secret = byId('login-password').value;
        const session = await signIn(name ? { name, password: secret } : { token: secret });
        byId('login-password').value = '';
        await show(session);
      } catch (err) {
        byId('login-error').textContent = err.message;
      }
    });
  }

  return { byId, createApi, createToast, onSignIn };
})();
