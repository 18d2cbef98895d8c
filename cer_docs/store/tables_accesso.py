"""Tabelle degli accessi: utenti dell'installazione, sessioni, condivisioni per pratica e per
campagna, pratiche eliminate (la «lapide» che tiene il registro per il periodo di conservazione).

Le password non sono mai nel database: solo l'hash Argon2. Le sessioni sono conservate come
impronta SHA-256 del gettone: chi legge il database non può impersonare nessuno.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field

from .tables import CODICE_MAX, TableBase, UTCDateTime, utcnow


class UtenteRecord(TableBase, table=True):
    __tablename__ = "utente"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, nullable=False)
    nome: str = Field(nullable=False)
    email: str | None = Field(default=None, max_length=254)
    password_hash: str = Field(nullable=False)
    amministratore: bool = Field(default=False, nullable=False)
    attivo: bool = Field(default=True, nullable=False)
    deve_cambiare_password: bool = Field(default=False, nullable=False)
    tentativi_falliti: int = Field(default=0, nullable=False)
    bloccato_fino: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    password_il: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class SessioneRecord(TableBase, table=True):
    """Una sessione aperta con il login: scade per inattività o comunque dopo una durata massima."""

    __tablename__ = "sessione"

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True, nullable=False)
    utente_id: int = Field(foreign_key="utente.id", ondelete="CASCADE", index=True, nullable=False)
    creata_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    ultimo_uso: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    scade_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))


class AccessoPraticaRecord(TableBase, table=True):
    """Il ruolo di un utente su una pratica (una riga per coppia pratica-utente)."""

    __tablename__ = "accesso_pratica"
    __table_args__ = (sa.UniqueConstraint("pratica_id", "utente_id", name="uq_accesso_pratica_pratica_utente"),)

    id: int | None = Field(default=None, primary_key=True)
    pratica_id: int = Field(foreign_key="pratica.id", ondelete="CASCADE", index=True, nullable=False)
    utente_id: int = Field(foreign_key="utente.id", ondelete="CASCADE", index=True, nullable=False)
    ruolo: str = Field(max_length=20, nullable=False)
    concesso_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    concesso_da: str = Field(nullable=False)


class AccessoCampagnaRecord(TableBase, table=True):
    """Il ruolo di un utente su una campagna (manifestazione di interesse)."""

    __tablename__ = "accesso_campagna"
    __table_args__ = (sa.UniqueConstraint("campagna_id", "utente_id", name="uq_accesso_campagna_campagna_utente"),)

    id: int | None = Field(default=None, primary_key=True)
    campagna_id: int = Field(foreign_key="campagna.id", ondelete="CASCADE", index=True, nullable=False)
    utente_id: int = Field(foreign_key="utente.id", ondelete="CASCADE", index=True, nullable=False)
    ruolo: str = Field(max_length=20, nullable=False)
    concesso_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    concesso_da: str = Field(nullable=False)


class PraticaEliminataRecord(TableBase, table=True):
    """La lapide di una pratica eliminata: il suo registro eventi resta fino a ``conserva_fino``."""

    __tablename__ = "pratica_eliminata"

    id: int | None = Field(default=None, primary_key=True)
    codice: str = Field(max_length=CODICE_MAX, nullable=False, index=True)
    denominazione: str = Field(nullable=False)
    eliminata_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    autore: str = Field(nullable=False)
    conserva_fino: dt.date = Field(nullable=False)
