"""Interrogazioni sulle tabelle; le transazioni le apre chi chiama (``cer_docs.services``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from .tables import EventoRecord, PraticaRecord


def find_pratica(session: Session, ref: str | int) -> PraticaRecord | None:
    """Per codice; un numero (o un testo di sole cifre che non è un codice) vale come id."""
    if isinstance(ref, int):
        return session.get(PraticaRecord, ref)
    row = session.exec(select(PraticaRecord).where(PraticaRecord.codice == ref)).first()
    if row is None and ref.isdigit() and len(ref) < 19:
        row = session.get(PraticaRecord, int(ref))
    return row


def find_by_codice(session: Session, codice: str) -> PraticaRecord | None:
    """Solo per codice: è la ricerca giusta quando si scrive."""
    return session.exec(select(PraticaRecord).where(PraticaRecord.codice == codice)).first()


def codice_exists(session: Session, codice: str) -> bool:
    return session.exec(select(PraticaRecord.id).where(PraticaRecord.codice == codice)).first() is not None


SUMMARY_COLUMNS = (
    PraticaRecord.id, PraticaRecord.codice, PraticaRecord.denominazione, PraticaRecord.stato,
    PraticaRecord.tipo_configurazione, PraticaRecord.numero_membri, PraticaRecord.version,
    PraticaRecord.created_at, PraticaRecord.updated_at,
)


def list_summaries(session: Session) -> list[sa.Row]:
    """Le righe dell'elenco, senza caricare i documenti."""
    return list(session.execute(sa.select(*SUMMARY_COLUMNS).order_by(PraticaRecord.codice)).all())


def add_event(session: Session, *, codice: str, pratica_id: int | None, quando: dt.datetime, autore: str,
              tipo: str, descrizione: str, dettagli: dict[str, Any] | None = None) -> EventoRecord:
    ev = EventoRecord(pratica_id=pratica_id, codice=codice, quando=quando, autore=autore, tipo=tipo,
                      descrizione=descrizione, dettagli=dettagli or {})
    session.add(ev)
    return ev


# Gli eventi si ordinano per id (ordine di scrittura), non per ``quando``: gli orologi di
# due postazioni possono non andare d'accordo.

def last_event(session: Session, pratica_id: int) -> EventoRecord | None:
    stmt = (select(EventoRecord).where(EventoRecord.pratica_id == pratica_id)
            .order_by(EventoRecord.id.desc()).limit(1))
    return session.exec(stmt).first()


def list_events(session: Session, codice: str) -> list[EventoRecord]:
    stmt = select(EventoRecord).where(EventoRecord.codice == codice).order_by(EventoRecord.id)
    return list(session.exec(stmt).all())
