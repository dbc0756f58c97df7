"""users: when the first-run welcome was answered or skipped; call_reviews: the id the device gave a review

Revision ID: c1c0ffee0019
Revises: b7c0ffee0017
Create Date: 2026-12-02 10:00:00

The welcome was remembered only in the login's cookie session, so it came
back on another device and after logging in again. It is now a column on
the rep. A rep who has logged a call has been calling already: they count as
welcomed from their first call (undone or not), and so does a rep who has
set a dial goal (by answering the welcome, or in Settings).

A review saved on a device waits in its outbox with an id made there, before
any attempt to send it; the server keeps that id on the review, so a replay
of the same review changes nothing.

"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c1c0ffee0019"
down_revision = "b7c0ffee0017"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns: SQLite adds them in place, with no copy of the table.
    op.add_column("users", sa.Column("welcomed_at", sa.DateTime(), nullable=True))
    op.add_column("call_reviews", sa.Column("client_id", sa.Uuid(), nullable=True))
    # Naive UTC, as the models store it (CURRENT_TIMESTAMP would be the server's local time on PostgreSQL).
    now = datetime.now(UTC).replace(tzinfo=None)
    op.get_bind().execute(
        sa.text(
            "UPDATE users SET welcomed_at = COALESCE("
            "(SELECT MIN(calls.created_at) FROM calls WHERE calls.user_id = users.id), :now) "
            "WHERE EXISTS (SELECT 1 FROM calls WHERE calls.user_id = users.id) OR goal_dials IS NOT NULL"
        ),
        {"now": now},
    )


def downgrade():
    op.drop_column("call_reviews", "client_id")
    op.drop_column("users", "welcomed_at")
