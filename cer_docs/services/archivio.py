"""Archivio delle pratiche nel database: l'unica porta per la UI e la riga di comando.

Ogni modifica (importazione, salvataggio, duplicazione, eliminazione) avviene in una sola
transazione e lascia un evento: chi, quando, che cosa. Un contenuto non valido solleva
``ErrorePratica`` (dal modello, in italiano) prima di toccare il database: non resta mai
una pratica salvata a metà.

Due persone che aprono la stessa pratica ne ricevono la versione; chi salva per secondo
riceve ``ConflittoModifica`` e nulla viene sovrascritto.

Uso tipico::

    aperta = apri("cer-colline-sieve")          # PraticaAperta(pratica, versione, ...)
    p = aperta.pratica.model_copy(deep=True)    # ... modifiche ...
    salva("cer-colline-sieve", p, aperta.versione, autore="Anna", descrizione="nuovo membro")
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from cer_docs.model import ErrorePratica, Pratica, Problema, dumps, load_pratica
from cer_docs.model.io import DIMENSIONE_MASSIMA_BYTE
from cer_docs.rules.base import param
from cer_docs.services import accesso
from cer_docs.services.accesso import AccessoNegato, Attore
from cer_docs.store import ErroreDatabase, PraticaRecord, decode_pratica, encode_pratica, get_engine, utcnow
from cer_docs.store import repository as repo
from cer_docs.store.codec import decode_data
from cer_docs.store.tables import EventoRecord
from cer_docs.store.tables_accesso import PraticaEliminataRecord

__all__ = [
    "AccessoNegato", "Archivio", "Attore", "ConflittoModifica", "ErroreArchivio", "ErroreDatabase", "ErrorePratica", "EventoArchivio",
    "PraticaAperta", "PraticaEsistente", "PraticaNonTrovata", "VocePratica", "apri", "archivio",
    "autore_predefinito", "duplica", "elenco_pratiche", "elimina", "esporta", "esporta_file", "eventi",
    "importa_file", "importa_pratica", "ora_locale", "salva",
]

FORMATI = ("yaml", "json")
DOCUMENTO_MASSIMO_BYTE = 20 * 1024 * 1024  # limite tecnico del servizio
_TIPI_DOCUMENTO = {b"%PDF-": "documento_pdf", b"PK\x03\x04": "documento_docx"}
ENV_AUTORE = "CER_DOCS_AUTORE"

try:
    _FUSO = ZoneInfo("Europe/Rome")
except ZoneInfoNotFoundError:  # macchina senza database dei fusi orari
    _FUSO = dt.timezone.utc


# --------------------------------------------------------------------------- risultati

@dataclass(frozen=True)
class PraticaAperta:
    """Una pratica letta dall'archivio, con la versione da ripresentare a ``salva``."""

    pratica: Pratica
    versione: int
    id: int
    codice: str
    aggiornata_il: dt.datetime


@dataclass(frozen=True)
class VocePratica:
    """Una riga dell'elenco delle pratiche (senza il contenuto)."""

    id: int
    codice: str
    denominazione: str
    stato: str
    tipo_configurazione: str | None
    numero_membri: int
    versione: int
    creata_il: dt.datetime
    aggiornata_il: dt.datetime

    @property
    def stato_etichetta(self) -> str:
        """Lo stato come lo legge una persona («In costituzione»), dal vocabolario."""
        from cer_docs.model.vocabolario import STATI_PRATICA

        return STATI_PRATICA.etichetta(self.stato)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "codice": self.codice, "denominazione": self.denominazione, "stato": self.stato,
                "tipo_configurazione": self.tipo_configurazione, "numero_membri": self.numero_membri,
                "versione": self.versione, "creata_il": self.creata_il.isoformat(),
                "aggiornata_il": self.aggiornata_il.isoformat()}


@dataclass(frozen=True)
class EventoArchivio:
    """Una modifica registrata: chi, quando (UTC), che cosa."""

    id: int
    codice: str
    quando: dt.datetime
    autore: str
    tipo: str
    descrizione: str
    dettagli: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- errori

class ErroreArchivio(Exception):
    """Errore d'uso dell'archivio, con un messaggio italiano da mostrare così com'è."""


class PraticaNonTrovata(ErroreArchivio, LookupError):
    def __init__(self, ref: str | int):
        self.ref = ref
        super().__init__(f"la pratica '{ref}' non è nell'archivio: controlla il codice")


