"""Teams: membership, secret links, boards, the feed, challenges, the coach view, the version.

Boards and challenge bars read ``DailyTotal`` sums over the period's dates,
never the calls, so a board costs about the same with a million calls of
history as with ten thousand. Periods are the *team's* today, week (Monday
start) and month, in the team's timezone; each rep's day rows are in the
rep's own calendar, so a rep in another timezone counts their own local
Monday as Monday.

Every change a board or feed shows (a tap or undo of any member, a post, a
high-five, a member joining or leaving, private mode, a challenge) bumps
``Team.version`` in the same transaction (``version``). Live views use it as
their ETag: a poll when nothing changed costs one indexed read and an empty 304.

Private mode hides a rep from the boards only: they still see the boards,
their wins still reach the feed (the team cheers them), their dials still
count toward team challenges, and the coach still sees them in the coach view.

Tokens for invite and TV links come from ``secrets.token_urlsafe(32)`` (256
bits) and only their sha256 is stored, so a read of the database leaks no
live link; a revoked or rotated link stops working on the next request.
"""
