/* Closer's page script, the entry point: it loads the parts of the page script (one
 * purpose each), wires them together and starts them. Loaded as a module, after
 * htmx and outbox.js.
 *
 * A tap shows at once (optimistic), is kept in the IndexedDB outbox before its
 * first attempt, goes to the server through htmx when online, and otherwise waits
 * in the outbox until a sync delivers it. The screen is always "what the server
 * last said" plus "what is still in the outbox", so it never double-counts.
 *
 * Why `import()` and not `import ... from`: every static URL carries this deploy's
 * `?v=` version, and the service worker answers only versioned files from its
 * cache (cache-first online, and on a cold start offline). A static import would
 * ask for its file without the version, from the network. So each part is loaded
 * here with this file's own version, and parts never import each other: what one
 * needs from another is handed to it below.
 */
const version = new URL(import.meta.url).search;
const PARTS = [
  "clock", "outcomes", "timezone-fields", "mirror", "today-screen", "taps",
  "snapshot", "sync", "sync-status", "worker", "install", "after-call"
];
const [clock, outcomes, timezoneFields, mirrorPart, todayScreen, taps, snapshotPart, syncPart, syncStatus, worker, install, afterCallPart] =
  await Promise.all(PARTS.map((name) => import(`./${name}.js${version}`)));

const body = document.body;
const outbox = self.CloserOutbox;  // a classic script: the service worker runs it too
const userId = body.getAttribute("data-user-id");
// The rep's wall clock, for showing times; which day a tap counts on is the server's answer (on the tally).
const repClock = clock.repClock(body.getAttribute("data-timezone") || clock.deviceTimezone() || "UTC", document.documentElement.lang);

timezoneFields.fillTimezoneFields(clock.deviceTimezone);
const mirror = mirrorPart.createMirror(outbox, userId);
const screen = todayScreen.startTodayScreen({ mirror, clock: repClock, labelFor: outcomes.labelFor });
const status = syncStatus.startSyncStatus({ mirror, clock: repClock, labelFor: outcomes.labelFor });
mirror.onChange(screen.render);
mirror.onChange(status.render);
const snapshot = snapshotPart.startSnapshot({ outbox, mirror, userId });
const sync = syncPart.startSync({ outbox, mirror, refreshFromServer: snapshot.refreshFromServer });
const afterCall = afterCallPart.startAfterCall({ outbox, mirror, sync, newId: clock.newId, userId });
taps.startTaps({ outbox, mirror, sync, newId: clock.newId, isoNow: clock.isoNow, tapInfo: outcomes.tapInfo, onTap: afterCall.showTap });
worker.startWorker({ mirror });
install.startInstall();

// Start: show what waits, then flush it.
mirror.changed();
const ready = (outbox ? snapshot.apply().then(mirror.reload) : Promise.resolve()).then(() => {
  if (userId && navigator.onLine) return sync.syncNow();
});

window.Closer = { newId: clock.newId, sync: sync.syncNow, ready, state: mirror.state };
