"""Manifestazioni di interesse lato ufficio: campagne, candidature, screening, decisioni,
esportazioni e passaggio delle candidature ammesse a una pratica.

Solo l'ufficio usa questo modulo; il modulo pubblico passa da ``cer_docs.services.pubblico``,
che non può leggere le candidature.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from cer_docs.campagne import esportazione
from cer_docs.campagne.doppioni import doppioni
from cer_docs.campagne.conversione import ErroreConversione, converti, nuova_pratica
from cer_docs.campagne.file import carica_campagna
from cer_docs.model import ErrorePratica
from cer_docs.model.campagna import Campagna, Candidatura, Decisione, FileCampagna
from cer_docs.rules import Rilievo
from cer_docs.rules.manifestazione import bilancio, esamina_candidatura, esamina_insieme
from cer_docs.services import accesso, archivio
from cer_docs.services.accesso import AccessoNegato, Attore
from cer_docs.store import get_engine, utcnow
from cer_docs.store import repository as repo
from cer_docs.model.io import dump_presenti
from cer_docs.store.codec import _default
from cer_docs.store.tables import CampagnaRecord, CandidaturaRecord

__all__ = [
    "CampagnaNonTrovata", "CandidaturaNonTrovata", "CampagnaEsistente", "ConflittoCandidatura", "ErroreConversione",
    "VoceCampagna", "VoceCandidatura", "Esame", "apri_campagna", "candidature", "converti_in_pratica", "crea_campagna",
    "decidi", "elenco_campagne", "esamina", "esporta_csv", "esporta_xlsx", "importa_file_campagna", "salva_campagna",
]


class CampagnaNonTrovata(LookupError):
    def __str__(self) -> str:
        return f"Nessuna campagna con codice '{self.args[0]}'."


class CandidaturaNonTrovata(LookupError):
    def __str__(self) -> str:
        return f"Nessuna candidatura con protocollo '{self.args[0]}'."


class CampagnaEsistente(ValueError):
    def __str__(self) -> str:
        return f"Esiste già una campagna con codice '{self.args[0]}': scegli un altro codice."


class ConflittoCandidatura(RuntimeError):
    def __str__(self) -> str:
        return (f"La candidatura {self.args[0]} è stata modificata da un altro utente dopo che l'hai aperta: "
                "ricarica la pagina e ripeti la decisione.")


@dataclass(frozen=True)
class VoceCampagna:
    codice: str
    titolo: str
    stato: str
    candidature: int
    versione: int
    aggiornata_il: dt.datetime


@dataclass(frozen=True)
class VoceCandidatura:
    protocollo: str
    ricevuta_il: dt.datetime
    decisione: str
    versione: int
    candidatura: Candidatura


@dataclass(frozen=True)
class Esame:
    protocollo: str
    candidatura: Candidatura
    rilievi: list[Rilievo]

    @property
    def errori(self) -> int:
        return sum(1 for r in self.rilievi if r.gravita == "errore")


def _json(model) -> str:
    return json.dumps(dump_presenti(model), ensure_ascii=False, default=_default)


def _session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


def _riga_campagna(s: Session, codice: str, attore: Attore | None = None, azione: str = "leggi") -> CampagnaRecord:
    """La riga della campagna, se l'attore può compiere ``azione`` (``AccessoNegato`` altrimenti)."""
    chi = accesso.risolvi(attore)
    row = s.exec(select(CampagnaRecord).where(CampagnaRecord.codice == codice)).first()
    if row is None and chi.amministratore:
        raise CampagnaNonTrovata(codice)
    accesso.richiedi_campagna(s, chi, row, azione, codice)
    return row


def _evento_campagna(s: Session, codice: str, chi: Attore, tipo: str, descrizione: str, dettagli: dict) -> None:
    repo.add_event(s, codice=f"campagna:{codice}"[:120], pratica_id=None, quando=utcnow(), autore=chi.firma,
                   tipo=tipo, descrizione=descrizione, dettagli=dettagli)


# --------------------------------------------------------------------------- campagne

