"""Initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 07:16:26.427163
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("inbox_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("registration_ref", sa.String(length=16), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_event"), ["event"], unique=False)

    op.create_table(
        "events",
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("meetings_snapshot", sa.JSON(), nullable=True),
        sa.Column("last_digest_at", store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("digest_day", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "failing_addresses",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email"),
    )
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=255), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=255), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=True),
        sa.Column("received_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("stored_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("intent", sa.String(length=16), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("parsed", sa.JSON(), nullable=True),
        sa.Column("processed_at", store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_inbox_position"),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_message_id"), ["message_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_status"), ["status"], unique=False)

    op.create_table(
        "mailbox_cursors",
        sa.Column("mailbox", sa.String(length=255), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("last_uid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mailbox"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("created_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=True),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("registration_ref", sa.String(length=16), nullable=True),
        sa.Column("inbox_id", sa.Integer(), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("updated_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("message_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_event"), ["event"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_recipient"), ["recipient"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("created_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("inbox_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("registration_ref", sa.String(length=16), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolved_at", store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_event"), ["event"], unique=False)

    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("org_kind", sa.String(length=32), nullable=True),
        sa.Column("org_code", sa.String(length=16), nullable=True),
        sa.Column("org_name", sa.String(length=255), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=True),
        sa.Column("diet", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("registered_by", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("replaces", sa.String(length=16), nullable=True),
        sa.Column("source_message_id", sa.String(length=998), nullable=True),
        sa.Column("requested", sa.JSON(), nullable=True),
        sa.Column("pending_question", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["event"],
            ["events.slug"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event", "ref", name="uq_registration_ref"),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registrations_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_registrations_event"), ["event"], unique=False)

    op.create_table(
        "seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("meeting", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("since", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("registration_id", "meeting", name="uq_seat"),
    )


def downgrade() -> None:
    op.drop_table("seats")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registrations_event"))
        batch_op.drop_index(batch_op.f("ix_registrations_email"))

    op.drop_table("registrations")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_event"))

    op.drop_table("reviews")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_recipient"))
        batch_op.drop_index(batch_op.f("ix_outbox_event"))
        batch_op.drop_index(batch_op.f("ix_outbox_created_at"))

    op.drop_table("outbox")
    op.drop_table("mailbox_cursors")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_status"))
        batch_op.drop_index(batch_op.f("ix_inbox_message_id"))

    op.drop_table("inbox")
    op.drop_table("failing_addresses")
    op.drop_table("events")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_event"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