class PraticaEsistente(ErroreArchivio):
    def __init__(self, codice: str):
        self.codice = codice
        super().__init__(f"nell'archivio c'è già una pratica con codice '{codice}': importa scegliendo di "
                         "sostituirla, oppure cambia 'pratica.id' nel file")


class ConflittoModifica(ErroreArchivio):
    """Qualcuno ha salvato la pratica dopo che l'hai aperta: le tue modifiche non sono state scritte."""

    def __init__(self, codice: str, versione_attesa: int, versione_attuale: int,
                 autore: str | None, quando: dt.datetime | None):
        self.codice = codice
        self.versione_attesa = versione_attesa
        self.versione_attuale = versione_attuale
        self.autore = autore
        self.quando = quando
        chi = f"da {autore}" if autore else "da un'altra persona"
        alle = f" alle {ora_locale(quando, '%H:%M')} del {ora_locale(quando, '%d/%m/%Y')}" if quando else ""
        super().__init__(
            f"la pratica '{codice}' è stata modificata {chi}{alle} dopo che l'hai aperta "
            f"(tu avevi la versione {versione_attesa}, ora è la {versione_attuale}); "
            "ricarica la pratica e ripeti le tue modifiche: non sono state salvate")


# --------------------------------------------------------------------------- aiuti

def autore_predefinito() -> str:
    """Chi firma le modifiche se nessuno lo dice: ``CER_DOCS_AUTORE`` o l'utente del sistema."""
    nome = os.environ.get(ENV_AUTORE, "").strip()
    if nome:
        return nome
    try:
        return getpass.getuser() or "sconosciuto"
    except (KeyError, OSError):
        return "sconosciuto"


def ora_locale(quando: dt.datetime, formato: str = "%d/%m/%Y %H:%M") -> str:
    """Un istante UTC nell'ora italiana, per le persone."""
    return quando.astimezone(_FUSO).strftime(formato)


def _autore(autore: str | None) -> str:
    autore = (autore or "").strip()
    return autore[:200] if autore else autore_predefinito()


def _serializza(pratica: Pratica, nome: str) -> tuple[str, Pratica]:
    """JSON da salvare e pratica riletta da quel JSON: la stessa validazione di un file.

    Una ``Pratica`` modificata dopo la validazione (``validate_assignment`` è spento) può
    contenere tipi sbagliati o riferimenti a soggetti inesistenti: qui viene fermata.
    """
    if not isinstance(pratica, Pratica):
        raise ErrorePratica(nome, [Problema("", "non è una pratica")])
    try:
        testo = encode_pratica(pratica)
    except (TypeError, ValueError) as e:
        raise ErrorePratica(nome, [Problema("", f"contiene un valore che non si può salvare ({e})")]) from None
    if len(testo.encode("utf-8", "surrogatepass")) > DIMENSIONE_MASSIMA_BYTE:
        raise ErrorePratica(nome, [Problema("", f"la pratica supera {DIMENSIONE_MASSIMA_BYTE // (1024 * 1024)} MB")])
    return testo, decode_pratica(testo, nome)


def _riassunto(pratica: Pratica) -> dict[str, Any]:
    conf = pratica.configurazioni[0].tipo if pratica.configurazioni else None
    return {"denominazione": pratica.denominazione, "stato": pratica.pratica.stato,
            "tipo_configurazione": conf, "numero_membri": len(pratica.membri)}


def _sezioni_modificate(prima: str, dopo: str) -> list[str]:
    a, b = decode_data(prima), decode_data(dopo)
    return [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]


def _aperta(row: PraticaRecord, pratica: Pratica) -> PraticaAperta:
    return PraticaAperta(pratica=pratica, versione=row.version, id=row.id, codice=row.codice,
                         aggiornata_il=row.updated_at)


def _evento(ev) -> EventoArchivio:  # noqa: ANN001
    return EventoArchivio(id=ev.id, codice=ev.codice, quando=ev.quando, autore=ev.autore, tipo=ev.tipo,
                          descrizione=ev.descrizione, dettagli=dict(ev.dettagli or {}))


def _formato(formato: str) -> str:
    f = (formato or "").lower().strip()
    if f not in FORMATI:
        raise ErroreArchivio(f"formato '{formato}' non previsto: usa yaml o json")
    return f


# --------------------------------------------------------------------------- archivio

