"""Tabelle del database.

La pratica è conservata come documento: la colonna ``dati`` contiene il JSON del file
pratica (lo stesso contenuto di ``cer_docs.model.to_data``), le altre colonne ne
ricopiano i pochi campi che servono per elencare e cercare. Il file pratica resta la
forma portabile; il database aggiunge versione, date di servizio e registro eventi.

Ogni tabella nuova eredita da ``TableBase`` (metadati con nomi di vincolo stabili,
che le migrazioni batch di SQLite devono poter ritrovare) e arriva con la sua migrazione.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr, registry
from sqlmodel import Field, SQLModel

from .cifratura import ByteCifrati, TestoCifrato

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
_registry = registry(metadata=metadata)

CODICE_MAX = 120  # come MetaPratica.id


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """Istante con fuso orario, sempre restituito in UTC.

    PostgreSQL lo conserva come ``timestamptz``; SQLite non conosce i fusi, quindi si
    scrive l'ora UTC e in lettura le si rimette ``tzinfo=UTC``.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("serve un istante con fuso orario (datetime aware)")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class TableBase(SQLModel, registry=_registry):
    """Base di tutte le tabelle di cer-docs (metadati propri, nomi dei vincoli stabili)."""


class PraticaRecord(TableBase, table=True):
    __tablename__ = "pratica"

    id: int | None = Field(default=None, primary_key=True)
    codice: str = Field(max_length=CODICE_MAX, unique=True, nullable=False)
    denominazione: str = Field(nullable=False)
    stato: str = Field(max_length=40, nullable=False)
    tipo_configurazione: str | None = Field(default=None, max_length=10)
    numero_membri: int = Field(default=0, nullable=False)
    dati: str = Field(sa_column=sa.Column(TestoCifrato, nullable=False))
    version: int = Field(default=1, nullable=False)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        # Blocco ottimistico: ogni UPDATE/DELETE dell'ORM controlla e incrementa ``version``.
        # La forma stringa {"version_id_col": "version"} non funziona (ecosistema.md §4.2).
        return {"version_id_col": cls.__table__.c.version}


class EventoRecord(TableBase, table=True):
    """Una modifica dell'archivio: chi, quando, che cosa.

    ``pratica_id`` è nullo solo per l'eliminazione: l'evento che la registra sopravvive
    alla pratica (gli altri eventi se ne vanno con lei, ON DELETE CASCADE); ``codice``
    permette di ritrovarlo.
    """

    __tablename__ = "evento"

    id: int | None = Field(default=None, primary_key=True)
    pratica_id: int | None = Field(default=None, foreign_key="pratica.id", ondelete="CASCADE", index=True)
    codice: str = Field(max_length=CODICE_MAX, nullable=False, index=True)
    quando: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    autore: str = Field(nullable=False)
    tipo: str = Field(max_length=40, nullable=False)
    descrizione: str = Field(default="", nullable=False)
    dettagli: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))


class DocumentoCaricatoRecord(TableBase, table=True):
    """Un file caricato per una pratica (oggi: le fatture del registro spese PNRR).

    Il contenuto è conservato così come è arrivato (anche il ``.p7m`` firmato); ``esito`` è il
    risultato della verifica al caricamento. Una pratica non ha due volte lo stesso file
    (``sha256``); il file se ne va con la pratica (ON DELETE CASCADE).
    """

    __tablename__ = "documento_caricato"
    __table_args__ = (sa.UniqueConstraint("pratica_id", "sha256", name="uq_documento_caricato_pratica_sha256"),
                      sa.UniqueConstraint("pratica_id", "documento", "versione",
                                          name="uq_documento_caricato_pratica_documento_versione"))

    id: int | None = Field(default=None, primary_key=True)
    pratica_id: int = Field(foreign_key="pratica.id", ondelete="CASCADE", index=True, nullable=False)
    nome_file: str = Field(max_length=255, nullable=False)
    sha256: str = Field(max_length=64, nullable=False)
    tipo: str = Field(max_length=40, nullable=False)
    dimensione: int = Field(nullable=False)
    contenuto: bytes = Field(sa_column=sa.Column(ByteCifrati, nullable=False))
    caricato_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    autore: str = Field(nullable=False)
    esito: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    # versioni dei documenti della pratica (statuto, atto, regolamento…); None per gli altri file
    documento: str | None = Field(default=None, max_length=120, index=True)
    versione: int | None = Field(default=None)
    origine: str | None = Field(default=None, max_length=20)   # generato | caricato | unito
    base_id: int | None = Field(default=None)                  # la versione da cui viene
    firmato: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False, server_default=sa.false()))


