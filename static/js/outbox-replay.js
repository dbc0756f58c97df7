/* Closer's outbox replay: send what waits in the outbox (outbox.js, loaded first)
 * and settle the answers: taps and undos to POST /api/v1/sync, in batches; then each
 * review whose call no longer waits to POST /calls/<call>/review, one at a time.
 *
 * Loaded by the page and by the service worker, so the replay is the same code
 * whether a tab or the worker (on activation, on Background Sync) runs it. One
 * replay runs at a time across tabs and the worker (Web Locks, or a lease row in
 * IndexedDB), each starts with a fresh CSRF token, and a batch whose answer is
 * lost is simply sent again: the client ids make that safe.
 */
(function (root) {
  "use strict";

  var Outbox = root.CloserOutbox;
  var isCall = Outbox.isCall;
  var list = Outbox.list;
  var claim = Outbox.claim;
  var settle = Outbox.settle;
  var LOCK_NAME = "closer-outbox-sync";
  var MAX_BATCH = 1000;

  function withLock(work) {
    if (root.navigator && root.navigator.locks && root.navigator.locks.request) {
      return root.navigator.locks.request(LOCK_NAME, work);
    }
    return withLease(work);
  }

  /** Fallback lock: the outbox's lease row, waited for up to 15 s (a holder that died lets go after 30 s). */
  function withLease(work) {
    var owner = Math.random().toString(36).slice(2);
    var deadline = Date.now() + 15000;
    function acquire() {
      return Outbox.takeLease(owner, 30000).then(function (got) {
        if (got || Date.now() > deadline) return true;
        return new Promise(function (resolve) { setTimeout(resolve, 200); }).then(acquire);
      });
    }
    return acquire().then(work).then(function (value) {
      return Outbox.dropLease(owner).then(function () { return value; });
    }, function (error) {
      return Outbox.dropLease(owner).then(function () { throw error; });
    });
  }

  function SyncError(message, retry) { this.message = message; this.retry = retry !== false; }
  SyncError.prototype = Object.create(Error.prototype);
  SyncError.prototype.name = "SyncError";

  function fetchToken() {
    return fetch("/api/v1/csrf", { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new SyncError("The server answered " + response.status + ".");
      return response.json();
    }, function () { throw new SyncError("Network unreachable."); });
  }

  function wire(item) {
    var body = { client_id: item.client_id, kind: item.kind };
    if (item.outcome) body.outcome = item.outcome;
    if (item.occurred_at) body.occurred_at = item.occurred_at;
    return body;
  }

  function postBatch(batch, token) {
    return fetch("/api/v1/sync", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ items: batch.map(wire) })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }, function () { throw new SyncError("Network unreachable."); });
  }

  /**
   * Send one claimed batch and settle the answer. A 422 for the whole batch means
   * one item is malformed: the items then go one by one, so only that one is refused.
   */
  function sendClaimed(batch, session, state) {
    return postBatch(batch, session.token).then(function (answer) {
      if (answer.status === 200) {
        state.today = answer.body.today;
        state.changed = true;
        return settle(batch, answer.body.results || []);
      }
      if (answer.status === 401) {
        state.status = "login";
        return settle(batch, []);
      }
      if (answer.status === 400 && answer.body.error === "csrf_failed" && !session.retried) {
        session.retried = true;
        return fetchToken().then(function (fresh) {
          session.token = fresh.csrf_token;
          return sendClaimed(batch, session, state);
        });
      }
      if (answer.status === 413 && batch.length > 1) {
        var half = Math.ceil(batch.length / 2);
        return sendClaimed(batch.slice(0, half), session, state)
          .then(function () { return sendClaimed(batch.slice(half), session, state); });
      }
      if ((answer.status === 422 || answer.status === 400 || answer.status === 413) && batch.length > 1) {
        return batch.reduce(function (chain, item) {
          return chain.then(function () { return sendClaimed([item], session, state); });
        }, Promise.resolve());
      }
      if (answer.status === 422 || answer.status === 400 || answer.status === 413) {
        var reason = answer.body.message || "The server could not read this item.";
        return settle(batch, [{ client_id: batch[0].client_id, kind: batch[0].kind, status: "rejected", reason: reason }]);
      }
      return settle(batch, []).then(function () {
        throw new SyncError("The server answered " + answer.status + ".");
      });
    }, function (error) {
      return settle(batch, []).then(function () { throw error; });
    });
  }

  var running = null;
  var again = false;

  /**
   * Replay the outbox. Triggers that arrive while a sync runs collapse into one
   * more pass after it. Resolves {status: "ok"|"login"|"idle", changed, today};
   * rejects with a SyncError when the network or server failed (retry later).
   * ``options.exclude``: ids a page is sending live right now.
   */
  function sync(options) {
    options = options || {};
    if (running) { again = true; return running; }
    running = withLock(function () { return syncPasses(options); }).then(function (result) {
      running = null;
      if (again) { again = false; return sync(options).then(function (next) { next.changed = next.changed || result.changed; return next; }); }
      return result;
    }, function (error) {
      running = null;
      again = false;
      throw error;
    });
    return running;
  }

  function syncPasses(options) {
    var state = { status: "ok", changed: false, today: null };
    var passes = 0;
    var holder = null;  // this sync's CSRF token, fetched once something waits
    var owner = null;
    var exclude = options.exclude;
    // Taps and reviews belong to the rep who made them: another login on this device never sends them.
    function mine(item) {
      return (!exclude || !exclude.has(item.client_id)) &&
        (item.owner == null || owner == null || String(item.owner) === String(owner));
    }
    function wantedCall(item) { return isCall(item) && mine(item); }
    // A review waits behind its call: while a tap or undo of it waits anywhere here, it is not sent.
    function readyReview(item, all) {
      return item.kind === "review" && mine(item) &&
        !all.some(function (other) { return isCall(other) && other.client_id === item.call_id; });
    }
    function open() {
      if (holder) return Promise.resolve(true);
      return fetchToken().then(function (session) {
        if (!session.authenticated) { state.status = "login"; return false; }
        if (options.onToken) options.onToken(session.csrf_token);
        owner = session.user_id;
        holder = { token: session.csrf_token, retried: false };
        return true;
      });
    }
    function pass() {
      return list().then(function (items) {
        if (!items.some(wantedCall)) return reviews(items);
        // Items the server answered stay only if they changed meanwhile; a few passes settle them.
        if (++passes > 5) return state;
        return open().then(function (ready) {
          if (!ready) return state;
          return claim(MAX_BATCH, wantedCall).then(function (batch) {
            if (!batch.length) return list().then(reviews);  // what waits is another rep's
            return sendClaimed(batch, holder, state).then(function () {
              return state.status === "login" ? state : pass();
            });
          });
        });
      });
    }
    /** Then the reviews whose calls the server has, oldest first, each claimed before it is sent. */
    function reviews(items) {
      if (!items.some(function (item) { return readyReview(item, items); })) {
        if (!state.changed) state.status = "idle";
        return state;
      }
      return open().then(function (ready) {
        if (!ready) return state;
        return (function next() {
          return claim(1, readyReview).then(function (claimed) {
            if (!claimed.length) return state;
            return sendReview(claimed[0], holder, state).then(function () {
              return state.status === "login" ? state : next();
            });
          });
        })();
      });
    }
    return pass();
  }

  /**
   * Send one claimed review as its form would, with its id and Accept: JSON, and settle
   * the answer: saved (or a replay of one saved before) leaves the outbox, a 404 (its
   * call was taken back or refused) drops it, a 422 is refused with the server's reason,
   * and anything else keeps it for the next sync.
   */
  function sendReview(review, session, state) {
    var body = new URLSearchParams();
    Object.keys(review.fields || {}).forEach(function (name) { body.append(name, review.fields[name]); });
    body.set("review_id", review.client_id);
    function answered(status, reason) {
      var result = { client_id: review.client_id, kind: review.kind, status: status };
      if (reason) result.reason = reason;
      return settle([review], [result]);
    }
    return fetch("/calls/" + encodeURIComponent(review.call_id) + "/review", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      redirect: "manual",
      // HX-Request: an ended session answers 204 (log in), never a redirect to the login page.
      headers: { "X-CSRFToken": session.token, "Accept": "application/json", "HX-Request": "true" },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 200 && (answer.status === "accepted" || answer.status === "duplicate")) {
          state.changed = true;
          return answered(answer.status);
        }
        if (response.status === 404) return answered("gone");
        if (response.status === 422) return answered("rejected", answer.message || "The server could not read this review.");
        if (response.status === 204 || response.status === 401 || response.type === "opaqueredirect") {
          state.status = "login";
          return settle([review], []);
        }
        if (response.status === 400 && !session.retried) {
          session.retried = true;
          return fetchToken().then(function (fresh) {
            session.token = fresh.csrf_token;
            return sendReview(review, session, state);
          });
        }
        return settle([review], []).then(function () {
          throw new SyncError("The server answered " + response.status + ".");
        });
      });
    }, function () {
      return settle([review], []).then(function () { throw new SyncError("Network unreachable."); });
    });
  }

  Outbox.sync = sync;
  Outbox.SyncError = SyncError;
  Outbox.MAX_BATCH = MAX_BATCH;
})(self);
