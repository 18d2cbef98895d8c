"""Database di cer-docs: impostazioni, motore, tabelle, migrazioni, accesso ai dati.

SQLite in una cartella dati dell'utente per impostazione predefinita (WAL, chiavi esterne,
attesa sui lock), PostgreSQL se ``CER_DOCS_DATABASE_URL`` lo indica. Le migrazioni Alembic
(``migrations/``) partono da sole all'apertura. Solo ``cer_docs.services`` usa questo pacchetto.
"""

from .codec import decode_pratica, encode_pratica
from .engine import ErroreDatabase, create_store_engine, dispose_engines, get_engine, migrate, open_engine
from .settings import Settings, load_settings
from .tables import EventoRecord, PraticaRecord, TableBase, metadata, utcnow

__all__ = [
    "ErroreDatabase", "EventoRecord", "PraticaRecord", "Settings", "TableBase", "create_store_engine",
    "decode_pratica", "dispose_engines", "encode_pratica", "get_engine", "load_settings", "metadata",
    "migrate", "open_engine", "utcnow",
]
