"""calls logged by a dialer or through the API, counted per day for the boards

Revision ID: c0c0ffee0018
Revises: c1c0ffee0019
Create Date: 2026-12-02 10:00:00

Each day row gets ``dialer_calls``: of its live (not undone) calls, those a
dialer's disposition URL ("dialer") or a personal API token ("api") logged.
Existing rows are filled from the calls in one grouped pass, so a board can
mark those numbers from the aggregate alone.

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c0c0ffee0018"
down_revision = "c1c0ffee0019"
branch_labels = None
depends_on = None

DIALER_SOURCES = ("api", "dialer")  # webapp.domain.call_sources.DIALER_SOURCES when this was written


def upgrade():
    # A plain ADD COLUMN with a literal default (no batch mode: see a7c0ffee0007).
    op.add_column("daily_totals", sa.Column("dialer_calls", sa.Integer(), nullable=False, server_default="0"))
    sources = ", ".join(f"'{source}'" for source in DIALER_SOURCES)
    # One grouped read of the calls, not a count per day row (UPDATE ... FROM: PostgreSQL, SQLite 3.33+).
    op.execute(
        "UPDATE daily_totals SET dialer_calls = counted.calls"
        " FROM (SELECT user_id, local_date, COUNT(*) AS calls FROM calls"
        f" WHERE undone_at IS NULL AND source IN ({sources}) GROUP BY user_id, local_date) AS counted"
        " WHERE daily_totals.user_id = counted.user_id AND daily_totals.local_date = counted.local_date"
    )


def downgrade():
    op.drop_column("daily_totals", "dialer_calls")
