// The Coordinate dashboard: everything here is drawn from the daemon's JSON API (/api/v1), read
// again every REFRESH_MS. Only bounded reads are made (a spec's summary, one page of failed units,
// one page of workers), never a listing of a whole spec. A spec's counts may still cost the store
// a scan of its units, so a slow refresh spaces the next ones out (see nextDelay).
// Data goes into the page only as text (textContent, attributes), never as markup.
'use strict';

(() => {
  const REFRESH_MS = 2000;
  /** The page waits this many times as long as its last refresh took, if that is longer. */
  const BACKOFF_FACTOR = 2;
  /** Give up on a request after this long, and say the daemon does not answer. */
  const REQUEST_TIMEOUT_MS = 10000;
  /** The finishing rate is measured over this much recent history. */
  const RATE_WINDOW_MS = 30000;
  const FAILURES_PAGE = 20;
  /** One page of workers, the API's largest. */
  const WORKERS_PAGE = 1000;
  /** Requests in flight at once: what a browser opens to one HTTP/1.1 server. */
  const PARALLEL = 6;
  /** How long the (usually empty) work of an inactive worker is not read again. */
  const INACTIVE_REREAD_MS = 10000;
  /** Traceback shown unfolded when it has at most this many lines. */
  const SHORT_TRACEBACK_LINES = 12;
  const TOKEN_KEY = 'coordinate.adminToken';
  const STATUSES = ['available', 'pending', 'finished', 'failed', 'delayed'];
  /** Stacking order of the progress bar: what is done first. */
  const BAR_ORDER = ['finished', 'failed', 'pending', 'delayed', 'available'];

  const $ = (id) => document.getElementById(id);
  const apiBase = new URL('../api/v1/', location.href);

  // ---------------------------------------------------------------- names and keys in URLs

  const utf8 = new TextEncoder();

  /** Percent-encodes the UTF-8 bytes of text but the RFC 3986 unreserved A-Za-z0-9-._~. */
  function percentEncode(text) {
    let out = '';
    for (const b of utf8.encode(text)) {
      const c = String.fromCharCode(b);
      out += /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
    return out;
  }

  /** A name as one path segment: "" is ~, a name starting with ~ gets one more. */
  function nameSegment(name) {
    return percentEncode(name === '' || name.startsWith('~') ? '~' + name : name);
  }

  /** A key (base64url without padding, as the API gives it) as a path segment: "" is ~. */
  function keySegment(key) {
    return key === '' ? '~' : key;
  }

  function query(params) {
    const parts = [];
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null) {
        parts.push(percentEncode(name) + '=' + percentEncode(String(value)));
      }
    }
    return parts.length ? '?' + parts.join('&') : '';
  }

  const nsPath = (ns) => 'namespaces/' + nameSegment(ns);
  const specPath = (ns, spec) => nsPath(ns) + '/work-specs/' + nameSegment(spec);
  const workerPath = (ns, worker) => nsPath(ns) + '/workers/' + nameSegment(worker);

  // ---------------------------------------------------------------- requests

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status; // 0: no answer
      this.code = code;
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  /** One API call; resolves to the parsed JSON, rejects with an ApiError. */
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
    const init = { method, headers, cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    requestsMade++;
    try {
      response = await fetch(new URL(path, apiBase), init);
    } catch (e) {
      const why = e && e.name === 'TimeoutError'
        ? 'did not answer within ' + REQUEST_TIMEOUT_MS / 1000 + ' s'
        : 'cannot be reached';
      throw new ApiError(0, 'unreachable', 'the daemon at ' + location.host + ' ' + why);
    }
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      // Not JSON (a proxy's error page, say): described by the status alone.
    }
    if (!response.ok) {
      throw new ApiError(response.status, (json && json.code) || 'http_' + response.status,
        (json && json.message) || response.statusText || 'HTTP ' + response.status);
    }
    return json;
  }

  /** fn over items with at most PARALLEL calls at once; results in order. */
  async function inParallel(items, fn) {
    const results = new Array(items.length);
    let next = 0;
    const lanes = Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    });
    await Promise.all(lanes);
    return results;
  }

  /** fn's answer, or null when what it reads was deleted meanwhile (404). */
  async function unlessGone(fn) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        return null;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- small DOM helpers

  /** An element with attributes and text or children; every value is set as text. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === 'class') {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  const number = new Intl.NumberFormat('en-US');
  const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

  /** A key for people: its text when UTF-8, else its base64url marked as bytes. */
  function keyLabel(unit) {
    if (unit.key_text !== null && unit.key_text !== undefined) {
      return unit.key_text === '' ? '(empty key)' : unit.key_text;
    }
    return 'bytes ' + unit.key;
  }

  function ago(iso) {
    if (!iso) {
      return '';
    }
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (s < 0) {
      return 'in ' + duration(-s);
    }
    return duration(s) + ' ago';
  }

  function duration(seconds) {
    if (!isFinite(seconds)) {
      return '—';
    }
    const s = Math.round(seconds);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }

  // ---------------------------------------------------------------- messages

  function setBanner(text) {
    const banner = $('banner');
    banner.hidden = !text;
    banner.textContent = text || '';
    document.body.dataset.state = text ? 'error' : 'ok';
  }

  function showMessage(kind, text) {
    $('message').hidden = false;
    $('message').dataset.kind = kind;
    $('message-text').textContent = text;
  }

  /** What a failed read means for the whole page. */
  function describeReadError(e) {
    if (!(e instanceof ApiError)) {
      return 'The dashboard failed: ' + e.message;
    }
    switch (e.status) {
      case 0:
        return 'Cannot reach the daemon: ' + e.message + '. Retrying every '
          + REFRESH_MS / 1000 + ' s.';
      case 401:
        return 'This daemon needs the admin token even for reads (it listens on a non-loopback'
          + ' address): enter it above.';
      case 503:
        return 'The daemon cannot reach its store (503 ' + e.code + '). Retrying every '
          + REFRESH_MS / 1000 + ' s.';
      default:
        return 'The daemon answered ' + e.status + ' ' + e.code + ': ' + e.message;
    }
  }

  /** Why a change was refused, in words that say what to do. */
  function describeChangeError(what, e) {
    if (!(e instanceof ApiError)) {
      return what + ' failed: ' + e.message;
    }
    switch (e.status) {
      case 0:
        return what + ' failed: ' + e.message + '.';
      case 401:
        return token()
          ? what + ' was refused (401): the admin token is wrong. Enter the daemon\'s token above.'
          : what + ' was refused (401): changes need the admin token. Enter it above.';
      case 503:
        return what + ' failed (503): the daemon cannot reach its store. Try again shortly.';
      default:
        return what + ' failed (' + e.status + ' ' + e.code + '): ' + e.message;
    }
  }

  /** Runs one change; says how it went, then refreshes at once. */
  async function change(what, button, call) {
    if (button) {
      button.disabled = true;
    }
    try {
      const result = await call();
      showMessage('ok', what + ': done.');
      return result;
    } catch (e) {
      showMessage('error', describeChangeError(what, e));
      return undefined;
    } finally {
      if (button) {
        button.disabled = false;
      }
      refreshNow();
    }
  }

  // ---------------------------------------------------------------- state

  const state = {
    namespace: namespaceFromHash(),
    /** spec name -> [{t, finished}], oldest first, for the rate. */
    finishedHistory: new Map(),
    /** spec name -> row elements. */
    rows: new Map(),
    /** spec name -> the `after` cursor of its failures page ('' is the first page). */
    failuresAfter: new Map(),
    /** spec \0 key -> the unit in full, for the tracebacks of units still failed. */
    failedUnits: new Map(),
    /** spec \0 key of tracebacks the user folded or unfolded, and how. */
    tracebackOpen: new Map(),
    /** name -> {at, attempts}: the last read work of inactive root workers. */
    idleAttempts: new Map(),
    namespaceOptions: '',
    workersSignature: '',
    failuresSignature: '',
    refreshes: 0,
    countsShown: false,
  };

  function namespaceFromHash() {
    const match = /^#ns=(.*)$/.exec(location.hash);
    if (!match) {
      return '';
    }
    try {
      return decodeURIComponent(match[1]);
    } catch (e) {
      return '';
    }
  }

  // ---------------------------------------------------------------- the refresh loop

  /** Every API request so far; the page shows how many one refresh takes. */
  let requestsMade = 0;
  let refreshing = false;
  let refreshAgain = false;
  let timer = null;

  /** Refreshes now, or right after the refresh in flight: never two at once. */
  function refreshNow() {
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    clearTimeout(timer);
    refreshing = true;
    const ns = state.namespace;
    const started = performance.now();
    const requestsBefore = requestsMade;
    let delay = REFRESH_MS;
    refreshOnce(ns)
      .then(() => {
        setBanner(null);
        state.refreshes++;
        if (state.refreshes === 1) {
          performance.mark('coordinate:first-refresh');
        }
        // What one refresh costs, for whoever watches the page's load on the daemon.
        const updated = $('updated');
        updated.textContent = 'updated ' + new Date().toLocaleTimeString();
        updated.dataset.refreshes = String(state.refreshes);
        updated.dataset.durationMs = String(Math.round(performance.now() - started));
        updated.dataset.requests = String(requestsMade - requestsBefore);
        delay = nextDelay(performance.now() - started);
        updated.title = 'the last refresh took ' + updated.dataset.durationMs + ' ms and '
          + updated.dataset.requests + ' requests; the next in ' + Math.round(delay) + ' ms';
      })
      .catch((e) => setBanner(describeReadError(e)))
      .finally(() => {
        refreshing = false;
        if (refreshAgain || ns !== state.namespace) {
          refreshAgain = false;
          refreshNow();
        } else {
          timer = setTimeout(refreshNow, delay);
        }
      });
  }

  /**
   * How long to wait after a refresh that took this long: REFRESH_MS, or longer when refreshes are
   * slow (a store counting millions of units), so that an open page keeps the daemon busy at most
   * a third of the time.
   */
  function nextDelay(tookMs) {
    return Math.max(REFRESH_MS, BACKOFF_FACTOR * tookMs);
  }

  async function refreshOnce(ns) {
    // Both in one round trip; the second is 404 when the namespace does not exist.
    const [namespaces, specList] = await Promise.all([
      api('GET', 'namespaces'),
      unlessGone(() => api('GET', nsPath(ns) + '/work-specs')),
    ]);
    if (ns !== state.namespace) {
      return; // the user chose another meanwhile
    }
    renderNamespaces(namespaces.namespaces);
    if (specList === null) {
      renderSpecs(ns, []);
      renderWorkers(ns, [], new Map(), false);
      renderFailures(ns, []);
      showEmpty('specs-empty', 'The namespace ' + describeNamespace(ns) + ' does not exist yet.');
      return;
    }
    const specsAndFailures = (async () => {
      // One read per spec gives its meta and its counts together.
      const specs = (await inParallel(specList.work_specs,
        (name) => unlessGone(() => api('GET', specPath(ns, name)))))
        .filter((spec) => spec !== null);
      if (ns !== state.namespace) {
        return;
      }
      renderSpecs(ns, specs);
      showEmpty('specs-empty', specs.length ? '' : 'No work specs in ' + describeNamespace(ns) + '.');
      await refreshFailures(ns, specs);
    })();
    await Promise.all([specsAndFailures, refreshWorkers(ns)]);
  }

  function describeNamespace(ns) {
    return ns === '' ? 'the default namespace' : '"' + ns + '"';
  }

  function showEmpty(id, text) {
    $(id).hidden = !text;
    $(id).textContent = text;
  }

  // ---------------------------------------------------------------- namespaces

  function renderNamespaces(namespaces) {
    const select = $('namespace');
    const names = namespaces.includes(state.namespace)
      ? namespaces : [state.namespace, ...namespaces].sort();
    const wanted = JSON.stringify(names);
    if (state.namespaceOptions !== wanted) {
      select.replaceChildren(...names.map((name) => el('option', { value: name },
        name === '' ? '(default)' : name)));
      state.namespaceOptions = wanted;
    }
    select.value = state.namespace;
  }

  // ---------------------------------------------------------------- work specs

  function renderSpecs(ns, specs) {
    const now = performance.now();
    const seen = new Set();
    const tbody = $('specs').tBodies[0];
    for (const spec of specs) {
      seen.add(spec.name);
      let row = state.rows.get(spec.name);
      if (!row) {
        row = specRow(ns, spec.name);
        state.rows.set(spec.name, row);
      }
      updateSpecRow(row, spec, now);
      // In the API's (sorted) order; a row is moved only when out of place, which would blur an
      // input being edited.
      if (tbody.children[seen.size - 1] !== row.tr) {
        tbody.insertBefore(row.tr, tbody.children[seen.size - 1] || null);
      }
    }
    for (const [name, row] of state.rows) {
      if (!seen.has(name)) {
        row.tr.remove();
        state.rows.delete(name);
        state.finishedHistory.delete(name);
      }
    }
    if (specs.length && !state.countsShown) {
      state.countsShown = true;
      // The benchmark reads this: time from navigation until the first counts are on screen.
      performance.mark('coordinate:counts-rendered');
    }
  }

  function specRow(ns, name) {
    const row = { ns, name, counts: {} };
    row.tr = el('tr', { 'data-spec': name });
    row.tr.append(el('td', { class: 'name' }, name));
    row.state = el('span', { class: 'state', 'data-field': 'state' });
    row.tr.append(el('td', {}, row.state));
    for (const status of STATUSES) {
      row.counts[status] = el('td', { class: 'num', 'data-count': status });
      row.tr.append(row.counts[status]);
    }
    row.bar = el('div', { class: 'bar', role: 'img' });
    row.segments = {};
    for (const status of BAR_ORDER) {
      row.segments[status] = el('span', { class: 'seg ' + status });
      row.bar.append(row.segments[status]);
    }
    row.done = el('span', { class: 'done', 'data-field': 'done' });
    row.tr.append(el('td', { class: 'progress' }, row.bar, row.done));
    row.rate = el('span', { 'data-field': 'rate' });
    row.eta = el('span', { class: 'muted eta', 'data-field': 'eta' });
    row.tr.append(el('td', { class: 'num' }, row.rate, row.eta));

    row.priority = el('input', { type: 'number', step: '1', 'data-input': 'priority',
      'aria-label': 'priority of ' + name, title: 'priority: higher is scheduled first' });
    row.weight = el('input', { type: 'number', step: '1', min: '0', 'data-input': 'weight',
      'aria-label': 'weight of ' + name, title: 'weight: share of work among specs of one priority' });
    for (const input of [row.priority, row.weight]) {
      // An edited field is left alone by refreshes until it is saved or Escape reverts it.
      input.addEventListener('input', () => { input.dataset.dirty = 'true'; });
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') {
          saveMeta(row, row.save);
        } else if (event.key === 'Escape') {
          delete input.dataset.dirty;
          refreshNow();
        }
      });
    }
    row.save = el('button', { type: 'button', 'data-action': 'save-meta' }, 'Save');
    row.save.addEventListener('click', () => saveMeta(row, row.save));
    row.tr.append(el('td', { class: 'meta' }, row.priority, row.weight, row.save));

    row.pause = el('button', { type: 'button', 'data-action': 'pause' });
    row.pause.addEventListener('click', () => {
      const pausing = row.pause.dataset.action === 'pause';
      change((pausing ? 'Pausing ' : 'Resuming ') + name, row.pause,
        () => api('PATCH', specPath(ns, name) + '/meta', { paused: pausing }))
        .then((meta) => meta && showState(row, meta.paused));
    });
    row.retryAll = el('button', { type: 'button', 'data-action': 'retry-all' }, 'Retry failed');
    row.retryAll.addEventListener('click', () => {
      const failed = row.counts.failed.dataset.value;
      if (confirm('Make all ' + failed + ' failed units of ' + name + ' available again?')) {
        change('Retrying the failed units of ' + name, row.retryAll,
          () => api('POST', specPath(ns, name) + '/work-units/retry', {}))
          .then((r) => r && showMessage('ok', 'Retried ' + number.format(r.retried)
            + ' failed units of ' + name + '.'));
      }
    });
    row.tr.append(el('td', { class: 'actions' }, row.pause, row.retryAll));
    return row;
  }

  function updateSpecRow(row, spec, now) {
    showState(row, spec.meta.paused);
    const counts = spec.counts;
    let total = 0;
    for (const status of STATUSES) {
      const n = counts[status] || 0;
      total += n;
      row.counts[status].textContent = number.format(n);
      row.counts[status].dataset.value = String(n);
    }
    const done = (counts.finished || 0) + (counts.failed || 0);
    for (const status of BAR_ORDER) {
      row.segments[status].style.width = total ? (100 * (counts[status] || 0) / total) + '%' : '0';
    }
    const percent = total ? Math.floor((1000 * done) / total) / 10 : 0;
    row.done.textContent = total ? decimal.format(percent) + '% done' : 'empty';
    row.bar.setAttribute('aria-label', number.format(done) + ' of ' + number.format(total) + ' done');
    row.bar.title = BAR_ORDER.map((s) => s + ' ' + number.format(counts[s] || 0)).join(', ');

    const rate = finishingRate(row.name, counts.finished || 0, now);
    row.rate.textContent = rate === null ? '—' : decimal.format(rate) + '/s';
    row.rate.dataset.value = rate === null ? '' : String(rate);
    const left = (counts.available || 0) + (counts.pending || 0);
    row.eta.textContent = rate && left ? 'about ' + duration(left / rate) + ' left' : '';

    for (const [input, value] of [[row.priority, spec.meta.priority], [row.weight, spec.meta.weight]]) {
      if (!input.dataset.dirty && document.activeElement !== input) {
        input.value = String(value);
      }
    }
    row.retryAll.hidden = !counts.failed;
  }

  function showState(row, paused) {
    row.state.textContent = paused ? 'paused' : 'running';
    row.state.dataset.paused = String(paused);
    row.pause.dataset.action = paused ? 'resume' : 'pause';
    row.pause.textContent = paused ? 'Resume' : 'Pause';
  }

  /**
   * Units finished per second over the recent history of this spec's finished count (null until
   * there are two readings). A count that went down (units deleted or retried) starts it over.
   */
  function finishingRate(name, finished, now) {
    let history = state.finishedHistory.get(name) || [];
    if (history.length && finished < history[history.length - 1].finished) {
      history = [];
    }
    history.push({ t: now, finished });
    while (history.length > 2 && history[1].t < now - RATE_WINDOW_MS) {
      history.shift();
    }
    state.finishedHistory.set(name, history);
    const first = history[0];
    const seconds = (now - first.t) / 1000;
    return seconds > 0.5 ? (finished - first.finished) / seconds : null;
  }

  function saveMeta(row, button) {
    const priority = Number(row.priority.value);
    const weight = Number(row.weight.value);
    if (row.priority.value.trim() === '' || !Number.isInteger(priority)
      || row.weight.value.trim() === '' || !Number.isInteger(weight)) {
      showMessage('error', 'Priority and weight of ' + row.name + ' must be whole numbers.');
      return;
    }
    change('Setting the priority and weight of ' + row.name, button,
      () => api('PATCH', specPath(row.ns, row.name) + '/meta', { priority, weight }))
      .then((meta) => {
        if (meta) {
          delete row.priority.dataset.dirty;
          delete row.weight.dataset.dirty;
          row.priority.value = String(meta.priority);
          row.weight.value = String(meta.weight);
        }
      });
  }

  // ---------------------------------------------------------------- workers

  async function refreshWorkers(ns) {
    const page = await unlessGone(() => api('GET', nsPath(ns) + '/workers' + query({ limit: WORKERS_PAGE })));
    const workers = page ? page.workers : [];
    const byName = new Map(workers.map((w) => [w.name, w]));
    const parents = new Set(workers.filter((w) => w.parent !== null).map((w) => w.parent));
    // Each root's own pending attempts, and each parent's children's in one read: together every
    // worker's, in as many reads as the tree has roots and parents. An inactive root rarely holds
    // work, so its answer is reused for a while: old workers pile up in a namespace.
    const now = Date.now();
    const reads = [];
    for (const w of workers) {
      if (w.parent === null || !byName.has(w.parent)) {
        const cached = state.idleAttempts.get(w.name);
        if (w.active || !cached || now - cached.at > INACTIVE_REREAD_MS) {
          reads.push([w, 'active-attempts']);
        }
      }
      if (parents.has(w.name)) {
        reads.push([w, 'child-attempts']);
      }
    }
    const answers = await inParallel(reads, ([w, what]) =>
      unlessGone(() => api('GET', workerPath(ns, w.name) + '/' + what)));
    const found = [];
    reads.forEach(([w, what], i) => {
      const list = answers[i] ? answers[i].attempts : [];
      if (what === 'active-attempts' && !w.active) {
        state.idleAttempts.set(w.name, { at: now, attempts: list });
      }
      found.push(...list);
    });
    const read = new Set(reads.map(([w]) => w.name));
    for (const [name, cached] of state.idleAttempts) {
      const w = byName.get(name);
      if (!w || w.active) {
        state.idleAttempts.delete(name);
      } else if (!read.has(name)) {
        found.push(...cached.attempts);
      }
    }
    const attempts = new Map();
    for (const attempt of found) {
      if (!attempts.has(attempt.worker)) {
        attempts.set(attempt.worker, []);
      }
      attempts.get(attempt.worker).push(attempt);
    }
    if (ns === state.namespace) {
      renderWorkers(ns, workers, attempts, page !== null && page.next_after !== null);
    }
  }

  function renderWorkers(ns, workers, attempts, more) {
    const hideInactive = $('hide-inactive').checked;
    const signature = JSON.stringify([ns, hideInactive, workers.map((w) => [w.name, w.parent,
      w.active, w.mode]), [...attempts].map(([w, list]) => [w, list.map((a) => [a.work_spec, a.key])])]);
    const active = workers.filter((w) => w.active).length;
    $('workers-summary').textContent = workers.length
      ? '(' + number.format(workers.length) + (more ? '+' : '') + ', ' + number.format(active)
        + ' active' + (more ? '; the first ' + number.format(workers.length) + ' shown' : '') + ')'
      : '';
    if (signature === state.workersSignature) {
      // Only the relative times move.
      for (const span of $('workers').querySelectorAll('[data-updated]')) {
        span.textContent = 'seen ' + ago(span.dataset.updated);
      }
      return;
    }
    state.workersSignature = signature;

    const children = new Map();
    const byName = new Map(workers.map((w) => [w.name, w]));
    for (const w of workers) {
      const parent = w.parent !== null && byName.has(w.parent) ? w.parent : null;
      if (!children.has(parent)) {
        children.set(parent, []);
      }
      children.get(parent).push(w);
    }
    const visible = (w) => !hideInactive || w.active || attempts.has(w.name)
      || (children.get(w.name) || []).some(visible);
    const placed = new Set();
    const branch = (w) => {
      placed.add(w.name);
      const item = el('li', { 'data-worker': w.name, class: w.active ? 'active' : 'inactive' },
        el('span', { class: 'worker-name' }, w.name),
        el('span', { class: 'badge', 'data-field': 'active' }, w.active ? 'active' : 'inactive'),
        w.mode ? el('span', { class: 'muted' }, 'mode ' + w.mode) : null,
        el('span', { class: 'muted', 'data-updated': w.last_update }, 'seen ' + ago(w.last_update)));
      const work = attempts.get(w.name) || [];
      if (work.length) {
        item.append(el('ul', { class: 'attempts' }, ...work.map((a) => el('li', {
          'data-attempt': '', 'data-spec': a.work_spec, 'data-key': a.key,
        }, el('span', { class: 'spec' }, a.work_spec), ' ', el('span', { class: 'key' }, keyLabel(a)),
        el('span', { class: 'muted' }, ' lease ends ' + ago(a.expiration_time))))));
      }
      const kids = (children.get(w.name) || []).filter((c) => !placed.has(c.name) && visible(c));
      if (kids.length) {
        item.append(el('ul', { class: 'children' }, ...kids.map(branch)));
      }
      return item;
    };
    const roots = (children.get(null) || []).filter(visible).map(branch);
    // A parent cycle has no root: show its members at the top rather than not at all.
    const rest = workers.filter((w) => !placed.has(w.name) && visible(w)).map(branch);
    $('workers').replaceChildren(...roots, ...rest);
    if (!workers.length) {
      $('workers').append(el('li', { class: 'muted' }, 'No workers.'));
    }
  }

  // ---------------------------------------------------------------- failures

  async function refreshFailures(ns, specs) {
    const failing = specs.filter((spec) => spec.counts.failed > 0);
    const pages = await inParallel(failing, (spec) => unlessGone(() =>
      api('GET', specPath(ns, spec.name) + '/work-units' + query({
        status: 'failed', limit: FAILURES_PAGE, after: state.failuresAfter.get(spec.name) || null,
      }))));
    const groups = [];
    const wanted = new Set();
    failing.forEach((spec, i) => {
      if (pages[i]) {
        groups.push({ spec, units: pages[i].work_units, nextAfter: pages[i].next_after });
        for (const unit of pages[i].work_units) {
          wanted.add(spec.name + '\0' + unit.key);
        }
      }
    });
    // A unit's traceback is read once while it stays failed.
    for (const id of state.failedUnits.keys()) {
      if (!wanted.has(id)) {
        state.failedUnits.delete(id);
      }
    }
    const missing = [];
    for (const group of groups) {
      for (const unit of group.units) {
        if (!state.failedUnits.has(group.spec.name + '\0' + unit.key)) {
          missing.push([group.spec.name, unit.key]);
        }
      }
    }
    const details = await inParallel(missing, ([spec, key]) =>
      unlessGone(() => api('GET', specPath(ns, spec) + '/work-units/' + keySegment(key))));
    missing.forEach(([spec, key], i) => {
      if (details[i]) {
        state.failedUnits.set(spec + '\0' + key, details[i]);
      }
    });
    if (ns === state.namespace) {
      renderFailures(ns, groups);
    }
  }

  /** The traceback recorded in a unit's data, as text. */
  function traceback(unit) {
    const value = unit && unit.data ? unit.data.traceback : undefined;
    if (value === undefined || value === null) {
      return null;
    }
    if (typeof value === 'string') {
      return value;
    }
    if (typeof value === 'object' && typeof value.$bytes === 'string') {
      // Python 2 workers record it as bytes.
      const raw = atob(value.$bytes);
      return new TextDecoder().decode(Uint8Array.from(raw, (c) => c.charCodeAt(0)));
    }
    return JSON.stringify(value, null, 2);
  }

  function renderFailures(ns, groups) {
    const view = groups.map((g) => ({
      spec: g.spec.name,
      failed: g.spec.counts.failed,
      after: state.failuresAfter.get(g.spec.name) || '',
      nextAfter: g.nextAfter,
      units: g.units.map((u) => ({ unit: u, detail: state.failedUnits.get(g.spec.name + '\0' + u.key) })),
    }));
    const signature = JSON.stringify([ns, view.map((g) => [g.spec, g.failed, g.after, g.nextAfter,
      g.units.map((u) => [u.unit.key, u.detail ? failedAt(u.detail) : null])])]);
    $('failures-empty').hidden = groups.length > 0;
    if (signature === state.failuresSignature) {
      // Only the relative times move.
      for (const span of $('failures').querySelectorAll('[data-failed-at]')) {
        span.textContent = span.dataset.prefix + ago(span.dataset.failedAt);
      }
      return;
    }
    state.failuresSignature = signature;
    $('failures').replaceChildren(...view.map((g) => failureGroup(ns, g)));
  }

  function failedAt(detail) {
    const attempt = detail.active_attempt;
    return attempt ? attempt.end_time : null;
  }

  function failureGroup(ns, group) {
    const shown = group.units.length;
    const heading = el('h3', {}, group.spec, ' ', el('span', { class: 'muted' },
      number.format(group.failed) + ' failed' + (shown < group.failed
        ? '; ' + (group.after ? 'a later page of ' : 'the first ') + shown + ' by key shown' : '')));
    const pager = el('div', { class: 'pager' });
    if (group.after) {
      const first = el('button', { type: 'button', 'data-action': 'failures-first' }, 'First page');
      first.addEventListener('click', () => {
        state.failuresAfter.delete(group.spec);
        refreshNow();
      });
      pager.append(first);
    }
    if (group.nextAfter) {
      const next = el('button', { type: 'button', 'data-action': 'failures-next' },
        'Next ' + FAILURES_PAGE);
      next.addEventListener('click', () => {
        state.failuresAfter.set(group.spec, group.nextAfter);
        refreshNow();
      });
      pager.append(next);
    }
    // Most recent failure first, within the page.
    const units = [...group.units].sort((a, b) =>
      String(b.detail ? failedAt(b.detail) : '').localeCompare(String(a.detail ? failedAt(a.detail) : '')));
    return el('div', { class: 'failure-group', 'data-failures': group.spec }, heading,
      ...units.map((u) => failure(ns, group.spec, u.unit, u.detail)), pager);
  }

  function failure(ns, spec, unit, detail) {
    const id = spec + '\0' + unit.key;
    const retry = el('button', { type: 'button', 'data-action': 'retry' }, 'Retry');
    retry.addEventListener('click', () => {
      change('Retrying ' + keyLabel(unit) + ' of ' + spec, retry,
        () => api('POST', specPath(ns, spec) + '/work-units/retry' + query({ key: unit.key }), {}))
        .then((r) => {
          if (r && r.retried === 0) {
            showMessage('ok', keyLabel(unit) + ' of ' + spec + ' is no longer failed: nothing to retry.');
          } else if (r) {
            showMessage('ok', keyLabel(unit) + ' of ' + spec + ' is available again.');
          }
        });
    });
    const attempt = detail ? detail.active_attempt : null;
    const text = traceback(detail);
    const lines = text === null ? [] : text.trimEnd().split('\n');
    const summary = el('summary', {}, text === null ? '(no traceback recorded)' : lines[lines.length - 1]);
    const body = el('details', { class: 'traceback' }, summary,
      el('pre', { 'data-field': 'traceback' }, text === null ? '' : text));
    body.open = state.tracebackOpen.has(id)
      ? state.tracebackOpen.get(id) : text !== null && lines.length <= SHORT_TRACEBACK_LINES;
    body.addEventListener('toggle', () => state.tracebackOpen.set(id, body.open));
    return el('div', { class: 'failure', 'data-failure': '', 'data-spec': spec, 'data-key': unit.key },
      el('div', { class: 'failure-head' },
        el('span', { class: 'key' }, keyLabel(unit)),
        attempt ? el('span', { class: 'muted', 'data-failed-at': attempt.end_time,
          'data-prefix': 'by ' + attempt.worker + ', failed ' },
        'by ' + attempt.worker + ', failed ' + ago(attempt.end_time)) : null,
        retry),
      body);
  }

  // ---------------------------------------------------------------- controls

  function showTokenState() {
    $('token-state').textContent = token()
      ? 'token set for this tab'
      : 'no token: changes are refused if the daemon has one';
    $('token').value = '';
    $('token').placeholder = token() ? '•••••• (set)' : 'needed for changes';
  }

  /** Shows another namespace: what was drawn for the last one goes at once. */
  function switchNamespace(ns) {
    if (ns === state.namespace) {
      return;
    }
    state.namespace = ns;
    for (const row of state.rows.values()) {
      row.tr.remove();
    }
    state.rows.clear();
    state.finishedHistory.clear();
    state.failuresAfter.clear();
    state.failedUnits.clear();
    state.idleAttempts.clear();
    refreshNow();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('namespace').addEventListener('change', () => {
      switchNamespace($('namespace').value);
      history.replaceState(null, '', state.namespace === ''
        ? location.pathname + location.search : '#ns=' + encodeURIComponent(state.namespace));
    });
    window.addEventListener('hashchange', () => switchNamespace(namespaceFromHash()));
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('token').value.trim();
      if (value) {
        // This tab only, and gone when it closes: never written to disk storage.
        sessionStorage.setItem(TOKEN_KEY, value);
        showMessage('ok', 'The admin token will be sent with every request from this tab.');
      }
      showTokenState();
      refreshNow();
    });
    $('token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      showTokenState();
      showMessage('ok', 'The admin token is forgotten.');
    });
    $('message-close').addEventListener('click', () => { $('message').hidden = true; });
    $('hide-inactive').addEventListener('change', () => refreshNow());
    showTokenState();
    refreshNow();
  });
})();
