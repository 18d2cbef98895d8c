"""Cifratura dei dati personali a riposo, con una chiave che non sta nel database.

Si cifrano per intero i documenti che contengono i dati delle persone (il JSON della pratica e
della candidatura, con codici fiscali, IBAN, indirizzi) e il contenuto dei file caricati (documenti
d'identità, bollette, fatture, documenti rivisti): ``Fernet`` (AES-128-CBC + HMAC-SHA256) della
libreria ``cryptography``. Le colonne usate per elencare (codice, denominazione, stato) restano in
chiaro.

La chiave (quella di ``Fernet.generate_key()``) arriva da:

- ``CER_DOCS_CHIAVE``: la chiave stessa, in una variabile d'ambiente; oppure
- ``CER_DOCS_CHIAVE_FILE``: un file che la contiene, leggibile solo dal proprietario (0600:
  un file leggibile da altri è rifiutato).

Senza chiave i dati si scrivono in chiaro (uso personale); ciò che è già cifrato si legge solo con
la chiave: senza, l'apertura si ferma con un messaggio chiaro. Un valore cifrato porta un prefisso,
così un archivio può contenere righe scritte prima di attivare la cifratura (``cifra_archivio``
le riscrive).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken

from .engine import ErroreDatabase

ENV_CHIAVE = "CER_DOCS_CHIAVE"
ENV_CHIAVE_FILE = "CER_DOCS_CHIAVE_FILE"
PREFISSO_TESTO = "cer-docs:fernet:"
PREFISSO_BYTE = b"CDF1"

_cache: dict[tuple, Fernet | None] = {}


class ErroreChiave(ErroreDatabase):
    """La chiave manca, non è valida o il suo file è leggibile da altri."""


def _leggi_file(percorso: Path) -> bytes:
    try:
        st = percorso.stat()
    except OSError as e:
        raise ErroreChiave(f"il file della chiave '{percorso}' non si legge ({e.strerror})") from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ErroreChiave(f"il file della chiave '{percorso}' è leggibile da altri utenti: "
                           f"rendilo privato con chmod 600 '{percorso}'")
    return percorso.read_bytes().strip()


def fernet() -> Fernet | None:
    """La chiave in uso, o ``None`` se non ce n'è (dati in chiaro)."""
    diretta = os.environ.get(ENV_CHIAVE, "").strip()
    file = os.environ.get(ENV_CHIAVE_FILE, "").strip()
    chiave_cache: tuple
    if diretta:
        chiave_cache = ("env", diretta)
    elif file:
        p = Path(file).expanduser()
        try:
            chiave_cache = ("file", str(p), p.stat().st_mtime_ns, p.stat().st_mode)
        except OSError:
            chiave_cache = ("file", str(p))
    else:
        return None
    if chiave_cache in _cache:
        return _cache[chiave_cache]
    materiale = diretta.encode() if diretta else _leggi_file(Path(file).expanduser())
    try:
        f = Fernet(materiale)
    except (ValueError, TypeError):
        raise ErroreChiave("la chiave di cifratura non è valida: generane una con 'cer-docs chiave genera'") from None
    _cache[chiave_cache] = f
    return f


def genera_chiave(percorso: Path) -> Path:
    """Scrive una chiave nuova in un file 0600 (mai sovrascrivendo una chiave esistente)."""
    percorso = percorso.expanduser()
    percorso.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(percorso, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(Fernet.generate_key() + b"\n")
    return percorso


def _decifra(token: bytes) -> bytes:
    f = fernet()
    if f is None:
        raise ErroreChiave("l'archivio contiene dati cifrati ma la chiave non è impostata: indica "
                           f"{ENV_CHIAVE_FILE} (o {ENV_CHIAVE}) come quando i dati sono stati scritti")
    try:
        return f.decrypt(token)
    except InvalidToken:
        raise ErroreChiave("la chiave impostata non è quella con cui i dati sono stati cifrati") from None


class TestoCifrato(sa.TypeDecorator[str]):
    """Testo cifrato con la chiave dell'installazione (in chiaro se non c'è chiave)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        f = fernet()
        if value is None or f is None or value.startswith(PREFISSO_TESTO):
            return value
        return PREFISSO_TESTO + f.encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value is None or not value.startswith(PREFISSO_TESTO):
            return value
        return _decifra(value[len(PREFISSO_TESTO):].encode("ascii")).decode("utf-8")


class ByteCifrati(sa.TypeDecorator[bytes]):
    """Contenuto di un file, cifrato con la chiave dell'installazione (in chiaro se non c'è chiave)."""

    impl = sa.LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: sa.Dialect) -> bytes | None:
        f = fernet()
        if value is None or f is None:
            return value
        return PREFISSO_BYTE + f.encrypt(bytes(value))

    def process_result_value(self, value: bytes | None, dialect: sa.Dialect) -> bytes | None:
        if value is None:
            return None
        value = bytes(value)
        if not value.startswith(PREFISSO_BYTE):
            return value
        return _decifra(value[len(PREFISSO_BYTE):])


def contiene_dati_cifrati(engine: sa.Engine) -> bool:
    """L'archivio ha almeno una pratica o una candidatura cifrata? (Una riga basta: si legge solo
    l'inizio del valore, senza decifrare.)"""
    with engine.connect() as c:
        for tabella in ("pratica", "candidatura"):
            t = sa.Table(tabella, sa.MetaData(), sa.Column("dati", sa.Text))
            if c.execute(sa.select(sa.literal(1)).select_from(t)
                         .where(t.c.dati.startswith(PREFISSO_TESTO)).limit(1)).first() is not None:
                return True
    return False


def cifra_archivio(engine: sa.Engine) -> int:
    """Riscrive cifrate le righe ancora in chiaro (dopo aver attivato la chiave). Restituisce quante."""
    from .tables import AllegatoCandidaturaRecord, CandidaturaRecord, DocumentoCaricatoRecord, PraticaRecord

    if fernet() is None:
        raise ErroreChiave(f"nessuna chiave impostata ({ENV_CHIAVE_FILE} o {ENV_CHIAVE})")
    n = 0
    with engine.begin() as c:
        for modello, colonna in ((PraticaRecord, "dati"), (CandidaturaRecord, "dati"),
                                 (AllegatoCandidaturaRecord, "contenuto"), (DocumentoCaricatoRecord, "contenuto")):
            tabella = modello.__table__
            grezze = sa.Table(tabella.name, sa.MetaData(), sa.Column("id", sa.Integer),
                              sa.Column(colonna, sa.LargeBinary if colonna == "contenuto" else sa.Text))
            for rid, grezzo in c.execute(sa.select(grezze.c.id, grezze.c[colonna])).all():
                gia = (bytes(grezzo).startswith(PREFISSO_BYTE) if colonna == "contenuto"
                       else str(grezzo).startswith(PREFISSO_TESTO))
                if gia:
                    continue
                c.execute(sa.update(tabella).where(tabella.c.id == rid).values({colonna: grezzo}))
                n += 1
    return n
