"""the daily huddle and call buddies

Revision ID: b1c0ffee0011
Revises: b3c0ffee0013
Create Date: 2026-12-01 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b1c0ffee0011"
down_revision = "b3c0ffee0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "huddle_settings",
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("at", sa.Time(), nullable=False),
        sa.Column("prompt", sa.String(80), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "huddle_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("prompt", sa.String(80), nullable=False),
        sa.Column("body", sa.String(140), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "user_id", "day"),
    )
    op.create_index("ix_huddle_answers_team_day", "huddle_answers", ["team_id", "day"])
    op.create_table(
        "huddle_high_fives",
        sa.Column("answer_id", sa.Integer(), sa.ForeignKey("huddle_answers.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("giver_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "buddy_pairs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("inviter_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("invitee_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("last_nudge_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_buddy_pairs_inviter_status", "buddy_pairs", ["inviter_id", "status"])
    op.create_index("ix_buddy_pairs_invitee_status", "buddy_pairs", ["invitee_id", "status"])


def downgrade():
    op.drop_table("buddy_pairs")
    op.drop_table("huddle_high_fives")
    op.drop_table("huddle_answers")
    op.drop_table("huddle_settings")