def crea_campagna(campagna: Campagna, candidature: list[Candidatura] | None = None, *,
                  attore: Attore | None = None) -> VoceCampagna:
    """Crea la campagna (ed eventuali candidature già raccolte, es. da un file), tutto o niente;
    chi la crea con il proprio account ne diventa titolare."""
    chi = accesso.risolvi(attore)
    accesso.richiedi_account(chi)
    try:
        with _session() as s, s.begin():
            if s.exec(select(CampagnaRecord.id).where(CampagnaRecord.codice == campagna.codice)).first():
                raise CampagnaEsistente(campagna.codice)
            now = utcnow()
            row = CampagnaRecord(codice=campagna.codice, titolo=campagna.titolo, stato=campagna.stato,
                                 dati=_json(campagna), created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            accesso.concedi_titolare(s, chi, campagna_id=row.id, quando=now)
            for i, c in enumerate(candidature or []):
                prot = c.protocollo or _nuovo_protocollo(s, row, now, i)
                c = c.model_copy(update={"protocollo": prot, "ricevuta_il": c.ricevuta_il or now})
                s.add(CandidaturaRecord(campagna_id=row.id, protocollo=prot, ricevuta_il=c.ricevuta_il,
                                        decisione=c.decisione, mittente="importazione", dati=_json(c)))
            s.flush()
            return VoceCampagna(row.codice, row.titolo, row.stato, len(candidature or []), row.version, row.updated_at)
    except sa.exc.IntegrityError:
        raise CampagnaEsistente(campagna.codice) from None


def importa_file_campagna(path: str | Path, *, attore: Attore | None = None) -> VoceCampagna:
    f: FileCampagna = carica_campagna(path)
    return crea_campagna(f.campagna, f.candidature, attore=attore)


def elenco_campagne(*, attore: Attore | None = None) -> list[VoceCampagna]:
    """Le campagne condivise con l'attore (tutte per l'amministratore)."""
    chi = accesso.risolvi(attore)
    with _session() as s:
        visibili = accesso.campagne_visibili(s, chi)
        conteggi = dict(s.exec(select(CandidaturaRecord.campagna_id, sa.func.count())
                               .group_by(CandidaturaRecord.campagna_id)).all())
        return [VoceCampagna(r.codice, r.titolo, r.stato, conteggi.get(r.id, 0), r.version, r.updated_at)
                for r in s.exec(select(CampagnaRecord).order_by(CampagnaRecord.codice)).all()
                if visibili is None or r.id in visibili]


def apri_campagna(codice: str, *, attore: Attore | None = None) -> tuple[Campagna, int]:
    with _session() as s:
        row = _riga_campagna(s, codice, attore)
        return Campagna.model_validate(json.loads(row.dati)), row.version


def salva_campagna(campagna: Campagna, versione_attesa: int, *, attore: Attore | None = None) -> int:
    campagna = Campagna.model_validate(campagna.model_dump())
    try:
        with _session() as s, s.begin():
            row = _riga_campagna(s, campagna.codice, attore, "modifica")
            if row.version != versione_attesa:
                raise ConflittoCandidatura(campagna.codice)
            row.dati, row.titolo, row.stato, row.updated_at = _json(campagna), campagna.titolo, campagna.stato, utcnow()
            s.flush()
            return row.version
    except StaleDataError:
        raise ConflittoCandidatura(campagna.codice) from None


# --------------------------------------------------------------------------- candidature

def _nuovo_protocollo(s: Session, campagna: CampagnaRecord, now: dt.datetime, extra: int = 0) -> str:
    n = s.exec(select(sa.func.count()).select_from(CandidaturaRecord)
               .where(CandidaturaRecord.campagna_id == campagna.id)).one()
    return f"{campagna.codice.upper()[:24]}-{now.year}-{n + 1 + extra:06d}"


def candidature(codice: str, *, attore: Attore | None = None) -> list[VoceCandidatura]:
    with _session() as s:
        row = _riga_campagna(s, codice, attore)
        righe = s.exec(select(CandidaturaRecord).where(CandidaturaRecord.campagna_id == row.id)
                       .order_by(CandidaturaRecord.ricevuta_il, CandidaturaRecord.id)).all()
        return [VoceCandidatura(r.protocollo, r.ricevuta_il, r.decisione, r.version,
                                Candidatura.model_validate(json.loads(r.dati))) for r in righe]


def esamina(codice: str, al: dt.date, *, attore: Attore | None = None) -> tuple[list[Esame], list[Rilievo], object]:
    """Screening: rilievi per ogni candidatura, rilievi sull'insieme delle ammesse, bilancio energetico."""
    campagna, _v = apri_campagna(codice, attore=attore)
    voci = candidature(codice, attore=attore)
    doppi = doppioni([(v.protocollo, v.candidatura) for v in voci])
    esami = [Esame(v.protocollo, v.candidatura, esamina_candidatura(campagna, v.candidatura, al, v.protocollo)
                   + doppi.get(v.protocollo, [])) for v in voci]
    ammesse = [v.candidatura for v in voci if v.decisione == "ammessa"]
    return esami, esamina_insieme(campagna, ammesse, al), bilancio(campagna, ammesse)


def decidi(protocollo: str, decisione: Decisione, note: str | None, autore: str, versione_attesa: int, *,
           attore: Attore | None = None) -> int:
    """Registra la decisione dell'ufficio sulla candidatura, con il blocco ottimistico.

    Per un account la valutazione è firmata dall'account, non dal nome dichiarato in ``autore``."""
    chi = accesso.risolvi(attore)
    autore = accesso.autore_di(chi, autore)
    try:
        with _session() as s, s.begin():
            row = s.exec(select(CandidaturaRecord).where(CandidaturaRecord.protocollo == protocollo)).first()
            if row is None and chi.amministratore:
                raise CandidaturaNonTrovata(protocollo)
            campagna_row = s.get(CampagnaRecord, row.campagna_id) if row is not None else None
            if campagna_row is None:
                raise AccessoNegato(f"la candidatura '{protocollo}' non è nell'archivio o non è condivisa con te")
            accesso.richiedi_campagna(s, chi, campagna_row, "decidi", campagna_row.codice)
            if row.version != versione_attesa:
                raise ConflittoCandidatura(protocollo)
            c = Candidatura.model_validate(json.loads(row.dati))
            c = c.model_copy(update={"decisione": decisione, "note": note, "valutata_da": autore,
                                     "valutata_il": utcnow()})
            row.dati, row.decisione = _json(c), decisione
            s.flush()
            return row.version
    except StaleDataError:
        raise ConflittoCandidatura(protocollo) from None


def _per_esportare(codice: str, attore: Attore | None, formato: str) -> list[Candidatura]:
    """Le candidature da esportare (dati personali): serve il permesso, ed è un evento del registro."""
    chi = accesso.risolvi(attore)
    with _session() as s, s.begin():
        row = _riga_campagna(s, codice, chi, "esporta")
        righe = s.exec(select(CandidaturaRecord).where(CandidaturaRecord.campagna_id == row.id)
                       .order_by(CandidaturaRecord.ricevuta_il, CandidaturaRecord.id)).all()
        _evento_campagna(s, codice, chi, "esportazione", f"candidature esportate in {formato.upper()}",
                         {"formato": formato, "candidature": len(righe)})
        return [Candidatura.model_validate(json.loads(r.dati)) for r in righe]


def esporta_csv(codice: str, *, attore: Attore | None = None) -> bytes:
    return esportazione.in_csv(_per_esportare(codice, attore, "csv"))


def esporta_xlsx(codice: str, *, attore: Attore | None = None) -> bytes:
    return esportazione.in_xlsx(_per_esportare(codice, attore, "xlsx"))


# --------------------------------------------------------------------------- passaggio ai fondatori

@dataclass(frozen=True)
class EsitoConversione:
    codice_pratica: str
    versione: int
    soggetti: dict[str, str]  # protocollo → id soggetto
    nuova: bool


def converti_in_pratica(codice_campagna: str, protocolli: list[str] | None, *, codice_pratica: str | None = None,
                        nuova_codice: str | None = None, nuova_denominazione: str | None = None,
                        autore: str | None = None, attore: Attore | None = None) -> EsitoConversione:
    """Le candidature ammesse (tutte, o quelle indicate) diventano soggetti, membri, POD e impianti
    di una pratica esistente (``codice_pratica``) o nuova (``nuova_codice``): in un solo passo.

    Serve il permesso di conversione sulla campagna e, per una pratica esistente, quello di modificarla."""
    chi = accesso.risolvi(attore)
    with _session() as s:
        _riga_campagna(s, codice_campagna, chi, "converti")
    campagna, _v = apri_campagna(codice_campagna, attore=chi)
    voci = [v for v in candidature(codice_campagna, attore=chi) if protocolli is None or v.protocollo in protocolli]
    if protocolli is not None:
        mancanti = set(protocolli) - {v.protocollo for v in voci}
        if mancanti:
            raise CandidaturaNonTrovata(", ".join(sorted(mancanti)))
    scelte = [v.candidatura for v in voci if protocolli is not None or v.decisione == "ammessa"]
    if not scelte:
        raise ErroreConversione("nessuna candidatura ammessa da convertire: registra prima le decisioni")
    if nuova_codice:
        base = nuova_pratica(campagna, nuova_codice, nuova_denominazione or f"Comunità energetica rinnovabile – {campagna.titolo}")
        pratica, mappa = converti(campagna, scelte, base)
        aperta = archivio.importa_pratica(pratica, autore=autore, attore=chi)
        return EsitoConversione(aperta.codice, aperta.versione, mappa, True)
    codice = codice_pratica or campagna.pratica
    if not codice:
        raise ErroreConversione("indica la pratica di destinazione o il codice di una pratica nuova")
    archivio.richiedi(codice, "modifica", attore=chi)
    aperta = archivio.apri(codice, attore=chi)
    pratica, mappa = converti(campagna, scelte, aperta.pratica)
    salvata = archivio.salva(codice, pratica, aperta.versione, autore=autore, attore=chi,
                             descrizione=f"ingresso di {len(scelte)} candidati dalla campagna {codice_campagna}")
    return EsitoConversione(salvata.codice, salvata.versione, mappa, False)


__all__ += ["AccessoNegato", "Attore", "EsitoConversione", "ErrorePratica"]
