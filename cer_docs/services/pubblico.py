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
from cer_docs.model.limiti import problemi_dati, problemi_modello
from cer_docs.rules.manifestazione import esamina_candidatura
from cer_docs.sicurezza.limiti import limiti
from cer_docs.store import get_engine
from cer_docs.model.io import dump_presenti
from cer_docs.store.codec import _default
from cer_docs.store.tables import AllegatoCandidaturaRecord, CampagnaRecord, CandidaturaRecord, InvioPubblicoRecord

# Limiti tecnici del servizio (non normativi); frequenza e spazio in sicurezza/limiti.py
MAX_ALLEGATI = 3
MAX_ALLEGATO_BYTE = 5 * 1024 * 1024
# Il modulo accetta file fino a questa dimensione per poterli rifiutare con un messaggio
# (oltre MAX_ALLEGATO_BYTE), invece di lasciarli cadere in silenzio nel browser.
CARICAMENTO_MASSIMO_MB = 20
MAX_INVII_PER_ORA = limiti().invii_per_identita_ora
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
    # caratteri che nessun documento sa scrivere (U+FFFF, surrogati) e numeri fuori misura (1e999999)
    ostili = list(problemi_dati(dati)) + (list(problemi_modello(cand)) if cand is not None else [])
    gia = {p for p, _m in problemi}
    problemi.extend((campo, f"{_etichetta(campo)}: {messaggio}") for campo, messaggio in ostili if campo not in gia)
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


def _impronte_identita(codice: str, cand: Candidatura) -> tuple[str, str | None]:
    """Impronte (non reversibili senza conoscere il dato) di codice fiscale ed e-mail, legate alla campagna."""
    cf = "".join(cand.codice_fiscale.split()).upper()
    email = (cand.email or "").strip().lower()
    return (impronta_mittente("cf", codice, cf),
            impronta_mittente("email", codice, email) if email else None)


def _controlla_limiti(s: Session, campagna_id: int, mittente: str, imp_cf: str, imp_email: str | None,
                      byte: int, ora: dt.datetime) -> None:
    """Rifiuta l'invio (``ErroreInvio``) se supera un limite; nulla viene registrato."""
    lim = limiti()
    globali = s.exec(select(sa.func.count()).select_from(InvioPubblicoRecord)
                     .where(InvioPubblicoRecord.ricevuto_il > ora - dt.timedelta(minutes=1))).one()
    if globali >= lim.invii_globali_minuto:
        raise ErroreInvio([("modulo", "Il servizio sta ricevendo molte candidature in questo momento: riprova tra "
                                      "qualche minuto. I dati inseriti restano nel modulo.")])
    chi = [InvioPubblicoRecord.mittente == mittente, InvioPubblicoRecord.impronta_cf == imp_cf]
    if imp_email:
        chi.append(InvioPubblicoRecord.impronta_email == imp_email)
    recenti = s.exec(select(sa.func.count()).select_from(InvioPubblicoRecord)
                     .where(InvioPubblicoRecord.campagna_id == campagna_id,
                            InvioPubblicoRecord.ricevuto_il > ora - dt.timedelta(hours=1), sa.or_(*chi))).one()
    if recenti >= lim.invii_per_identita_ora:
        raise ErroreInvio([("modulo", "Troppi invii ravvicinati per questa candidatura (stesso codice fiscale, "
                                      "e-mail o postazione): riprova tra un'ora o scrivi all'ufficio.")])
    usati = s.exec(select(sa.func.coalesce(sa.func.sum(InvioPubblicoRecord.byte), 0))
                   .where(InvioPubblicoRecord.campagna_id == campagna_id)).one()
    if usati + byte > lim.quota_campagna_mb * 1024 * 1024:
        raise ErroreInvio([("allegati" if byte > 64 * 1024 else "modulo",
                            "La raccolta delle candidature ha esaurito lo spazio disponibile per gli allegati: "
                            "invia la candidatura senza allegati o scrivi all'ente per consegnarli in altro modo.")])


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
        # 4. frequenza e spazio: per campagna e per identità (sessione, codice fiscale, e-mail), nel database
        testo_cand = json.dumps(dump_presenti(cand), ensure_ascii=False, default=_default)
        byte = len(testo_cand.encode("utf-8")) + sum(len(c) for _n, c in allegati)
        imp_cf, imp_email = _impronte_identita(codice, cand)
        _controlla_limiti(s, row.id, mittente, imp_cf, imp_email, byte, ora)
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
        s.add(InvioPubblicoRecord(campagna_id=row.id, candidatura_id=rec.id, ricevuto_il=ora, mittente=mittente,
                                  impronta_cf=imp_cf, impronta_email=imp_email, byte=byte))
        for (nome, contenuto), tipo in zip(allegati, tipi):
            s.add(AllegatoCandidaturaRecord(candidatura_id=rec.id, nome_file=nome[:255], tipo=tipo,
                                            dimensione=len(contenuto), sha256=hashlib.sha256(contenuto).hexdigest(),
                                            contenuto=contenuto))
    note = [r.messaggio for r in rilievi if r.gravita in ("errore", "avviso")]
    return Ricevuta(protocollo=protocollo, ricevuta_il=ora, campagna=info.titolo, ente=info.ente,
                    candidato=cand.nome_completo, ruolo=cand.ruolo, pod=[p.pod for p in cand.pod],
                    allegati=[n for n, _ in allegati], note_per_il_candidato=note)
