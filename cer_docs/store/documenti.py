"""Interrogazioni sulla tabella ``documento_caricato``; le transazioni le apre chi chiama."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from .tables import DocumentoCaricatoRecord

# colonne dell'elenco: tutto tranne il contenuto
COLONNE_ELENCO = (
    DocumentoCaricatoRecord.id, DocumentoCaricatoRecord.pratica_id, DocumentoCaricatoRecord.nome_file,
    DocumentoCaricatoRecord.sha256, DocumentoCaricatoRecord.tipo, DocumentoCaricatoRecord.dimensione,
    DocumentoCaricatoRecord.caricato_il, DocumentoCaricatoRecord.autore, DocumentoCaricatoRecord.esito,
)


def add_documento(session: Session, documento: DocumentoCaricatoRecord) -> DocumentoCaricatoRecord:
    session.add(documento)
    session.flush()
    return documento


def list_documenti(session: Session, pratica_id: int, *, anche_versioni: bool = False) -> list[sa.Row]:
    """I file caricati; le versioni dei documenti della pratica (``documento`` valorizzato) solo
    con ``anche_versioni``: le elenca ``services/revisione``."""
    stmt = (sa.select(*COLONNE_ELENCO).where(DocumentoCaricatoRecord.pratica_id == pratica_id)
            .order_by(DocumentoCaricatoRecord.id))
    if not anche_versioni:
        stmt = stmt.where(DocumentoCaricatoRecord.documento.is_(None))
    return list(session.execute(stmt).all())


def find_documento(session: Session, pratica_id: int, sha256: str) -> DocumentoCaricatoRecord | None:
    stmt = select(DocumentoCaricatoRecord).where(DocumentoCaricatoRecord.pratica_id == pratica_id,
                                                 DocumentoCaricatoRecord.sha256 == sha256)
    return session.exec(stmt).first()


def sha256_exists(session: Session, pratica_id: int, sha256: str) -> bool:
    stmt = select(DocumentoCaricatoRecord.id).where(DocumentoCaricatoRecord.pratica_id == pratica_id,
                                                    DocumentoCaricatoRecord.sha256 == sha256)
    return session.exec(stmt).first() is not None


def count_documenti(session: Session, pratica_id: int | None = None) -> int:
    stmt = sa.select(sa.func.count()).select_from(DocumentoCaricatoRecord)
    if pratica_id is not None:
        stmt = stmt.where(DocumentoCaricatoRecord.pratica_id == pratica_id)
    return int(session.execute(stmt).scalar_one())
