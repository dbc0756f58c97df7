"""Do the running sums agree with the calls? Read straight from the database after a run.

- every ``daily_totals`` row: dials and each outcome's count equal the rep's live
  (not undone) calls of that day, and ``dialer_calls`` those of them a dialer or
  the API logged; points equal their points, plus the points of reviews and
  resets (which go to the day's row, not to a call);
- each rep's ``users.xp`` equals their live calls' points plus review and reset points;
- ``player_totals``: dials and each outcome's count equal the rep's live calls;
- nothing negative in any of them.
"""

from __future__ import annotations

OUTCOMES = ("no_answer", "voicemail", "gatekeeper", "not_interested", "conversation", "follow_up", "meeting", "sale")
DIALER_SOURCES = ("api", "dialer")  # webapp.domain.call_sources.DIALER_SOURCES
_COUNTS = ", ".join(f"SUM(CASE WHEN outcome = '{o}' THEN 1 ELSE 0 END) AS {o}" for o in OUTCOMES)
_DIALER = "SUM(CASE WHEN source IN ({}) THEN 1 ELSE 0 END) AS dialer_calls".format(
    ", ".join(f"'{source}'" for source in DIALER_SOURCES)
)
_LIVE = (
    f"SELECT user_id, {{key}} COUNT(*) AS dials, SUM(points) AS points, {_COUNTS}, {_DIALER}"
    " FROM calls WHERE undone_at IS NULL GROUP BY user_id {group}"
)


def _extra_points(query) -> dict[int, int]:
    """Points of reviews and resets per rep: they count in XP and in day rows, not in calls."""
    extra: dict[int, int] = {}
    for table in ("call_reviews", "resets"):
        for user_id, points in query(f"SELECT user_id, COALESCE(SUM(points), 0) FROM {table} GROUP BY user_id"):
            extra[user_id] = extra.get(user_id, 0) + int(points or 0)
    return extra


def consistency(db) -> dict:
    """Counts of rows that disagree with the calls (all 0 when the aggregates are exact), and totals.

    Run it once the server is idle; on PostgreSQL every table is read in one snapshot.
    """
    with db.snapshot() as query:
        return _check(query)


def _check(query) -> dict:
    columns = ("dials", "points", *OUTCOMES, "dialer_calls")
    extra = _extra_points(query)
    live_days = {
        (row[0], str(row[1])): dict(zip(columns, row[2:], strict=True))
        for row in query(_LIVE.format(key="local_date,", group=", local_date"))
    }
    day_rows = query(f"SELECT user_id, local_date, {', '.join(columns)} FROM daily_totals")
    days_off, day_points = 0, {}
    for user_id, day, *values in day_rows:
        row = dict(zip(columns, values, strict=True))
        live = live_days.pop((user_id, str(day)), dict.fromkeys(columns, 0))
        day_points[user_id] = day_points.get(user_id, 0) + row["points"] - (live["points"] or 0)
        exact_points = user_id in extra or row["points"] == (live["points"] or 0)
        if not exact_points or any(row[c] != (live[c] or 0) for c in columns if c != "points"):
            days_off += 1
    days_off += sum(1 for live in live_days.values() if live["dials"])  # live calls with no day row
    # Where reviews or resets added points, the rep's day rows together hold exactly those extra points.
    days_off += sum(1 for user_id, points in extra.items() if day_points.get(user_id, 0) != points)

    live_users = {row[0]: dict(zip(columns, row[1:], strict=True)) for row in query(_LIVE.format(key="", group=""))}
    users = query("SELECT id, xp FROM users")
    xp_off = [
        (uid, xp or 0, (live_users.get(uid, {}).get("points") or 0) + extra.get(uid, 0))
        for uid, xp in users
        if (xp or 0) != (live_users.get(uid, {}).get("points") or 0) + extra.get(uid, 0)
    ]
    lifetime = query(f"SELECT user_id, dials, {', '.join(OUTCOMES)} FROM player_totals")
    lifetime_off = sum(
        1
        for user_id, *values in lifetime
        if any(
            v != (live_users.get(user_id, {}).get(c) or 0) for c, v in zip(("dials", *OUTCOMES), values, strict=True)
        )
    )
    negatives = sum(1 for _, _, *values in day_rows if any(v < 0 for v in values))
    negatives += sum(1 for _, *values in lifetime if any(v < 0 for v in values))
    negatives += sum(1 for _, xp in users if (xp or 0) < 0)
    return {
        "days_off": days_off,
        "day_rows": len(day_rows),
        "users_xp_off": len(xp_off),
        "users": len(users),
        "xp_lost": sum(expected - xp for _, xp, expected in xp_off),
        "xp_total": sum((live.get("points") or 0) for live in live_users.values()) + sum(extra.values()),
        "lifetime_off": lifetime_off,
        "negatives": negatives,
        "live_calls": sum(live["dials"] for live in live_users.values()),
        "undone_calls": int(query("SELECT COUNT(*) FROM calls WHERE undone_at IS NOT NULL")[0][0]),
    }


def exact(check: dict) -> bool:
    """True when every aggregate equals the sums over the live calls and nothing is negative."""
    return not (check["days_off"] or check["users_xp_off"] or check["lifetime_off"] or check["negatives"])


def describe(check: dict) -> str:
    """One sentence for a report."""
    verdict = "exact" if exact(check) else "NOT exact"
    return (
        f"aggregates {verdict}: {check['live_calls']:,} live calls and {check['undone_calls']:,} undone; "
        f"daily_totals rows disagreeing with the live calls {check['days_off']} of {check['day_rows']:,}; "
        f"reps whose xp ≠ their points {check['users_xp_off']} of {check['users']} "
        f"({check['xp_lost']:+,} points lost out of {check['xp_total']:,}); "
        f"player_totals rows disagreeing {check['lifetime_off']}; negative values {check['negatives']}"
    )
