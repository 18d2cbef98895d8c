"""Ambiente Alembic di cer-docs.

Di norma le migrazioni partono da ``cer_docs.store.engine.migrate`` che passa la propria
connessione in ``config.attributes["connection"]``. Per creare una migrazione nuova::

    CER_DOCS_DATA_DIR=/tmp/cer-dev .venv/bin/alembic -c cer_docs/store/alembic.ini revision --autogenerate -m "..."

poi rileggila (tipi, nomi dei vincoli, dati da spostare) prima di salvarla.
"""

from __future__ import annotations

from alembic import context

from cer_docs.store import tables  # noqa: F401  (registra tutte le tabelle nei metadati)
from cer_docs.store.cifratura import ByteCifrati, TestoCifrato
from cer_docs.store.tables import UTCDateTime, metadata

config = context.config
target_metadata = metadata


def _render_item(type_: str, obj, autogen_context):  # noqa: ANN001
    # le migrazioni non dipendono dai tipi del codice: UTCDateTime si scrive come il tipo SQL che è
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, TestoCifrato):
        return "sa.Text()"
    if type_ == "type" and isinstance(obj, ByteCifrati):
        return "sa.LargeBinary()"
    return False


def _configure(**kw) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite non sa fare ALTER: le migrazioni ricreano la tabella
        compare_type=True,
        render_item=_render_item,
        **kw,
    )


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    _configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return

    # uso da riga di comando (alembic -c cer_docs/store/alembic.ini ...)
    if config.config_file_name is not None:
        from logging.config import fileConfig

        fileConfig(config.config_file_name)
    from cer_docs.store.engine import create_store_engine
    from cer_docs.store.settings import load_settings

    engine = create_store_engine(config.get_main_option("sqlalchemy.url") or load_settings().database_url)
    try:
        with engine.connect() as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
