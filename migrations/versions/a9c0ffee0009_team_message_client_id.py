"""team messages: the client id a post is sent with, so a retried post is stored once

Revision ID: a9c0ffee0009
Revises: b6c0ffee0016
Create Date: 2026-12-01 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a9c0ffee0009"
down_revision = "b6c0ffee0016"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN and CREATE INDEX: no table copy on SQLite. Older posts keep NULL, which repeats freely.
    op.add_column("team_messages", sa.Column("client_id", sa.Uuid(), nullable=True))
    op.create_index("ux_team_messages_user_client", "team_messages", ["user_id", "client_id"], unique=True)


def downgrade():
    op.drop_index("ux_team_messages_user_client", table_name="team_messages")
    with op.batch_alter_table("team_messages", schema=None) as batch_op:
        batch_op.drop_column("client_id")
