"""Alembic environment: the store opens a connection and passes it in (see database.migrate)."""

from alembic import context

from sanctionwatch.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
