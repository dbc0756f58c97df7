"""running it for a company: instance admins, accounts switched off, an audit log, instance settings, weekly emails

Revision ID: b3c0ffee0013
Revises: a8c0ffee0008
Create Date: 2026-12-01 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3c0ffee0013"
down_revision = "a8c0ffee0008"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs with literal defaults: SQLite adds them in place, and "users" is never copied
    # (dropping the old table in a batch copy would cascade-delete every row that points at a rep).
    op.add_column("users", sa.Column("is_admin", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("users", sa.Column("deactivated_at", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("weekly_email", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("users", sa.Column("weekly_email_sent_for", sa.Date(), nullable=True))
    op.create_table(
        "admin_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=254), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_admin_actions_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["users.id"], name=op.f("fk_admin_actions_target_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_actions")),
    )
    op.create_index("ix_admin_actions_created_at", "admin_actions", ["created_at"], unique=False)
    op.create_table(
        "instance_settings",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_instance_settings")),
    )


def downgrade():
    op.drop_table("instance_settings")
    op.drop_index("ix_admin_actions_created_at", table_name="admin_actions")
    op.drop_table("admin_actions")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not batch mode's copy of users, which would
    # take every row that references a user with it (ON DELETE CASCADE).
    for column in ("weekly_email_sent_for", "weekly_email", "deactivated_at", "is_admin"):
        op.drop_column("users", column)
