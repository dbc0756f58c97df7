"""users: the rep's own language and formats (none follows the browser)

Revision ID: b6c0ffee0016
Revises: b1c0ffee0011
Create Date: 2026-12-01 17:50:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b6c0ffee0016"
down_revision = "b1c0ffee0011"
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column: SQLite adds it in place, no table copy.
    op.add_column("users", sa.Column("locale", sa.String(length=16), nullable=True))


def downgrade():
    op.drop_column("users", "locale")