class Archivio:
    """I casi d'uso su un database preciso (``engine``); ``clock`` dà l'istante UTC."""

    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = utcnow):
        self.engine = engine
        self.clock = clock

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # ------------------------------------------------------------------ lettura
    def elenco_pratiche(self, *, attore: Attore | None = None) -> list[VocePratica]:
        """Le pratiche che l'attore può leggere (tutte per l'amministratore)."""
        chi = accesso.risolvi(attore)
        with self._session() as s:
            visibili = accesso.pratiche_visibili(s, chi)
            return [VocePratica(id=r.id, codice=r.codice, denominazione=r.denominazione, stato=r.stato,
                                tipo_configurazione=r.tipo_configurazione, numero_membri=r.numero_membri,
                                versione=r.version, creata_il=r.created_at, aggiornata_il=r.updated_at)
                    for r in repo.list_summaries(s) if visibili is None or r.id in visibili]

    def apri(self, codice_o_id: str | int, *, attore: Attore | None = None, azione: str = "leggi") -> PraticaAperta:
        chi = accesso.risolvi(attore)
        with self._session() as s:
            row = repo.find_pratica(s, codice_o_id)
            if row is None and chi.amministratore:
                raise PraticaNonTrovata(codice_o_id)
            accesso.richiedi_pratica(s, chi, row, azione, str(codice_o_id))
            return _aperta(row, decode_pratica(row.dati, f"archivio:{row.codice}"))

    def richiedi(self, codice_o_id: str | int, azione: str, *, attore: Attore | None = None) -> None:
        """Solleva ``AccessoNegato`` (o ``PraticaNonTrovata``) se l'attore non può ``azione`` sulla pratica."""
        chi = accesso.risolvi(attore)
        with self._session() as s:
            row = repo.find_pratica(s, codice_o_id)
            if row is None and chi.amministratore:
                raise PraticaNonTrovata(codice_o_id)
            accesso.richiedi_pratica(s, chi, row, azione, str(codice_o_id))

    def registra_evento(self, codice: str, tipo: str, descrizione: str, *, attore: Attore | None = None,
                        dettagli: dict[str, Any] | None = None, autore: str | None = None) -> None:
        """Un evento che non cambia la pratica (esportazione, scaricamento di dati personali)."""
        chi = accesso.risolvi(attore)
        with self._session() as s, s.begin():
            row = repo.find_by_codice(s, codice)
            repo.add_event(s, codice=codice, pratica_id=row.id if row else None, quando=self.clock(),
                           autore=accesso.autore_di(chi, autore), tipo=tipo, descrizione=descrizione,
                           dettagli=dettagli or {})

    def esporta(self, codice_o_id: str | int, formato: str = "yaml", *, attore: Attore | None = None) -> str:
        """Il file pratica (con tutti i dati personali): è un evento del registro."""
        formato = _formato(formato)
        aperta = self.apri(codice_o_id, attore=attore, azione="esporta")
        testo = dumps(aperta.pratica, formato)
        self.registra_evento(aperta.codice, "esportazione", f"pratica esportata in {formato.upper()}",
                             attore=attore, dettagli={"formato": formato, "versione": aperta.versione})
        return testo

    def esporta_file(self, codice_o_id: str | int, path: str | Path, formato: str | None = None, *,
                     attore: Attore | None = None) -> Path:
        """Scrive il file in modo atomico (file temporaneo nella stessa cartella, poi rinomina)."""
        p = Path(path)
        if formato is None:
            formato = "json" if p.suffix.lower() == ".json" else "yaml"
        testo = self.esporta(codice_o_id, formato, attore=attore)
        return _scrivi_atomico(p, testo)

    def eventi(self, codice: str, *, attore: Attore | None = None) -> list[EventoArchivio]:
        """Le modifiche della pratica, dalla più vecchia; di una pratica eliminata resta il registro (la
        lapide), che vede solo l'amministratore."""
        chi = accesso.risolvi(attore)
        with self._session() as s:
            row = repo.find_by_codice(s, codice)
            if not chi.amministratore:
                accesso.richiedi_pratica(s, chi, row, "leggi", codice)
                evs = [e for e in repo.list_events(s, codice) if e.pratica_id == row.id]
                return [_evento(e) for e in evs]
            evs = repo.list_events(s, codice)
            if not evs and row is None:
                raise PraticaNonTrovata(codice)
            return [_evento(e) for e in evs]

    # ------------------------------------------------------------------ scrittura
    def importa_file(self, path: str | Path, *, autore: str | None = None, sostituisci: bool = False,
                     attore: Attore | None = None) -> PraticaAperta:
        pratica = load_pratica(path)
        return self.importa_pratica(pratica, autore, sostituisci, origine=Path(path).name, attore=attore)

    def importa_pratica(self, pratica: Pratica, autore: str | None = None, sostituisci: bool = False, *,
                        origine: str | None = None, attore: Attore | None = None) -> PraticaAperta:
        """Aggiunge la pratica all'archivio; con ``sostituisci`` ne rimpiazza una con lo stesso codice.

        Chi crea una pratica con il proprio account ne diventa titolare; sostituirne una serve il
        permesso di modificarla.
        """
        chi = accesso.risolvi(attore)
        accesso.richiedi_account(chi)
        nome = origine or "<pratica>"
        testo, pratica = _serializza(pratica, nome)
        codice = pratica.pratica.id
        autore = accesso.autore_di(chi, autore)
        da = f" da '{origine}'" if origine else ""
        try:
            with self._session() as s, s.begin():
                now = self.clock()
                row = repo.find_by_codice(s, codice) if sostituisci else None
                if row is None and not sostituisci and repo.codice_exists(s, codice):
                    raise PraticaEsistente(codice)
                if row is not None:
                    accesso.richiedi_pratica(s, chi, row, "modifica", codice)
                if row is None:
                    row = PraticaRecord(codice=codice, dati=testo, created_at=now, updated_at=now,
                                        **_riassunto(pratica))
                    s.add(row)
                    s.flush()
                    accesso.concedi_titolare(s, chi, pratica_id=row.id, quando=now)
                    repo.add_event(s, codice=codice, pratica_id=row.id, quando=now, autore=autore,
                                   tipo="importazione", descrizione=f"pratica importata{da}",
                                   dettagli={"versione": row.version, "origine": origine,
                                             "numero_membri": row.numero_membri})
                else:
                    prima, versione_prima = row.dati, row.version
                    sezioni = _sezioni_modificate(prima, testo)
                    for k, v in _riassunto(pratica).items():
                        setattr(row, k, v)
                    row.dati = testo
                    row.updated_at = now
                    s.flush()
                    repo.add_event(s, codice=codice, pratica_id=row.id, quando=now, autore=autore,
                                   tipo="importazione", descrizione=f"pratica sostituita con il contenuto importato{da}",
                                   dettagli={"versione": row.version, "versione_precedente": versione_prima,
                                             "origine": origine, "sostituita": True, "sezioni": sezioni})
                return _aperta(row, pratica)
        except sa.exc.IntegrityError:
            # un'altra importazione con lo stesso codice è arrivata prima di noi
            raise PraticaEsistente(codice) from None
        except StaleDataError:
            raise self._conflitto(codice, None) from None

    def salva(self, codice: str, pratica: Pratica, versione_attesa: int, autore: str | None = None,
              descrizione: str | None = None, *, attore: Attore | None = None) -> PraticaAperta:
        """Salva le modifiche se nessuno ha salvato la pratica dopo ``versione_attesa``.

        Altrimenti ``ConflittoModifica``: nulla viene scritto. Se il contenuto non è cambiato
        non si crea una versione nuova.
        """
        testo, pratica = _serializza(pratica, f"archivio:{codice}")
        if pratica.pratica.id != codice:
            raise ErroreArchivio(f"il contenuto ha codice '{pratica.pratica.id}' ma stai salvando la pratica "
                                 f"'{codice}': il codice non si cambia salvando, usa 'duplica' per una copia "
                                 "con un codice nuovo")
        chi = accesso.risolvi(attore)
        autore = accesso.autore_di(chi, autore)
        try:
            with self._session() as s, s.begin():
                row = repo.find_by_codice(s, codice)
                if row is None and chi.amministratore:
                    raise PraticaNonTrovata(codice)
                accesso.richiedi_pratica(s, chi, row, "modifica", codice)
                if row.version != versione_attesa:
                    raise self._conflitto_in(s, row, versione_attesa)
                if row.dati == testo:
                    return _aperta(row, pratica)
                now = self.clock()
                sezioni = _sezioni_modificate(row.dati, testo)
                for k, v in _riassunto(pratica).items():
                    setattr(row, k, v)
                row.dati = testo
                row.updated_at = now
                s.flush()  # UPDATE ... WHERE version = versione_attesa: StaleDataError se qualcuno è passato prima
                repo.add_event(s, codice=codice, pratica_id=row.id, quando=now, autore=autore, tipo="modifica",
                               descrizione=(descrizione or "").strip() or "pratica modificata",
                               dettagli={"versione": row.version, "versione_precedente": versione_attesa,
                                         "sezioni": sezioni})
                return _aperta(row, pratica)
        except StaleDataError:
            raise self._conflitto(codice, versione_attesa) from None

    def duplica(self, codice_o_id: str | int, nuovo_codice: str, *, autore: str | None = None,
                attore: Attore | None = None) -> PraticaAperta:
        """Copia la pratica con un codice nuovo (la copia ha un registro eventi suo; chi la fa ne è titolare).

        Copiare vuol dire portarsi via tutti i dati: serve il permesso di esportarla."""
        chi = accesso.risolvi(attore)
        accesso.richiedi_account(chi)
        origine = self.apri(codice_o_id, attore=chi, azione="esporta")
        copia = origine.pratica.model_copy(deep=True)
        copia.pratica = copia.pratica.model_copy(update={"id": nuovo_codice})
        testo, copia = _serializza(copia, f"duplicato di {origine.codice}")
        autore = accesso.autore_di(chi, autore)
        try:
            with self._session() as s, s.begin():
                if repo.codice_exists(s, nuovo_codice):
                    raise PraticaEsistente(nuovo_codice)
                now = self.clock()
                row = PraticaRecord(codice=nuovo_codice, dati=testo, created_at=now, updated_at=now,
                                    **_riassunto(copia))
                s.add(row)
                s.flush()
                accesso.concedi_titolare(s, chi, pratica_id=row.id, quando=now)
                repo.add_event(s, codice=nuovo_codice, pratica_id=row.id, quando=now, autore=autore,
                               tipo="duplicazione", descrizione=f"copia della pratica '{origine.codice}'",
                               dettagli={"versione": row.version, "origine": origine.codice,
                                         "versione_origine": origine.versione})
                return _aperta(row, copia)
        except sa.exc.IntegrityError:
            raise PraticaEsistente(nuovo_codice) from None

    def elimina(self, codice_o_id: str | int, *, autore: str | None = None, versione_attesa: int | None = None,
                attore: Attore | None = None) -> None:
        """Elimina i dati della pratica. Il suo registro resta come lapide (chi ha fatto che cosa, senza i
        dati) per il periodo di conservazione (``registro_pratica_conservazione_anni``), con un evento che
        dice chi l'ha eliminata e quando; ``purga_lapidi`` lo cancella dopo la scadenza."""
        chi = accesso.risolvi(attore)
        autore = accesso.autore_di(chi, autore)
        codice = str(codice_o_id)
        try:
            with self._session() as s, s.begin():
                row = repo.find_pratica(s, codice_o_id)
                if row is None and chi.amministratore:
                    raise PraticaNonTrovata(codice_o_id)
                accesso.richiedi_pratica(s, chi, row, "cancella", codice)
                codice = row.codice
                if versione_attesa is not None and row.version != versione_attesa:
                    raise self._conflitto_in(s, row, versione_attesa)
                now = self.clock()
                anni = int(param("registro_pratica_conservazione_anni", now.date()))
                conserva_fino = _piu_anni(now.date(), anni)
                dettagli = {"versione": row.version, "denominazione": row.denominazione,
                            "numero_membri": row.numero_membri, "registro_conservato_fino": conserva_fino.isoformat()}
                # il registro si stacca dalla pratica prima di eliminarla: non se ne va con lei
                s.execute(sa.update(EventoRecord).where(EventoRecord.pratica_id == row.id).values(pratica_id=None))
                s.add(PraticaEliminataRecord(codice=codice, denominazione=row.denominazione, eliminata_il=now,
                                             autore=autore, conserva_fino=conserva_fino))
                s.delete(row)
                s.flush()
                repo.add_event(s, codice=codice, pratica_id=None, quando=now, autore=autore,
                               tipo="eliminazione", descrizione="pratica eliminata dall'archivio; il registro resta "
                               f"fino al {conserva_fino.strftime('%d/%m/%Y')}", dettagli=dettagli)
        except StaleDataError:
            raise self._conflitto(codice, versione_attesa) from None

    def lapidi(self, *, attore: Attore | None = None) -> list[dict[str, Any]]:
        """Le pratiche eliminate il cui registro è ancora conservato (solo amministratore)."""
        chi = accesso.risolvi(attore)
        accesso.richiedi_amministratore(chi)
        with self._session() as s:
            righe = s.execute(sa.select(PraticaEliminataRecord).order_by(PraticaEliminataRecord.id)).scalars().all()
            return [{"codice": r.codice, "denominazione": r.denominazione, "eliminata_il": r.eliminata_il,
                     "autore": r.autore, "conserva_fino": r.conserva_fino} for r in righe]

    def purga_lapidi(self, al: dt.date, *, attore: Attore | None = None) -> list[str]:
        """Cancella il registro delle pratiche eliminate il cui periodo di conservazione è finito al ``al``."""
        chi = accesso.risolvi(attore)
        accesso.richiedi_amministratore(chi)
        tolti = []
        with self._session() as s, s.begin():
            for lap in s.execute(sa.select(PraticaEliminataRecord)
                                 .where(PraticaEliminataRecord.conserva_fino < al)).scalars().all():
                s.execute(sa.delete(EventoRecord).where(EventoRecord.codice == lap.codice,
                                                        EventoRecord.pratica_id.is_(None),
                                                        EventoRecord.quando <= lap.eliminata_il))
                s.delete(lap)
                tolti.append(lap.codice)
        return tolti

    # ------------------------------------------------------------------ documenti rivisti
    def carica_documento(self, codice: str, nome_file: str, contenuto: bytes, *,
                         attore: Attore | None = None) -> str:
        """Conserva nella pratica un documento rivisto (DOCX o PDF, es. lo statuto corretto dal notaio):
        permesso «carica» (titolare, redattore, revisore). Restituisce l'impronta SHA-256."""
        import hashlib

        from cer_docs.store import documenti as repo_doc
        from cer_docs.store.tables import DocumentoCaricatoRecord

        chi = accesso.risolvi(attore)
        nome_file = Path(nome_file or "documento").name[:255]
        if not contenuto:
            raise ErroreArchivio(f"il file '{nome_file}' è vuoto")
        if len(contenuto) > DOCUMENTO_MASSIMO_BYTE:
            raise ErroreArchivio(f"il file '{nome_file}' supera {DOCUMENTO_MASSIMO_BYTE // (1024 * 1024)} MB")
        tipo = next((t for magia, t in _TIPI_DOCUMENTO.items() if contenuto.startswith(magia)), None)
        if tipo is None:
            raise ErroreArchivio(f"il file '{nome_file}' non è un PDF né un documento Word (DOCX)")
        impronta = hashlib.sha256(contenuto).hexdigest()
        with self._session() as s, s.begin():
            row = repo.find_pratica(s, codice)
            if row is None and chi.amministratore:
                raise PraticaNonTrovata(codice)
            accesso.richiedi_pratica(s, chi, row, "carica", codice)
            if repo_doc.sha256_exists(s, row.id, impronta):
                raise ErroreArchivio(f"il file '{nome_file}' è già tra i documenti della pratica")
            now = self.clock()
            repo_doc.add_documento(s, DocumentoCaricatoRecord(
                pratica_id=row.id, nome_file=nome_file, sha256=impronta, tipo=tipo, dimensione=len(contenuto),
                contenuto=contenuto, caricato_il=now, autore=chi.firma, esito={}))
            repo.add_event(s, codice=row.codice, pratica_id=row.id, quando=now, autore=chi.firma, tipo="caricamento",
                           descrizione=f"caricato il documento «{nome_file}»",
                           dettagli={"sha256": impronta, "nome_file": nome_file, "tipo": tipo})
        return impronta

    # ------------------------------------------------------------------ conflitti
    def _conflitto_in(self, s: Session, row: PraticaRecord, versione_attesa: int) -> ConflittoModifica:
        ev = repo.last_event(s, row.id)
        return ConflittoModifica(row.codice, versione_attesa, row.version,
                                 ev.autore if ev else None, ev.quando if ev else row.updated_at)

    def _conflitto(self, codice: str, versione_attesa: int | None) -> ErroreArchivio:
        with self._session() as s:
            row = repo.find_by_codice(s, codice)
            if row is None:
                return ErroreArchivio(f"la pratica '{codice}' è stata eliminata da un'altra persona mentre la "
                                      "modificavi: le tue modifiche non sono state salvate")
            return self._conflitto_in(s, row, versione_attesa if versione_attesa is not None else row.version - 1)


