"""Errori tecnici (database, disco) detti in italiano, per CLI e interfaccia.

Un database in sola lettura, un PostgreSQL irraggiungibile o un disco pieno non sono errori di
programma: chi usa cer-docs riceve una frase che dice cosa succede e cosa fare, mai un traceback.
"""

from __future__ import annotations

import sqlalchemy.exc as sa_exc

from cer_docs.sicurezza.sistema import messaggio_os
from cer_docs.store.engine import ErroreDatabase

__all__ = ["ErroreDatabase", "messaggio_tecnico", "messaggio_os"]


def _testo_db(e: BaseException) -> str:
    return str(getattr(e, "orig", None) or e).lower()


def messaggio_tecnico(e: BaseException) -> str | None:
    """La frase italiana per un errore tecnico noto, oppure None se ``e`` non è un errore tecnico."""
    if isinstance(e, ErroreDatabase):
        testo = str(e)
        if "disk is full" in testo.lower() or "disk full" in testo.lower():
            return ("disco pieno: il database non può salvare. Libera spazio sul disco e riprova "
                    "(nulla è stato salvato a metà)")
        return testo
    if isinstance(e, sa_exc.SQLAlchemyError):
        t = _testo_db(e)
        if "disk is full" in t or "no space left" in t or "could not extend file" in t:
            return ("disco pieno: il database non può salvare. Libera spazio sul disco e riprova "
                    "(nulla è stato salvato a metà)")
        if "readonly" in t or "read-only" in t or "read only" in t:
            return ("il database è in sola lettura: controlla i permessi della cartella dati "
                    "(CER_DOCS_DATA_DIR) o usa un'altra cartella")
        if "unable to open database" in t:
            return ("il database non si può aprire: controlla che la cartella dati (CER_DOCS_DATA_DIR) esista "
                    "e sia scrivibile")
        if "locked" in t or "busy" in t:
            return "il database è occupato da un'altra operazione: riprova tra qualche istante"
        if isinstance(e, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            return ("il database non è raggiungibile: controlla CER_DOCS_DATABASE_URL e che il server sia attivo, "
                    "poi riprova")
        return "il database non ha risposto come previsto: riprova, e se il problema resta avvisa l'assistenza"
    if isinstance(e, OSError):
        return messaggio_os(e)
    return None
