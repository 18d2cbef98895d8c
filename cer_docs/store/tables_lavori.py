"""Tabella dei lavori: le generazioni di documenti chieste dall'interfaccia ed eseguite in
sottofondo (``cer_docs.services.lavori``).

Una riga è un lavoro: chi l'ha chiesto, che cosa (``parametri``), lo stato, l'avanzamento
(``fatti``/``totale``/``descrizione``) e il risultato. Lo stato sta nel database, così qualunque
istanza dell'app, e una pagina ricaricata, lo legge; gli esecutori lo prendono con un
«affitto» (``esecutore`` + ``scade_il``) che rinnovano finché lavorano: se un esecutore muore,
l'affitto scade e un altro esecutore riprende il lavoro.

L'indice parziale ``uq_lavoro_attivo_pratica`` ammette un solo lavoro in coda o in corso per
pratica: due clic, o due istanze dell'app, non generano due volte la stessa pratica insieme.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from .tables import CODICE_MAX, TableBase, UTCDateTime, utcnow

STATI_ATTIVI = ("in_coda", "in_corso")
_ATTIVO = sa.text("stato IN ('in_coda', 'in_corso')")


class LavoroRecord(TableBase, table=True):
    __tablename__ = "lavoro"
    __table_args__ = (
        sa.Index("uq_lavoro_attivo_pratica", "pratica_id", unique=True, sqlite_where=_ATTIVO,
                 postgresql_where=_ATTIVO),
        sa.Index("ix_lavoro_stato_id", "stato", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    pratica_id: int = Field(foreign_key="pratica.id", ondelete="CASCADE", index=True, nullable=False)
    codice: str = Field(max_length=CODICE_MAX, nullable=False)
    tipo: str = Field(max_length=40, nullable=False)
    stato: str = Field(max_length=20, nullable=False)
    parametri: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    utente_id: int | None = Field(default=None)          # l'account che l'ha chiesto; None = amministratore locale
    autore: str = Field(nullable=False)                  # come compare: il nome (e l'account)
    fatti: int = Field(default=0, nullable=False)
    totale: int = Field(default=0, nullable=False)
    descrizione: str = Field(default="", nullable=False)
    # dentro il documento in corso: file per file (i moduli di adesione sono uno per membro)
    dettaglio_fatti: int = Field(default=0, nullable=False)
    dettaglio_totale: int = Field(default=0, nullable=False)
    dettaglio: str = Field(default="", nullable=False)
    annulla: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))
    tentativi: int = Field(default=0, nullable=False)
    esecutore: str | None = Field(default=None, max_length=200)
    scade_il: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    creato_il: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    iniziato_il: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    finito_il: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    errore: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    risultato: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