class CampagnaRecord(TableBase, table=True):
    """Una manifestazione di interesse: il documento ``Campagna`` in JSON più i campi per elencare."""

    __tablename__ = "campagna"

    id: int | None = Field(default=None, primary_key=True)
    codice: str = Field(max_length=80, unique=True, nullable=False)
    titolo: str = Field(nullable=False)
    stato: str = Field(max_length=20, nullable=False)
    dati: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    version: int = Field(default=1, nullable=False)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class CandidaturaRecord(TableBase, table=True):
    """Una candidatura ricevuta: il documento ``Candidatura`` in JSON, protocollo e decisione.

    ``mittente`` è un'impronta (hash) della sessione di invio, usata solo per limitare la
    frequenza degli invii dal modulo pubblico.
    """

    __tablename__ = "candidatura"

    id: int | None = Field(default=None, primary_key=True)
    campagna_id: int = Field(foreign_key="campagna.id", ondelete="CASCADE", index=True, nullable=False)
    protocollo: str = Field(max_length=40, unique=True, nullable=False)
    ricevuta_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    decisione: str = Field(max_length=20, nullable=False)
    mittente: str = Field(max_length=64, nullable=False, index=True)
    dati: str = Field(sa_column=sa.Column(TestoCifrato, nullable=False))
    version: int = Field(default=1, nullable=False)

    @declared_attr  # type: ignore[arg-type]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}


class AllegatoCandidaturaRecord(TableBase, table=True):
    """Un allegato della candidatura (documento d'identità, bolletta), conservato com'è arrivato."""

    __tablename__ = "allegato_candidatura"

    id: int | None = Field(default=None, primary_key=True)
    candidatura_id: int = Field(foreign_key="candidatura.id", ondelete="CASCADE", index=True, nullable=False)
    nome_file: str = Field(max_length=255, nullable=False)
    tipo: str = Field(max_length=40, nullable=False)
    dimensione: int = Field(nullable=False)
    sha256: str = Field(max_length=64, nullable=False)
    contenuto: bytes = Field(sa_column=sa.Column(ByteCifrati, nullable=False))


class InvioPubblicoRecord(TableBase, table=True):
    """Un invio registrato dal modulo pubblico, per i limiti di frequenza e di spazio.

    Non contiene dati personali in chiaro: solo impronte (hash con sale della campagna) della
    sessione, del codice fiscale e dell'e-mail del mittente, e i byte occupati. I limiti valgono
    quindi per campagna e per identità, non per finestra del browser.
    """

    __tablename__ = "invio_pubblico"

    id: int | None = Field(default=None, primary_key=True)
    campagna_id: int = Field(foreign_key="campagna.id", ondelete="CASCADE", index=True, nullable=False)
    candidatura_id: int = Field(foreign_key="candidatura.id", ondelete="CASCADE", index=True, nullable=False)
    ricevuto_il: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False, index=True))
    mittente: str = Field(max_length=64, nullable=False, index=True)
    impronta_cf: str = Field(max_length=64, nullable=False, index=True)
    impronta_email: str | None = Field(default=None, max_length=64, index=True)
    byte: int = Field(nullable=False)


from . import tables_accesso  # noqa: E402,F401  (utenti, sessioni, condivisioni: registrate negli stessi metadati)
from . import tables_lavori  # noqa: E402,F401  (lavori in sottofondo: stessi metadati)