def _piu_anni(d: dt.date, anni: int) -> dt.date:
    try:
        return d.replace(year=d.year + anni)
    except ValueError:  # 29 febbraio
        return d.replace(year=d.year + anni, day=28)


def _scrivi_atomico(path: Path, testo: str) -> Path:
    path = path.expanduser()
    cartella = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=cartella)
    except FileNotFoundError:
        raise ErroreArchivio(f"la cartella '{cartella}' non esiste: creala o scegli un altro percorso") from None
    except OSError as e:
        raise ErroreArchivio(f"non posso scrivere in '{cartella}' ({e.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(testo)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise ErroreArchivio(f"non posso scrivere '{path}' ({e.strerror})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------- archivio predefinito

def archivio() -> Archivio:
    """L'archivio delle impostazioni correnti (``CER_DOCS_DATABASE_URL`` / ``CER_DOCS_DATA_DIR``)."""
    return Archivio(get_engine())


def importa_file(path: str | Path, *, autore: str | None = None, sostituisci: bool = False,
                 attore: Attore | None = None) -> PraticaAperta:
    return archivio().importa_file(path, autore=autore, sostituisci=sostituisci, attore=attore)


def importa_pratica(pratica: Pratica, autore: str | None = None, sostituisci: bool = False, *,
                    attore: Attore | None = None) -> PraticaAperta:
    return archivio().importa_pratica(pratica, autore, sostituisci, attore=attore)


def elenco_pratiche(*, attore: Attore | None = None) -> list[VocePratica]:
    return archivio().elenco_pratiche(attore=attore)


def apri(codice_o_id: str | int, *, attore: Attore | None = None) -> PraticaAperta:
    return archivio().apri(codice_o_id, attore=attore)


def richiedi(codice_o_id: str | int, azione: str, *, attore: Attore | None = None) -> None:
    return archivio().richiedi(codice_o_id, azione, attore=attore)


def puo(codice_o_id: str | int, azione: str, *, attore: Attore | None = None) -> bool:
    """Vero se l'attore può compiere ``azione`` sulla pratica (per mostrare o nascondere un comando;
    il servizio controlla comunque)."""
    try:
        archivio().richiedi(codice_o_id, azione, attore=attore)
    except (AccessoNegato, PraticaNonTrovata):
        return False
    return True


def registra_evento(codice: str, tipo: str, descrizione: str, *, attore: Attore | None = None,
                    dettagli: dict[str, Any] | None = None, autore: str | None = None) -> None:
    return archivio().registra_evento(codice, tipo, descrizione, attore=attore, dettagli=dettagli, autore=autore)


def salva(codice: str, pratica: Pratica, versione_attesa: int, autore: str | None = None,
          descrizione: str | None = None, *, attore: Attore | None = None) -> PraticaAperta:
    return archivio().salva(codice, pratica, versione_attesa, autore, descrizione, attore=attore)


def esporta(codice_o_id: str | int, formato: str = "yaml", *, attore: Attore | None = None) -> str:
    return archivio().esporta(codice_o_id, formato, attore=attore)


def esporta_file(codice_o_id: str | int, path: str | Path, formato: str | None = None, *,
                 attore: Attore | None = None) -> Path:
    return archivio().esporta_file(codice_o_id, path, formato, attore=attore)


def duplica(codice_o_id: str | int, nuovo_codice: str, *, autore: str | None = None,
            attore: Attore | None = None) -> PraticaAperta:
    return archivio().duplica(codice_o_id, nuovo_codice, autore=autore, attore=attore)


def elimina(codice_o_id: str | int, *, autore: str | None = None, versione_attesa: int | None = None,
            attore: Attore | None = None) -> None:
    return archivio().elimina(codice_o_id, autore=autore, versione_attesa=versione_attesa, attore=attore)


def eventi(codice: str, *, attore: Attore | None = None) -> list[EventoArchivio]:
    return archivio().eventi(codice, attore=attore)


def carica_documento(codice: str, nome_file: str, contenuto: bytes, *, attore: Attore | None = None) -> str:
    return archivio().carica_documento(codice, nome_file, contenuto, attore=attore)


def lapidi(*, attore: Attore | None = None) -> list[dict[str, Any]]:
    return archivio().lapidi(attore=attore)


def purga_lapidi(al: dt.date, *, attore: Attore | None = None) -> list[str]:
    return archivio().purga_lapidi(al, attore=attore)
