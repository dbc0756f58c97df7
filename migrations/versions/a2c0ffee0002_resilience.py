"""resilience: call reviews, tough calls, resets, hourly aggregates

Revision ID: a2c0ffee0002
Revises: a1c0ffee0001
Create Date: 2026-11-27 00:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a2c0ffee0002"
down_revision = "a1c0ffee0001"
branch_labels = None
depends_on = None

_OBJECTIONS = ("no_budget", "bad_timing", "too_busy", "not_decision_maker", "happy_with_provider", "other")
_TOGGLES = ("asked_right_questions", "listened_actively", "timing_right")


def upgrade():
    op.create_table(
        "call_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("asked_right_questions", sa.Boolean(), nullable=True),
        sa.Column("listened_actively", sa.Boolean(), nullable=True),
        sa.Column("timing_right", sa.Boolean(), nullable=True),
        sa.Column("objection", sa.String(length=30), nullable=True),
        sa.Column("next_time", sa.String(length=140), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_call_reviews_call_id_calls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_call_reviews_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_reviews")),
        sa.UniqueConstraint("call_id", name=op.f("uq_call_reviews_call_id")),
    )
    with op.batch_alter_table("call_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_reviews_user_id"), ["user_id"], unique=False)

    op.create_table(
        "review_weeks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in _OBJECTIONS],
        *[
            sa.Column(f"{toggle}_{part}", sa.Integer(), nullable=False)
            for toggle in _TOGGLES
            for part in ("yes", "answered")
        ],
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_review_weeks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "week_start", name=op.f("pk_review_weeks")),
    )

    op.create_table(
        "tough_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_tough_calls_call_id_calls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tough_calls_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tough_calls")),
        sa.UniqueConstraint("call_id", name=op.f("uq_tough_calls_call_id")),
    )
    with op.batch_alter_table("tough_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tough_calls_user_id"), ["user_id"], unique=False)

    op.create_table(
        "resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_resets_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resets")),
    )
    with op.batch_alter_table("resets", schema=None) as batch_op:
        batch_op.create_index("ix_resets_user_day", ["user_id", "local_date"], unique=False)

    op.create_table(
        "hourly_activity",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("dials", sa.Integer(), nullable=False),
        sa.Column("conversations", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_hourly_activity_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "weekday", "hour", name=op.f("pk_hourly_activity")),
    )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reset_after_nos", sa.Integer(), nullable=False, server_default="3"))

    # Calls logged before this migration: fill the hour-of-week aggregate from them, once.
    # The hour is read in UTC here (SQL has no portable timezone conversion); later taps
    # are filed by the rep's own local hour.
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        weekday, hour = "(EXTRACT(ISODOW FROM occurred_at)::int - 1)", "EXTRACT(HOUR FROM occurred_at)::int"
    else:
        weekday, hour = (
            "((CAST(strftime('%w', occurred_at) AS INTEGER) + 6) % 7)",
            "CAST(strftime('%H', occurred_at) AS INTEGER)",
        )
    op.execute(
        "INSERT INTO hourly_activity (user_id, weekday, hour, dials, conversations) "
        f"SELECT user_id, {weekday}, {hour}, COUNT(*), "
        "SUM(CASE WHEN outcome IN ('conversation', 'follow_up', 'meeting', 'sale') THEN 1 ELSE 0 END) "
        f"FROM calls WHERE undone_at IS NULL GROUP BY user_id, {weekday}, {hour}"
    )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("reset_after_nos")
    op.drop_table("hourly_activity")
    with op.batch_alter_table("resets", schema=None) as batch_op:
        batch_op.drop_index("ix_resets_user_day")
    op.drop_table("resets")
    with op.batch_alter_table("tough_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tough_calls_user_id"))
    op.drop_table("tough_calls")
    op.drop_table("review_weeks")
    with op.batch_alter_table("call_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_reviews_user_id"))
    op.drop_table("call_reviews")
