"""users: a colour theme (system, light or dark) and the last high-five received that Today has shown

Revision ID: b5c0ffee0015
Revises: a9c0ffee0009
Create Date: 2026-12-01 17:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5c0ffee0015"
down_revision = "a9c0ffee0009"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs with literal defaults: SQLite adds them in place, with no copy of users.
    op.add_column("users", sa.Column("theme", sa.String(length=10), nullable=False, server_default="system"))
    op.add_column("users", sa.Column("high_fives_seen_id", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    op.drop_column("users", "high_fives_seen_id")
    op.drop_column("users", "theme")
