/* Ids and the time on this device: a tap's id and moment are made here, at tap time. */

/** A random UUID, made at tap time so a replayed tap is recognised by the server. */
export function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

/** The browser's IANA timezone, or "" when it does not say. */
export function deviceTimezone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
}

/** Now, on the device clock, as ISO 8601 with the device's UTC offset. */
export function isoNow() {
  const d = new Date();
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const pad = (n) => String(Math.abs(n)).padStart(2, "0");
  const local = new Date(d.getTime() + offset * 60000);
  return local.toISOString().slice(0, 23) + sign + pad(Math.trunc(offset / 60)) + ":" + pad(offset % 60);
}

/**
 * Instants as the rep reads them, in their timezone and locale: "7:15 AM" or
 * "07:15", and "2025-03-30". The locale is the server's answer (<html lang>).
 * For showing only: which working day a tap counts on (the day start moves it)
 * is the server's answer, carried on the tally.
 */
export function repClock(timezone, locale) {
  // A 24-hour locale writes the hour with two digits ("07:05"), as the server does; a 12-hour one does not ("7:05 AM").
  const cycle = format(timezone, { hour: "numeric" }, locale).resolvedOptions().hourCycle;
  const hour = cycle === "h23" || cycle === "h24" ? "2-digit" : "numeric";
  const clockFormat = format(timezone, { hour, minute: "2-digit" }, locale);
  const dateFormat = format(timezone, { year: "numeric", month: "2-digit", day: "2-digit" }, "en-GB");
  return {
    // No-break spaces, as the server writes them ("7:15 AM" never wraps; CLDR's narrow space reads alike).
    time: (instant) => clockFormat.format(instant).replace(/[\s\u202f]/g, "\u00a0"),
    date(instant) {
      const parts = {};
      dateFormat.formatToParts(instant).forEach((p) => { parts[p.type] = p.value; });
      return parts.year + "-" + parts.month + "-" + parts.day;
    }
  };
}

function format(timezone, options, locale) {
  try { return new Intl.DateTimeFormat(locale || "en-GB", Object.assign({ timeZone: timezone }, options)); } catch (e) {
    return new Intl.DateTimeFormat(locale || "en-GB", options);
  }
}
