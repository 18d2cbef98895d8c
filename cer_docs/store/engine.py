"""Motore del database e migrazioni.

``get_engine()`` apre (una volta per processo e per URL) il database indicato dalle
impostazioni e lo porta all'ultima migrazione: una cartella dati nuova funziona subito.
"""

from __future__ import annotations

import atexit
import os
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool

from .settings import Settings, load_settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
# chiave dell'advisory lock di PostgreSQL che serializza le migrazioni tra processi
_PG_MIGRATION_LOCK = 0x0CE2D0C5

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


class ErroreDatabase(Exception):
    """Il database non si può aprire o aggiornare; il messaggio è per una persona."""


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")  # sicuro con WAL
        cur.execute("PRAGMA secure_delete=ON")  # i dati cancellati si azzerano nel file (GDPR, issue 15)
    finally:
        cur.close()


def create_store_engine(url: str, **kwargs) -> Engine:
    """Crea il motore: SQLite con WAL, chiavi esterne e attesa sui lock; altrimenti l'URL com'è."""
    try:
        u = make_url(url)
    except sa.exc.ArgumentError:
        raise ErroreDatabase(f"l'indirizzo del database non è valido: controlla CER_DOCS_DATABASE_URL ({url!r})") from None
    if u.get_backend_name() == "sqlite":
        args = {"connect_args": {"check_same_thread": False}}
        if u.database in (None, "", ":memory:"):
            args["poolclass"] = StaticPool
        else:
            file_db = Path(u.database).expanduser()
            cartella = file_db.parent
            try:
                cartella.mkdir(parents=True, exist_ok=True, mode=0o700)
                if not file_db.exists():
                    # il database contiene dati personali: lo crea leggibile solo dal proprietario (0600);
                    # SQLite dà ai file -wal e -shm gli stessi permessi
                    os.close(os.open(file_db, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
            except FileExistsError:
                pass
            except OSError as e:
                from cer_docs.sicurezza.sistema import messaggio_os

                raise ErroreDatabase(f"non posso creare la cartella dati: {messaggio_os(e, cartella)}; "
                                     "scegline un'altra con CER_DOCS_DATA_DIR") from None
        args.update(kwargs)
        engine = sa.create_engine(u, **args)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return sa.create_engine(u, pool_pre_ping=True, **kwargs)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as e:
        consiglio = ("scrivi 'postgresql+psycopg://' al posto di 'postgres://'" if u.drivername == "postgres"
                     else "cer-docs usa SQLite (sqlite:///percorso/del/file.db) o PostgreSQL "
                          "(postgresql+psycopg://utente@host/database)")
        raise ErroreDatabase(f"il database {u.render_as_string(hide_password=True)!r} non è utilizzabile: "
                             f"{consiglio}; controlla CER_DOCS_DATABASE_URL") from None


# alembic si carica solo quando si apre un database (migrate): un comando che lavora su un file
# (cer-docs genera, verifica) non lo paga all'avvio
def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return cfg


def head_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def current_revisions_safe(engine: Engine) -> set[str]:
    try:
        return current_revisions(engine)
    except sa.exc.SQLAlchemyError:
        return set()


def migrate(engine: Engine) -> None:
    """Porta il database all'ultima migrazione (``upgrade head``); non fa nulla se è già lì.

    Su PostgreSQL un advisory lock e su SQLite ``BEGIN IMMEDIATE`` impediscono a due
    processi di migrare insieme. Su SQLite le chiavi esterne sono spente durante la
    migrazione: le migrazioni batch ricreano le tabelle e un DROP con ON DELETE CASCADE
    attivo cancellerebbe gli eventi.
    """
    from alembic import command

    cfg = alembic_config()
    if current_revisions(engine) == head_revisions():
        return
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        try:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # fuori da ogni transazione, o non ha effetto
                conn.commit()
            with conn.begin():
                if sqlite:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                elif engine.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if sqlite:
                    rotte = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if rotte:
                        raise ErroreDatabase(f"la migrazione lascerebbe riferimenti rotti: {rotte[:5]}")
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def open_engine(url: str) -> Engine:
    """Motore pronto all'uso (migrato), condiviso nel processo per lo stesso URL."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = create_store_engine(url)
            try:
                migrate(engine)
            except sa.exc.OperationalError as e:
                engine.dispose()
                raise ErroreDatabase(_messaggio_connessione(engine, e)) from None
            except Exception as e:
                from alembic.util.exc import CommandError

                engine.dispose()
                if not isinstance(e, CommandError):
                    raise
                raise ErroreDatabase(
                    f"il database {engine.url.render_as_string(hide_password=True)!r} è stato aggiornato da una "
                    f"versione di cer-docs più recente di questa (revisioni {sorted(current_revisions_safe(engine))}): "
                    "aggiorna cer-docs prima di usarlo") from None
            except BaseException:
                engine.dispose()
                raise
            # a fine processo le connessioni si chiudono: con SQLite l'ultima chiusura riporta il
            # giornale (-wal) nel file del database, che da solo contiene tutto (una copia del solo
            # file è completa). Vale anche per l'uscita rapida del comando (cli._esci_subito).
            if not _chiusura_registrata:
                _registra_chiusura()
            _engines[url] = engine
        return engine


def get_engine(settings: Settings | None = None) -> Engine:
    return open_engine((settings or load_settings()).database_url)


_chiusura_registrata = False


def _registra_chiusura() -> None:
    global _chiusura_registrata
    atexit.register(dispose_engines)
    _chiusura_registrata = True


def dispose_engines() -> None:
    """Chiude tutti i motori aperti (test, fine processo)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _messaggio_connessione(engine: Engine, e: Exception) -> str:
    dove = engine.url.render_as_string(hide_password=True)
    if engine.dialect.name == "sqlite":
        dettaglio = str(getattr(e, "orig", e)).lower()
        if "disk is full" in dettaglio:
            return f"disco pieno: il database {engine.url.database!r} non può essere aggiornato. Libera spazio e riprova"
        if "readonly" in dettaglio or "read-only" in dettaglio:
            return (f"il database {engine.url.database!r} è in sola lettura: controlla i permessi della cartella "
                    "dati (CER_DOCS_DATA_DIR) o usane un'altra")
        return (f"il database {engine.url.database!r} non si può aprire: controlla che la cartella sia "
                f"scrivibile e su un disco locale")
    return f"il database {dove!r} non è raggiungibile: controlla CER_DOCS_DATABASE_URL e che il server sia attivo"
