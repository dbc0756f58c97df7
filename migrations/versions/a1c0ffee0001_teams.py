"""teams: membership, invites, feed, high-fives, challenges, TV links

Revision ID: a1c0ffee0001
Revises: f80b3ba0c240
Create Date: 2026-11-27 00:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a1c0ffee0001"
down_revision = "f80b3ba0c240"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tv_token_hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("tv_token_hash", name=op.f("uq_teams_tv_token_hash")),
    )
    op.create_table(
        "team_challenges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reached_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_team_challenges_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_challenges_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_challenges")),
    )
    with op.batch_alter_table("team_challenges", schema=None) as batch_op:
        batch_op.create_index("ix_team_challenges_team_ends", ["team_id", "ends_on"], unique=False)

    op.create_table(
        "team_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_team_invites_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_invites_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_team_invites_token_hash")),
    )
    with op.batch_alter_table("team_invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_invites_team_id"), ["team_id"], unique=False)

    op.create_table(
        "team_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("private_mode", sa.Boolean(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_members_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_team_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_team_members")),
    )
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.create_index("ix_team_members_team_role", ["team_id", "role"], unique=False)

    op.create_table(
        "team_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("body", sa.String(length=280), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_messages_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_team_messages_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_messages")),
    )
    with op.batch_alter_table("team_messages", schema=None) as batch_op:
        batch_op.create_index("ix_team_messages_team_created", ["team_id", "created_at"], unique=False)

    op.create_table(
        "high_fives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("win_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["users.id"], name=op.f("fk_high_fives_giver_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["team_messages.id"],
            name=op.f("fk_high_fives_message_id_team_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_high_fives_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["win_id"], ["wins.id"], name=op.f("fk_high_fives_win_id_wins"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_high_fives")),
        sa.UniqueConstraint("giver_id", "message_id", name=op.f("uq_high_fives_giver_id_message_id")),
        sa.UniqueConstraint("giver_id", "win_id", name=op.f("uq_high_fives_giver_id_win_id")),
    )
    with op.batch_alter_table("high_fives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_high_fives_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_high_fives_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_high_fives_win_id"), ["win_id"], unique=False)


def downgrade():
    with op.batch_alter_table("high_fives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_high_fives_win_id"))
        batch_op.drop_index(batch_op.f("ix_high_fives_team_id"))
        batch_op.drop_index(batch_op.f("ix_high_fives_message_id"))
    op.drop_table("high_fives")
    with op.batch_alter_table("team_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_team_messages_team_created")
    op.drop_table("team_messages")
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_index("ix_team_members_team_role")
    op.drop_table("team_members")
    with op.batch_alter_table("team_invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_invites_team_id"))
    op.drop_table("team_invites")
    with op.batch_alter_table("team_challenges", schema=None) as batch_op:
        batch_op.drop_index("ix_team_challenges_team_ends")
    op.drop_table("team_challenges")
    op.drop_table("teams")
