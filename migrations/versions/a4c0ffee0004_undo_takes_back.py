"""undo takes back what a call earned: the day a review's points went to, members removed from a team

Revision ID: a4c0ffee0004
Revises: a3c0ffee0003
Create Date: 2026-12-01 15:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a4c0ffee0004"
down_revision = "a3c0ffee0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("call_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credited_on", sa.Date(), nullable=True))
    # Reviews were written for today's or yesterday's calls: their points went to the call's day.
    op.execute(
        "UPDATE call_reviews SET credited_on = (SELECT local_date FROM calls WHERE calls.id = call_reviews.call_id)"
    )
    # Points of reviews whose call was undone stayed on the board: take them back, once.
    undone_review_points = (
        "SELECT coalesce(sum(r.points), 0) FROM call_reviews r JOIN calls c ON c.id = r.call_id "
        "WHERE c.undone_at IS NOT NULL AND r.points > 0 AND r.user_id = {owner}"
    )
    op.execute("UPDATE users SET xp = xp - (" + undone_review_points.format(owner="users.id") + ")")
    op.execute(
        "UPDATE daily_totals SET points = points - ("
        + undone_review_points.format(owner="daily_totals.user_id")
        + " AND r.credited_on = daily_totals.local_date)"
    )
    op.execute(
        "UPDATE call_reviews SET points = 0 WHERE points > 0 AND call_id IN "
        "(SELECT id FROM calls WHERE undone_at IS NOT NULL)"
    )
    op.create_table(
        "team_removals",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_removals_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_team_removals_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_team_removals")),
    )


def downgrade():
    op.drop_table("team_removals")
    with op.batch_alter_table("call_reviews", schema=None) as batch_op:
        batch_op.drop_column("credited_on")
