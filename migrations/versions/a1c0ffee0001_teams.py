"""teams: membership, invites, feed, high-fives, challenges, TV links

Revision ID: a1c0ffee0001
Revises: f80b3ba0c240
Create Date: 2026-11-27 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c0ffee0001'
down_revision = 'f80b3ba0c240'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
