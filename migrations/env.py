"""Alembic environment, driven by Flask-Migrate (``pokja db upgrade``)."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from pokja.models.base import UTCDateTime

config = context.config
# Keep the application's loggers (and pytest's capture) working after migrations run.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def render_item(type_, obj, autogen_context):
    """Write our UTC timestamp type as the plain SQL type it stores, so migrations do not
    import application code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # Do not write an empty migration when nothing changed.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)

    with target_db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations on SQLite copy a table and drop the original; with foreign keys
            # enforced, dropping a referenced table (pokjas) fails on any database that has
            # data. The pragma is a no-op inside a transaction, so it goes to the raw
            # connection before SQLAlchemy begins one, and is restored afterwards.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        else:
            # The app's request bounds (POKJA_DB_STATEMENT_TIMEOUT_MS, lock timeout) are
            # connection options; a migration is run on purpose and may rewrite every case
            # (0012 back-fills their clock settings): it runs unbounded.
            connection.exec_driver_sql("SET statement_timeout = 0")
            connection.exec_driver_sql("SET lock_timeout = 0")
            connection.commit()
        try:
            context.configure(
                connection=connection, target_metadata=target_db.metadata, **conf_args
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
