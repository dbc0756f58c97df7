"""resilience: call reviews, tough calls, resets, hourly aggregates

Revision ID: a2c0ffee0002
Revises: a1c0ffee0001
Create Date: 2026-11-27 00:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2c0ffee0002'
down_revision = 'a1c0ffee0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
