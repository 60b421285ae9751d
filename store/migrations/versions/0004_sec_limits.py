"""Outbox thread, for the per-thread limit on automatic answers

Revision ID: 0004_sec_limits
Revises: 0002
Create Date: 2026-12-03 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sec_limits"
down_revision = "0003_sec_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread", sa.String(length=998), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_thread"), ["thread"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_thread"))
        batch_op.drop_column("thread")
