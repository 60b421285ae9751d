"""Each stored message knows the event it was routed to (several events may share a folder)

Revision ID: 0008_inbox_event
Revises: 0007_outbox_decided
Create Date: 2026-12-03 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_inbox_event"
down_revision = "0007_outbox_decided"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_inbox_event", ["event"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_event")
        batch_op.drop_column("event")
