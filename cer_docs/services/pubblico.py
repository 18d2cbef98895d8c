"""Il modulo pubblico della manifestazione di interesse: l'unica porta dell'app pubblica.

Questo modulo può soltanto:
- leggere le informazioni pubbliche delle campagne aperte;
- registrare una nuova candidatura e restituirne la ricevuta.

Non esiste qui alcuna funzione che legga candidature già registrate: l'app pubblica non
può mostrare i dati di altri candidati. I campi riservati all'ufficio (decisione, note,
valutazione) non si possono impostare da qui. Limiti su dimensione e numero degli allegati
e sulla frequenza degli invii proteggono il servizio.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlmodel import Session, select

from cer_docs.model.campagna import Campagna, Candidatura
from cer_docs.model.io import _messaggio, format_path
from cer_docs.rules.manifestazione import esamina_candidatura
from cer_docs.store import get_engine
from cer_docs.model.io import dump_presenti
from cer_docs.store.codec import _default
from cer_docs.store.tables import AllegatoCandidaturaRecord, CampagnaRecord, CandidaturaRecord

# Limiti tecnici del servizio (non normativi)
MAX_ALLEGATI = 3
MAX_ALLEGATO_BYTE = 5 * 1024 * 1024
MAX_INVII_PER_ORA = 5
TIPI_AMMESSI = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
# I rilievi che impediscono l'invio: dati formalmente sbagliati o mancanti. Il resto lo valuta l'ufficio.
_BLOCCANTI = ("ID_", "CAND_PRIVACY", "CAND_POD_MANCANTE", "CAND_RUOLO")
_RISERVATI = ("protocollo", "ricevuta_il", "decisione", "note", "valutata_da", "valutata_il", "consenso_privacy_il")


class ErroreInvio(ValueError):
    """La candidatura non può essere registrata: ``problemi`` è un elenco (campo, messaggio)."""

    def __init__(self, problemi: list[tuple[str, str]]):
        super().__init__("; ".join(m for _c, m in problemi))
        self.problemi = problemi


@dataclass(frozen=True)
class InfoPubblica:
    codice: str
    titolo: str
    ente: str
    ente_pec: str | None
    ente_codice_fiscale: str | None
    responsabile: str
    responsabile_contatto: str | None
    finalita: str | None
    comuni: list[str]
    cabine_primarie: list[str]
    ruoli_ammessi: list[str]
    scadenza: dt.date | None
    allegati_richiesti: list[str]
    canale: str | None
    aperta: bool


@dataclass(frozen=True)
class Ricevuta:
    protocollo: str
    ricevuta_il: dt.datetime
    campagna: str
    ente: str
    candidato: str
    ruolo: str
    pod: list[str]
    allegati: list[str] = field(default_factory=list)
    note_per_il_candidato: list[str] = field(default_factory=list)


def _session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


def _info(row: CampagnaRecord, oggi: dt.date) -> InfoPubblica:
    c = Campagna.model_validate(json.loads(row.dati))
    aperta = c.stato == "aperta" and (c.scadenza is None or oggi <= c.scadenza)
    return InfoPubblica(
        codice=c.codice, titolo=c.titolo, ente=c.ente.denominazione, ente_pec=c.ente.pec,
        ente_codice_fiscale=c.ente.codice_fiscale, responsabile=c.responsabile.nome,
        responsabile_contatto=c.responsabile.email, finalita=c.finalita, comuni=list(c.comuni),
        cabine_primarie=list(c.cabine_primarie), ruoli_ammessi=list(c.ruoli_ammessi), scadenza=c.scadenza,
        allegati_richiesti=list(c.allegati_richiesti), canale=c.canale, aperta=aperta)


def campagne_aperte(oggi: dt.date) -> list[InfoPubblica]:
    with _session() as s:
        righe = s.exec(select(CampagnaRecord).where(CampagnaRecord.stato == "aperta")).all()
        return [i for i in (_info(r, oggi) for r in righe) if i.aperta]


def campagna_pubblica(codice: str, oggi: dt.date) -> InfoPubblica | None:
    with _session() as s:
        row = s.exec(select(CampagnaRecord).where(CampagnaRecord.codice == codice)).first()
        if row is None or row.stato not in ("aperta", "chiusa"):
            return None
        return _info(row, oggi)


def impronta_mittente(*parti: str) -> str:
    return hashlib.sha256("|".join(parti).encode("utf-8")).hexdigest()


def _tipo_allegato(nome: str, dati: bytes) -> str:
    for magia, tipo in TIPI_AMMESSI.items():
        if dati.startswith(magia):
            return tipo
    raise ErroreInvio([("allegati", f"Il file «{nome}» non è un PDF, un JPEG o un PNG: allega una scansione o "
                                    "una foto in uno di questi formati.")])


ETICHETTE_MODULO = {
    "nome": "Nome", "cognome": "Cognome", "denominazione": "Denominazione", "codice_fiscale": "Codice fiscale",
    "partita_iva": "Partita IVA", "nato_il": "Data di nascita", "nato_a": "Comune di nascita",
    "indirizzo.indirizzo": "Indirizzo", "indirizzo.cap": "CAP", "indirizzo.comune": "Comune",
    "indirizzo.provincia": "Provincia", "email": "Email", "telefono": "Telefono", "ruolo": "Ruolo",
    "consumo_annuo_kwh": "Consumo annuo", "impianto.potenza_kw": "Potenza dell'impianto",
    "codice_ateco": "Codice ATECO",
    "dimensione": "Dimensione d'impresa", "consenso_privacy": "Informativa sulla privacy",
}


def _etichetta(percorso: str) -> str:
    """Il nome del campo come lo legge il cittadino nel modulo (mai un percorso tecnico)."""
    if percorso in ETICHETTE_MODULO:
        return ETICHETTE_MODULO[percorso]
    if percorso.startswith("pod"):
        return "Codice POD"
    return percorso.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def controlla_candidatura(dati: dict[str, Any], allegati: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """Tutti i problemi di forma di una candidatura e dei suoi allegati, insieme (nulla si registra)."""
    return _controlla(dati, allegati)[0]


def _controlla(dati: dict[str, Any], allegati: list[tuple[str, bytes]]
               ) -> tuple[list[tuple[str, str]], Candidatura | None, list[str]]:
    problemi: list[tuple[str, str]] = []
    # 1. forma della candidatura (i campi riservati all'ufficio non si accettano dal pubblico)
    dati = {k: v for k, v in dati.items() if k not in _RISERVATI}
    cand = None
    try:
        cand = Candidatura.model_validate(dati)
    except ValidationError as e:
        for err in e.errors():
            percorso = format_path(err["loc"])
            messaggio = _messaggio(err)
            problemi.append((percorso, f"{_etichetta(percorso)}: {messaggio}" if percorso
                             else messaggio[:1].upper() + messaggio[1:]))
    # 2. allegati: tutti i problemi, non solo il primo
    tipi: list[str] = []
    if len(allegati) > MAX_ALLEGATI:
        problemi.append(("allegati", f"Puoi allegare al massimo {MAX_ALLEGATI} file."))
    for nome, contenuto in allegati:
        if len(contenuto) > MAX_ALLEGATO_BYTE:
            problemi.append(("allegati", f"Il file «{nome}» supera {MAX_ALLEGATO_BYTE // (1024 * 1024)} MB: "
                                         "riducine la dimensione (es. scansione a 150 dpi)."))
        elif not contenuto:
            problemi.append(("allegati", f"Il file «{nome}» è vuoto."))
        else:
            try:
                tipi.append(_tipo_allegato(nome, contenuto))
            except ErroreInvio as e:
                problemi.extend(e.problemi)
    return problemi, cand, tipi


def invia_candidatura(codice: str, dati: dict[str, Any], allegati: list[tuple[str, bytes]], mittente: str,
                      ora: dt.datetime) -> Ricevuta:
    """Controlla e registra una candidatura; tutto o niente. Solleva ``ErroreInvio`` con messaggi per campo."""
    problemi, cand, tipi = _controlla(dati, allegati)
    if problemi:
        raise ErroreInvio(problemi)
    oggi = ora.date()
    for tentativo in range(3):  # due invii simultanei possono contendersi lo stesso protocollo
        try:
            return _registra(codice, cand, allegati, tipi, mittente, ora, oggi)
        except sa.exc.IntegrityError:
            if tentativo == 2:
                raise ErroreInvio([("modulo", "Il servizio è molto occupato: riprova tra qualche istante.")]) from None
    raise AssertionError("irraggiungibile")


def _registra(codice, cand, allegati, tipi, mittente, ora, oggi) -> Ricevuta:
    with _session() as s, s.begin():
        row = s.exec(select(CampagnaRecord).where(CampagnaRecord.codice == codice)).first()
        if row is None:
            raise ErroreInvio([("campagna", "La manifestazione di interesse indicata non esiste.")])
        info = _info(row, oggi)
        if not info.aperta:
            raise ErroreInvio([("campagna", "La manifestazione di interesse è chiusa: non si accettano più candidature.")])
        campagna = Campagna.model_validate(json.loads(row.dati))
        # 3. controlli di merito bloccanti (dati sbagliati); l'ammissibilità la valuta l'ufficio
        rilievi = esamina_candidatura(campagna, cand, oggi, "candidatura")
        bloccanti = [r for r in rilievi if r.gravita == "errore" and r.codice.startswith(_BLOCCANTI)]
        if bloccanti:
            raise ErroreInvio([(r.oggetto.removeprefix("candidatura."), r.messaggio) for r in bloccanti])
        # 4. frequenza degli invii
        da = ora - dt.timedelta(hours=1)
        recenti = s.exec(select(sa.func.count()).select_from(CandidaturaRecord)
                         .where(CandidaturaRecord.mittente == mittente, CandidaturaRecord.ricevuta_il >= da)).one()
        if recenti >= MAX_INVII_PER_ORA:
            raise ErroreInvio([("modulo", "Troppi invii ravvicinati da questa postazione: riprova tra un'ora o "
                                          "scrivi all'ufficio.")])
        # 5. registrazione con protocollo progressivo
        n = s.exec(select(sa.func.count()).select_from(CandidaturaRecord)
                   .where(CandidaturaRecord.campagna_id == row.id)).one()
        protocollo = f"{codice.upper()[:32]}-{n + 1:06d}"
        cand = cand.model_copy(update={"protocollo": protocollo, "ricevuta_il": ora, "consenso_privacy_il": ora,
                                       "decisione": "da_valutare"})
        testo = json.dumps(dump_presenti(cand) |
                           {"protocollo": protocollo, "ricevuta_il": ora, "consenso_privacy_il": ora},
                           ensure_ascii=False, default=_default)
        rec = CandidaturaRecord(campagna_id=row.id, protocollo=protocollo, ricevuta_il=ora, decisione="da_valutare",
                                mittente=mittente, dati=testo)
        s.add(rec)
        s.flush()
        for (nome, contenuto), tipo in zip(allegati, tipi):
            s.add(AllegatoCandidaturaRecord(candidatura_id=rec.id, nome_file=nome[:255], tipo=tipo,
                                            dimensione=len(contenuto), sha256=hashlib.sha256(contenuto).hexdigest(),
                                            contenuto=contenuto))
    note = [r.messaggio for r in rilievi if r.gravita in ("errore", "avviso")]
    return Ricevuta(protocollo=protocollo, ricevuta_il=ora, campagna=info.titolo, ente=info.ente,
                    candidato=cand.nome_completo, ruolo=cand.ruolo, pod=[p.pod for p in cand.pod],
                    allegati=[n for n, _ in allegati], note_per_il_candidato=note)
