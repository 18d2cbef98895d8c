"""Interrogazioni sulla tabella ``lavoro``: accodare, prendere con affitto, rinnovare, chiudere.

Le transazioni le apre chi chiama (``cer_docs.services.lavori``). Ogni scrittura di un esecutore
porta la sua «firma» (``esecutore`` e numero del tentativo): se l'affitto è scaduto e un altro
esecutore ha ripreso il lavoro, le scritture del primo non toccano più nulla.

Presa di un lavoro: una sola istruzione ``UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING``.
Su PostgreSQL la sottoselezione usa ``FOR UPDATE SKIP LOCKED``: più esecutori, su più macchine,
prendono lavori diversi senza aspettarsi; su SQLite l'istruzione è comunque atomica (un solo
scrittore alla volta).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .tables import utcnow
from .tables_lavori import STATI_ATTIVI, LavoroRecord

T = LavoroRecord.__table__


def adesso(conn: Connection) -> dt.datetime:
    """L'ora di riferimento degli affitti: quella del server PostgreSQL (una sola per tutte le
    macchine), o quella locale con SQLite (un solo computer)."""
    if conn.dialect.name == "postgresql":
        valore = conn.execute(sa.select(sa.func.now())).scalar_one()
        return valore.astimezone(dt.timezone.utc)
    return utcnow()


def accoda(conn: Connection, valori: dict[str, Any]) -> int:
    return int(conn.execute(sa.insert(T).values(**valori).returning(T.c.id)).scalar_one())


def leggi(conn: Connection, lavoro_id: int) -> sa.Row | None:
    return conn.execute(sa.select(T).where(T.c.id == lavoro_id)).first()


def ultimo(conn: Connection, pratica_id: int, tipo: str) -> sa.Row | None:
    stmt = sa.select(T).where(T.c.pratica_id == pratica_id, T.c.tipo == tipo).order_by(T.c.id.desc()).limit(1)
    return conn.execute(stmt).first()


def attivo(conn: Connection, pratica_id: int) -> sa.Row | None:
    return conn.execute(sa.select(T).where(T.c.pratica_id == pratica_id, T.c.stato.in_(STATI_ATTIVI))).first()


def posizione(conn: Connection, lavoro_id: int) -> int:
    """Quanti lavori in coda vengono prima di questo (0 = è il prossimo)."""
    stmt = sa.select(sa.func.count()).select_from(T).where(T.c.stato == "in_coda", T.c.id < lavoro_id)
    return int(conn.execute(stmt).scalar_one())


def prendi(conn: Connection, esecutore: str, affitto: dt.timedelta) -> sa.Row | None:
    """Prende il lavoro più vecchio in coda, o uno in corso il cui affitto è scaduto (l'esecutore
    è morto): lo segna in corso a nome di ``esecutore`` fino ad ``adesso + affitto``."""
    ora = adesso(conn)
    prendibile = sa.or_(T.c.stato == "in_coda", sa.and_(T.c.stato == "in_corso", T.c.scade_il < ora))
    if conn.execute(sa.select(T.c.id).where(prendibile).limit(1)).first() is None:
        return None  # coda vuota: nessuna scrittura (su SQLite un UPDATE prenderebbe comunque il lock)
    scelta = sa.select(T.c.id).where(prendibile).order_by(T.c.id).limit(1)
    if conn.dialect.name == "postgresql":
        scelta = scelta.with_for_update(skip_locked=True)
    stmt = (sa.update(T).where(T.c.id == scelta.scalar_subquery(), prendibile)
            .values(stato="in_corso", esecutore=esecutore, scade_il=ora + affitto, tentativi=T.c.tentativi + 1,
                    iniziato_il=sa.func.coalesce(T.c.iniziato_il, ora))
            .returning(*T.c))
    return conn.execute(stmt).first()


def _mio(lavoro_id: int, esecutore: str, tentativo: int) -> sa.ColumnElement[bool]:
    return sa.and_(T.c.id == lavoro_id, T.c.esecutore == esecutore, T.c.tentativi == tentativo,
                   T.c.stato == "in_corso")


def rinnova(conn: Connection, lavoro_id: int, esecutore: str, tentativo: int, affitto: dt.timedelta,
            avanzamento: dict[str, Any] | None = None) -> sa.Row | None:
    """Allunga l'affitto (e scrive l'avanzamento); ``None`` se il lavoro non è più di questo esecutore.
    Restituisce la riga con ``annulla``: chi esegue si ferma se qualcuno ha chiesto di annullare."""
    ora = adesso(conn)
    stmt = (sa.update(T).where(_mio(lavoro_id, esecutore, tentativo))
            .values(scade_il=ora + affitto, **(avanzamento or {})).returning(T.c.annulla))
    return conn.execute(stmt).first()


def chiudi(conn: Connection, lavoro_id: int, esecutore: str, tentativo: int, stato: str, **valori: Any) -> bool:
    """Stato finale (o di nuovo ``in_coda``) se il lavoro è ancora di questo esecutore."""
    ora = adesso(conn)
    extra = {"finito_il": ora} if stato not in STATI_ATTIVI else {"esecutore": None}
    stmt = (sa.update(T).where(_mio(lavoro_id, esecutore, tentativo))
            .values(stato=stato, scade_il=None, **extra, **valori))
    return conn.execute(stmt).rowcount == 1


def annulla_in_coda(conn: Connection, lavoro_id: int) -> bool:
    ora = adesso(conn)
    stmt = (sa.update(T).where(T.c.id == lavoro_id, T.c.stato == "in_coda")
            .values(stato="annullato", annulla=True, finito_il=ora))
    return conn.execute(stmt).rowcount == 1


def chiedi_annullamento(conn: Connection, lavoro_id: int) -> bool:
    stmt = sa.update(T).where(T.c.id == lavoro_id, T.c.stato == "in_corso").values(annulla=True)
    return conn.execute(stmt).rowcount == 1


def conta_per_stato(conn: Connection) -> dict[str, int]:
    righe = conn.execute(sa.select(T.c.stato, sa.func.count()).group_by(T.c.stato)).all()
    return {r[0]: int(r[1]) for r in righe}


def battiti_da_stdin() -> None:
    """Il processo del battito di ``cer-docs worker`` (vedi ``services.lavori._BattitoInProcesso``):
    legge dallo stdin «id tentativo» (lavoro iniziato) o «-» (finito) e intanto rinnova l'affitto
    ogni terzo della sua durata; finisce quando lo stdin si chiude (l'esecutore non c'è più)."""
    import select
    import sys

    from .engine import create_store_engine

    nome, secondi = sys.argv[1], float(sys.argv[2])
    engine = create_store_engine(os.environ["CER_DOCS_DATABASE_URL"])
    affitto = dt.timedelta(seconds=secondi)
    os.write(1, b"pronto\n")
    corrente: tuple[int, int] | None = None
    resto = b""
    try:
        while True:
            pronti, _, _ = select.select([0], [], [], secondi / 3)
            if pronti:
                dati = os.read(0, 4096)
                if not dati:
                    return  # l'esecutore non c'è più
                resto += dati
                *righe, resto = resto.split(b"\n")
                for riga in righe:
                    parti = riga.split()
                    corrente = (int(parti[0]), int(parti[1])) if len(parti) == 2 else None
                continue
            if corrente is None:
                continue
            try:
                with engine.begin() as conn:
                    if rinnova(conn, corrente[0], nome, corrente[1], affitto) is None:
                        corrente = None
            except sa.exc.SQLAlchemyError:
                pass  # il database tornerà: al prossimo giro si riprova
    finally:
        engine.dispose()
