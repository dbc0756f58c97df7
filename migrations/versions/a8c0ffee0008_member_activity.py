"""team members: an activity counter of their own, so taps never queue on the team's row

Revision ID: a8c0ffee0008
Revises: a7c0ffee0007
Create Date: 2026-12-01 16:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a8c0ffee0008"
down_revision = "a7c0ffee0007"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN with a literal default: SQLite adds it in place, no table copy.
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activity", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_column("activity")
