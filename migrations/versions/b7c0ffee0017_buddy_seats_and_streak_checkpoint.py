"""buddy seats (one buddy at a time, held by the database) and the buddy streak's checkpoint

Revision ID: b7c0ffee0017
Revises: b2c0ffee0012
Create Date: 2026-12-01 19:00:00

Each rep in an active pairing holds one seat (the user id is the key), so two
accepts racing cannot pair anyone twice. Existing active pairs take their
seats newest first; an older active pair of someone already seated (only a
race could have made one) is ended. The buddy streak keeps a checkpoint like
the rep's own streak: settled through ``streak_as_of``, the last days replayed.

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7c0ffee0017"
down_revision = "b2c0ffee0012"
branch_labels = None
depends_on = None

CHECKPOINT_COUNTERS = ("streak_current", "streak_longest", "streak_freezes", "streak_toward_freeze", "streak_broken")


def upgrade():
    op.create_table(
        "buddy_seats",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("pair_id", sa.Integer(), sa.ForeignKey("buddy_pairs.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_buddy_seats_pair_id", "buddy_seats", ["pair_id"])
    op.add_column("buddy_pairs", sa.Column("streak_as_of", sa.Date(), nullable=True))
    for name in CHECKPOINT_COUNTERS:
        op.add_column("buddy_pairs", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("buddy_pairs", sa.Column("streak_broken_on", sa.Date(), nullable=True))
    op.add_column("buddy_pairs", sa.Column("streak_repaired_on", sa.Date(), nullable=True))

    connection = op.get_bind()
    pairs = connection.execute(
        sa.text("SELECT id, inviter_id, invitee_id FROM buddy_pairs WHERE status = 'active' ORDER BY id DESC")
    ).all()
    seated: set[int] = set()
    for pair_id, inviter_id, invitee_id in pairs:
        if inviter_id in seated or invitee_id in seated:
            connection.execute(
                sa.text("UPDATE buddy_pairs SET status = 'ended', ended_at = CURRENT_TIMESTAMP WHERE id = :id"),
                {"id": pair_id},
            )
            continue
        for user_id in (inviter_id, invitee_id):
            connection.execute(
                sa.text("INSERT INTO buddy_seats (user_id, pair_id) VALUES (:user_id, :pair_id)"),
                {"user_id": user_id, "pair_id": pair_id},
            )
            seated.add(user_id)


def downgrade():
    for name in ("streak_repaired_on", "streak_broken_on", *reversed(CHECKPOINT_COUNTERS), "streak_as_of"):
        op.drop_column("buddy_pairs", name)
    op.drop_index("ix_buddy_seats_pair_id", table_name="buddy_seats")
    op.drop_table("buddy_seats")
