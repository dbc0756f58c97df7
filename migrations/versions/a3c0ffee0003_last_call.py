"""users: the latest call's time and outcome, for bounce backs without a query

Revision ID: a3c0ffee0003
Revises: a2c0ffee0002
Create Date: 2026-11-27 01:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3c0ffee0003"
down_revision = "a2c0ffee0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_call_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_call_outcome", sa.String(length=20), nullable=True))
    # Fill them from the calls already logged.
    op.execute(
        "UPDATE users SET last_call_at = (SELECT max(occurred_at) FROM calls "
        "WHERE calls.user_id = users.id AND calls.undone_at IS NULL)"
    )
    op.execute(
        "UPDATE users SET last_call_outcome = (SELECT calls.outcome FROM calls "
        "WHERE calls.user_id = users.id AND calls.occurred_at = users.last_call_at "
        "AND calls.undone_at IS NULL ORDER BY calls.id DESC LIMIT 1)"
    )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("last_call_outcome")
        batch_op.drop_column("last_call_at")
