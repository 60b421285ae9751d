"""Everything that touches the world: settings, Celery, mailboxes, delivery, the CLI."""
