/* Closer's outbox: taps and undos kept in IndexedDB until the server acknowledges them.
 *
 * Loaded by the page (<script>) and by the service worker (importScripts), with
 * outbox-replay.js after it, so a replay runs the same code wherever it starts.
 * IndexedDB is not tied to the worker's version, so waiting taps survive an app update.
 *
 * An item: {client_id, kind: "tap"|"undo", outcome, occurred_at, attempts, status,
 *           points, label, origin, seq}. The client id is made at tap time, before
 * the first attempt, so a batch whose answer was lost is safe to send again.
 *
 * A review saved on the device is an item too: {client_id (the review's own id, made
 * when the rep saved it), kind: "review", call_id (its call's client id), fields (the
 * form's answers), outcome, label, occurred_at, ...}. It waits behind its call: it is
 * sent once no tap or undo of that call waits here, and taking the call back drops it.
 */
(function (root) {
  "use strict";

  var DB_NAME = "closer";
  var DB_VERSION = 1;
  var OUTBOX = "outbox";
  var REFUSED = "refused";
  var META = "meta";
  var dbPromise = null;
  var channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("closer-outbox") : null;

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: "client_id" });
        if (!db.objectStoreNames.contains(REFUSED)) db.createObjectStore(REFUSED, { keyPath: "client_id" });
        if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: "key" });
      };
      request.onsuccess = function () {
        var db = request.result;
        // Another tab may upgrade the schema later: let it, and reopen next time.
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = function () { dbPromise = null; reject(request.error); };
    });
    return dbPromise;
  }

  /** Run ``work(stores)`` in one transaction; resolve with its result once the transaction commits. */
  function transact(names, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(names, mode);
        var stores = {};
        names.forEach(function (name) { stores[name] = tx.objectStore(name); });
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        Promise.resolve(work(stores, tx)).then(function (value) { result = value; }, function (error) {
          try { tx.abort(); } catch (e) { /* already finished */ }
          reject(error);
        });
      });
    });
  }

  function req(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function bySeq(a, b) { return (a.seq || 0) - (b.seq || 0); }

  /** A tap or an undo: what POST /api/v1/sync takes. Reviews go to their call's review endpoint. */
  function isCall(item) { return item.kind === "tap" || item.kind === "undo"; }

  /** Delete the reviews of ``callId`` waiting in the store (its call is being taken back); their ids. */
  function dropReviewsOf(store, callId) {
    return req(store.getAll()).then(function (items) {
      var dropped = items.filter(function (item) { return item.kind === "review" && item.call_id === callId; });
      dropped.forEach(function (item) { store.delete(item.client_id); });
      return dropped.map(function (item) { return item.client_id; });
    });
  }

  function announce() { if (channel) channel.postMessage({ type: "changed" }); }

  var seqCounter = 0;
  /** An ordering key: time of creation, with a counter for taps in the same millisecond. */
  function nextSeq() { seqCounter = (seqCounter + 1) % 1000; return Date.now() * 1000 + seqCounter; }

  function list() {
    return transact([OUTBOX], "readonly", function (s) { return req(s.outbox.getAll()); })
      .then(function (items) { return items.sort(bySeq); });
  }

  function refused() {
    return transact([REFUSED], "readonly", function (s) { return req(s.refused.getAll()); })
      .then(function (items) { return items.sort(bySeq); });
  }

  /** Keep an item. An undo drops the reviews of its call waiting here: a call taken back keeps no review. */
  function put(item) {
    return transact([OUTBOX], "readwrite", function (s) {
      s.outbox.put(item);
      return item.kind === "undo" ? dropReviewsOf(s.outbox, item.client_id).then(function () { return item; }) : item;
    }).then(function (value) { announce(); return value; });
  }

  /** Mark an item as waiting again (its live request failed); its attempts stay counted. */
  function release(clientId) {
    return transact([OUTBOX], "readwrite", function (s) {
      return req(s.outbox.get(clientId)).then(function (item) {
        if (item && item.status !== "pending") { item.status = "pending"; s.outbox.put(item); }
      });
    });
  }

  /**
   * Take back a call. A waiting tap never attempted is simply deleted: the server
   * never saw it. One that may have reached the server becomes an undo item; so
   * does the undo of a call the server already holds (``fallback``). Either way
   * the call's reviews waiting here are dropped, in the same transaction.
   * Resolves with "deleted" or "queued", the stored item and the dropped reviews' ids.
   */
  function undo(clientId, fallback) {
    return transact([OUTBOX], "readwrite", function (s) {
      return dropReviewsOf(s.outbox, clientId).then(function (dropped) {
        return req(s.outbox.get(clientId)).then(function (item) {
          if (item && item.kind === "tap" && !item.attempts) {
            s.outbox.delete(clientId);
            return { action: "deleted", item: item, dropped: dropped };
          }
          if (item && item.kind === "undo") return { action: "queued", item: item, dropped: dropped };
          var queued = item
            ? Object.assign({}, item, { kind: "undo", origin: "outbox", status: "pending" })
            : Object.assign({ attempts: 0, seq: nextSeq(), origin: "server" }, fallback, { kind: "undo", status: "pending" });
          s.outbox.put(queued);
          return { action: "queued", item: queued, dropped: dropped };
        });
      });
    }).then(function (value) { announce(); return value; });
  }

  /**
   * Claim up to ``limit`` waiting items for one request: each is marked attempted before it is sent.
   * ``wanted(item, all)`` sees every stored item too (a review asks whether its call still waits).
   */
  function claim(limit, wanted) {
    return transact([OUTBOX], "readwrite", function (s) {
      return req(s.outbox.getAll()).then(function (items) {
        var all = items.sort(bySeq);
        var batch = all.filter(function (item) { return wanted(item, all); }).slice(0, limit);
        batch.forEach(function (item) {
          item.attempts = (item.attempts || 0) + 1;
          item.status = "syncing";
          s.outbox.put(item);
        });
        return batch;
      });
    });
  }

  /**
   * Apply the server's answer: acknowledged items leave the outbox, refused ones
   * move to the refused list with the reason, and "gone" ones (a review whose call
   * the server no longer has: taken back, or refused) simply leave. An item changed
   * meanwhile (a tap turned into an undo while its request was out) stays for the next sync.
   */
  function settle(sent, results) {
    var byId = {};
    sent.forEach(function (item) { byId[item.client_id] = item; });
    return transact([OUTBOX, REFUSED], "readwrite", function (s) {
      return Promise.all(results.map(function (result) {
        var sentItem = byId[result.client_id];
        if (!sentItem) return null;
        return req(s.outbox.get(result.client_id)).then(function (stored) {
          if (!stored || stored.kind !== result.kind) {
            return null;
          }
          if (result.status === "rejected") {
            s.refused.put(Object.assign({}, stored, { reason: result.reason || "Refused by the server.", status: "refused" }));
            s.outbox.delete(result.client_id);
          } else if (result.status === "accepted" || result.status === "duplicate" || result.status === "gone") {
            s.outbox.delete(result.client_id);
          } else {
            stored.status = "pending";
            s.outbox.put(stored);
          }
          return result;
        });
      })).then(function () {
        // Anything claimed but not answered goes back to waiting.
        return Promise.all(sent.map(function (item) {
          return req(s.outbox.get(item.client_id)).then(function (stored) {
            if (stored && stored.status === "syncing") { stored.status = "pending"; s.outbox.put(stored); }
          });
        }));
      });
    }).then(function () { announce(); });
  }

  function dismissRefused() {
    return transact([REFUSED], "readwrite", function (s) { s.refused.clear(); }).then(announce);
  }

  function getMeta(key) {
    return transact([META], "readonly", function (s) { return req(s.meta.get(key)); })
      .then(function (row) { return row ? row.value : undefined; });
  }

  function setMeta(key, value) {
    return transact([META], "readwrite", function (s) { s.meta.put({ key: key, value: value }); });
  }

  /**
   * The sync lease, for browsers without Web Locks: a row in IndexedDB (readwrite
   * transactions on one store run one at a time). Resolves true when ``owner`` took
   * it for ``ms``, false while someone else holds an unexpired one.
   */
  function takeLease(owner, ms) {
    return transact([META], "readwrite", function (s) {
      return req(s.meta.get("sync-lease")).then(function (row) {
        var now = Date.now();
        if (row && row.value.until > now && row.value.owner !== owner) return false;
        s.meta.put({ key: "sync-lease", value: { owner: owner, until: now + ms } });
        return true;
      });
    });
  }

  function dropLease(owner) {
    return transact([META], "readwrite", function (s) {
      return req(s.meta.get("sync-lease")).then(function (row) {
        if (row && row.value.owner === owner) s.meta.delete("sync-lease");
      });
    });
  }

  root.CloserOutbox = {
    isCall: isCall,
    list: list,
    refused: refused,
    put: put,
    release: release,
    undo: undo,
    claim: claim,
    settle: settle,
    dismissRefused: dismissRefused,
    getMeta: getMeta,
    setMeta: setMeta,
    takeLease: takeLease,
    dropLease: dropLease,
    nextSeq: nextSeq,
    announce: announce,
    channel: channel
  };
})(self);
