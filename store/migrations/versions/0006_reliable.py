"""Durable delivery schedule: next attempt and lease on outbox rows; one clock origin for every process

Revision ID: 0006_reliable
Revises: 0002
Create Date: 2026-12-03 07:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0006_reliable"
down_revision = "0004_sec_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_attempt_at", store.tables.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("claimed_until", store.tables.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("handed_over_at", store.tables.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_outbox_next_attempt_at"), ["next_attempt_at"], unique=False)
    # Rows waiting before the upgrade are due at once; their schedule lived only in the broker.
    op.execute(
        "UPDATE outbox SET next_attempt_at = updated_at "
        "WHERE status IN ('queued', 'awaiting_retry', 'inflight')"
    )
    op.create_table(
        "clock_origin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("real_start", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("shifted_start", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("clock_origin")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_next_attempt_at"))
        batch_op.drop_column("handed_over_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("next_attempt_at")
