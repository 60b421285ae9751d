"""The database: raw inbox, registrations, audit log, outbox, mailbox cursors (SQLAlchemy 2)."""
