"""fair boards: how a team's boards are shown, the coach's start time, the rep's privacy switch, a call's source

Revision ID: b0c0ffee0010
Revises: a9c0ffee0009
Create Date: 2026-12-01 18:00:00

Existing teams keep the full board they had ("full"); new teams start on
"near me" (the model's default). Existing calls came from the app.

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b0c0ffee0010"
down_revision = "b5c0ffee0015"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs with literal defaults: SQLite adds them in place, no table copy.
    op.add_column("teams", sa.Column("board_mode", sa.String(length=10), nullable=False, server_default="full"))
    op.add_column("teams", sa.Column("start_by_minute", sa.Integer(), nullable=False, server_default="600"))
    op.add_column("users", sa.Column("coach_sees_tough", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("calls", sa.Column("source", sa.String(length=16), nullable=False, server_default="app"))


def downgrade():
    op.drop_column("calls", "source")
    op.drop_column("users", "coach_sees_tough")
    op.drop_column("teams", "start_by_minute")
    op.drop_column("teams", "board_mode")
