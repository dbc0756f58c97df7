"""streaks that forgive: a daily minimum, time off, a repair a month, a switch that hides the streak

Revision ID: a7c0ffee0007
Revises: a6c0ffee0006
Create Date: 2026-12-03 10:00:00

Existing data keeps every streak day it had: a day that counted before (its
goal met) still counts, because a day now counts when the rep showed up *or*
met the goal. Each day row gets the minimum min(10, its dial target) and
"showed up" = goal met, or dials at least that minimum; each rep gets the
minimum min(10, their dial goal, or the default goal of 40). The stored
streak checkpoints are left as they are.

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c0ffee0007"
down_revision = "a6c0ffee0006"
branch_labels = None
depends_on = None

DEFAULT_MINIMUM = 10
DEFAULT_GOAL = 40  # webapp.domain.goals.GoalTargets.dials when this migration was written


def _smaller(expression: str, limit: int) -> str:
    """SQL for min(expression, limit) on SQLite and PostgreSQL alike."""
    return f"CASE WHEN {expression} < {limit} THEN {expression} ELSE {limit} END"


def upgrade():
    # Plain ADD COLUMNs, literal defaults only: on SQLite anything more makes batch mode copy the
    # table, and dropping the old "users" would cascade-delete every row that points at a rep.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_dials", sa.Integer(), nullable=False, server_default=str(DEFAULT_MINIMUM)))
        batch_op.add_column(sa.Column("streak_broken", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("streak_broken_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("streak_repaired_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("hide_streak", sa.Boolean(), nullable=False, server_default="0"))
    with op.batch_alter_table("daily_totals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_dials", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("showed_up", sa.Boolean(), nullable=False, server_default="0"))
    op.create_table(
        "time_off",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_time_off_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_off")),
    )
    op.create_index("ix_time_off_user_last_day", "time_off", ["user_id", "last_day"], unique=False)

    # Every rep's minimum: min(10, their dial goal or the default goal).
    goal = f"COALESCE(goal_dials, {DEFAULT_GOAL})"
    op.execute(f"UPDATE users SET min_dials = {_smaller(goal, DEFAULT_MINIMUM)}")
    # Every day row's minimum, as it would have stood: min(10, that day's dial target).
    target = (
        "COALESCE(dial_target, (SELECT users.goal_dials FROM users WHERE users.id = daily_totals.user_id), "
        f"{DEFAULT_GOAL})"
    )
    op.execute(f"UPDATE daily_totals SET min_dials = {_smaller(target, DEFAULT_MINIMUM)}")
    # Showed up: the goal met (so every day that counted still counts), or the minimum reached.
    op.execute("UPDATE daily_totals SET showed_up = (goal_met OR dials >= min_dials)")


def downgrade():
    op.drop_index("ix_time_off_user_last_day", table_name="time_off")
    op.drop_table("time_off")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not batch mode's copy: see upgrade().
    for column in ("showed_up", "min_dials"):
        op.drop_column("daily_totals", column)
    for column in ("hide_streak", "streak_repaired_on", "streak_broken_on", "streak_broken", "min_dials"):
        op.drop_column("users", column)
