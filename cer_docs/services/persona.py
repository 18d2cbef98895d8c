"""I dati di una persona (interessato, GDPR): esportazione (art. 15 e 20) e cancellazione (art. 17).

- ``esporta_persona(cf)``: tutto ciò che l'archivio conserva su una persona, cercando il suo
  codice fiscale in ogni pratica e in ogni candidatura (con gli allegati): un dizionario pronto per
  il JSON e un PDF leggibile (``pdf_persona``).
- ``cancella_persona(cf, al)``: toglie la persona dalle pratiche e cancella le sue candidature,
  **tranne** ciò che un obbligo di conservazione copre ancora, che viene rifiutato con il motivo e,
  quando si può calcolare, la data da cui la cancellazione sarà possibile:
  membri di una comunità costituita (fino a ``registro_pratica_conservazione_anni`` dal recesso) e
  beneficiari di un contributo PNRR. Dopo la cancellazione il file del database viene ricompattato
  (SQLite: ``secure_delete`` e ``VACUUM``; PostgreSQL: ``VACUUM FULL``) e i documenti generati delle
  pratiche toccate vengono eliminati: del codice fiscale non resta traccia.
- ``purga_candidature_non_ammesse(al)``: cancella le candidature escluse da più di
  ``candidature_non_ammesse_conservazione_mesi`` mesi.

Esportazioni e cancellazioni sono eventi del registro, che non contengono il codice fiscale.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import shutil
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, select

from cer_docs.model import ErrorePratica, parse_data
from cer_docs.rules.base import param
from cer_docs.services import accesso, archivio
from cer_docs.services.accesso import Attore
from cer_docs.store import get_engine, utcnow
from cer_docs.store import repository as repo
from cer_docs.store.codec import decode_data
from cer_docs.store.tables import AllegatoCandidaturaRecord, CampagnaRecord, CandidaturaRecord, PraticaRecord

__all__ = ["EsitoCancellazione", "Rifiuto", "cancella_persona", "esporta_persona", "pdf_persona",
           "purga_candidature_non_ammesse"]

STATI_COSTITUITA = ("costituita", "richiesta_inviata", "qualificata", "operativa")
SEGNAPOSTO = "[cancellato]"


def _norm(cf: str) -> str:
    cf = (cf or "").strip().upper()
    if len(cf) < 11 or not cf.isalnum():
        raise ValueError(f"'{cf}' non è un codice fiscale: 16 caratteri per una persona, 11 cifre per un ente")
    return cf


def _contiene(nodo: Any, cf: str) -> bool:
    if isinstance(nodo, str):
        return nodo.strip().upper() == cf
    if isinstance(nodo, dict):
        return any(_contiene(v, cf) for v in nodo.values())
    if isinstance(nodo, list):
        return any(_contiene(v, cf) for v in nodo)
    return False


def _trova(nodo: Any, cf: str, soggetti: set[str], percorso: str = "") -> list[tuple[str, dict]]:
    """Ogni oggetto del file pratica che contiene il codice fiscale o rimanda a un soggetto della persona."""
    trovati: list[tuple[str, dict]] = []
    if isinstance(nodo, dict):
        diretto = any(isinstance(v, str) and v.strip().upper() == cf for v in nodo.values())
        rimanda = any(k in ("soggetto", "produttore", "beneficiario") and v in soggetti for k, v in nodo.items())
        if diretto or rimanda:
            trovati.append((percorso or "pratica", nodo))
        for k, v in nodo.items():
            trovati += _trova(v, cf, soggetti, f"{percorso}.{k}" if percorso else k)
    elif isinstance(nodo, list):
        for i, v in enumerate(nodo):
            trovati += _trova(v, cf, soggetti, f"{percorso}[{i}]")
    return trovati


def _soggetti_della_persona(dati: dict, cf: str) -> set[str]:
    return {s["id"] for s in dati.get("soggetti", []) if isinstance(s, dict) and _contiene(
        {k: v for k, v in s.items() if k in ("codice_fiscale",)}, cf)}


def _session() -> Session:
    return Session(get_engine(), expire_on_commit=False)


# --------------------------------------------------------------------------- esportazione

def esporta_persona(cf: str, *, attore: Attore | None = None) -> dict[str, Any]:
    """Tutto ciò che l'archivio conserva sulla persona; con un account, solo nelle pratiche e nelle
    campagne su cui ha il permesso di esportare i dati personali."""
    chi = accesso.risolvi(attore)
    cf = _norm(cf)
    pratiche, candidature = [], []
    with _session() as s:
        for row in s.exec(select(PraticaRecord).order_by(PraticaRecord.codice)).all():
            if cf not in row.dati.upper():
                continue
            if not chi.amministratore and not accesso.puo(accesso.ruolo_pratica(s, chi, row.id), "esporta"):
                continue
            dati = decode_data(row.dati)
            soggetti = _soggetti_della_persona(dati, cf)
            pratiche.append({"pratica": row.codice, "denominazione": row.denominazione, "stato": row.stato,
                             "dati": [{"dove": p, "contenuto": n} for p, n in _trova(dati, cf, soggetti)]})
        for cand, camp in s.exec(select(CandidaturaRecord, CampagnaRecord)
                                 .join(CampagnaRecord, CampagnaRecord.id == CandidaturaRecord.campagna_id)
                                 .order_by(CandidaturaRecord.id)).all():
            dati = json.loads(cand.dati)
            if not _contiene(dati, cf):
                continue
            if not chi.amministratore and not accesso.puo(accesso.ruolo_campagna(s, chi, camp.id), "esporta",
                                                          campagna=True):
                continue
            allegati = s.exec(select(AllegatoCandidaturaRecord)
                              .where(AllegatoCandidaturaRecord.candidatura_id == cand.id)).all()
            candidature.append({
                "campagna": camp.codice, "titolo_campagna": camp.titolo, "protocollo": cand.protocollo,
                "ricevuta_il": cand.ricevuta_il.isoformat(), "decisione": cand.decisione, "dati": dati,
                "allegati": [{"nome_file": a.nome_file, "tipo": a.tipo, "dimensione": a.dimensione, "sha256": a.sha256,
                              "contenuto_base64": base64.b64encode(bytes(a.contenuto)).decode("ascii")}
                             for a in allegati]})
    esito = {"formato": "cer-docs/dati-personali@1", "codice_fiscale": cf, "estratto_il": utcnow().isoformat(),
             "pratiche": pratiche, "candidature": candidature}
    for p in pratiche:
        archivio.registra_evento(p["pratica"], "esportazione_dati_personali",
                                 "esportati i dati di un interessato (art. 15 GDPR)", attore=chi)
    return esito


def pdf_persona(esportazione: dict[str, Any]) -> bytes:
    """Un PDF leggibile dell'esportazione (il JSON resta la copia completa, allegati compresi)."""
    from weasyprint import HTML

    e = html.escape

    def tabella(nodo: Any) -> str:
        if isinstance(nodo, dict):
            righe = "".join(f"<tr><th>{e(str(k))}</th><td>{tabella(v)}</td></tr>" for k, v in nodo.items()
                            if k != "contenuto_base64")
            return f"<table>{righe}</table>"
        if isinstance(nodo, list):
            return "".join(f"<div class='voce'>{tabella(v)}</div>" for v in nodo) or "—"
        return e("" if nodo is None else str(nodo))

    parti = [f"<h1>Dati personali conservati da cer-docs</h1><p>Codice fiscale: <b>{e(esportazione['codice_fiscale'])}"
             f"</b><br>Estratto il {e(esportazione['estratto_il'][:16].replace('T', ' '))} (UTC)</p>"]
    parti.append(f"<h2>Pratiche ({len(esportazione['pratiche'])})</h2>")
    for p in esportazione["pratiche"]:
        parti.append(f"<h3>{e(p['denominazione'])} ({e(p['pratica'])})</h3>")
        for d in p["dati"]:
            parti.append(f"<p class='dove'>{e(d['dove'])}</p>{tabella(d['contenuto'])}")
    parti.append(f"<h2>Candidature alle manifestazioni di interesse ({len(esportazione['candidature'])})</h2>")
    for c in esportazione["candidature"]:
        parti.append(f"<h3>{e(c['titolo_campagna'])} – protocollo {e(c['protocollo'])}</h3>"
                     f"<p>Ricevuta il {e(c['ricevuta_il'][:10])} · decisione: {e(c['decisione'])}</p>")
        parti.append(tabella(c["dati"]))
        if c["allegati"]:
            parti.append("<p><b>Allegati</b> (il contenuto è nel file JSON):</p>" + tabella(c["allegati"]))
    stile = ("body{font-family:'DejaVu Sans',sans-serif;font-size:9pt} table{border-collapse:collapse;width:100%}"
             "th,td{border:1px solid #bbb;padding:2px 4px;text-align:left;vertical-align:top} th{width:28%;"
             "background:#f2f2f2} .dove{color:#555;margin:8px 0 2px} .voce{margin-bottom:4px}")
    documento = f"<html><head><meta charset='utf-8'><style>{stile}</style></head><body>{''.join(parti)}</body></html>"
    return HTML(string=documento).write_pdf()


# --------------------------------------------------------------------------- cancellazione

@dataclass(frozen=True)
class Rifiuto:
    dove: str
    motivo: str
    possibile_dal: dt.date | None


@dataclass
class EsitoCancellazione:
    pratiche: list[str] = field(default_factory=list)
    candidature: list[str] = field(default_factory=list)
    rifiuti: list[Rifiuto] = field(default_factory=list)


def _anni(d: dt.date, n: int) -> dt.date:
    return d + relativedelta(years=n)


def _conservazione(dati: dict, soggetti: set[str], al: dt.date) -> Rifiuto | None:
    """Il motivo per cui la persona deve restare nella pratica, se c'è."""
    anni = int(param("registro_pratica_conservazione_anni", al))
    codice = dati.get("pratica", {}).get("id", "?")
    for conf in dati.get("configurazioni", []):
        for imp in conf.get("impianti", []):
            cp = imp.get("contributo_pnrr")
            if not cp:
                continue
            beneficiario = cp.get("beneficiario") or imp.get("produttore")
            if beneficiario in soggetti:
                return Rifiuto(codice, f"è beneficiario del contributo PNRR dell'impianto «{imp.get('id')}»: i dati "
                                       f"vanno conservati con la documentazione del contributo (per {anni} anni dalla "
                                       "sua chiusura); la data si conoscerà a contributo chiuso", None)
    stato = dati.get("pratica", {}).get("stato")
    if stato in STATI_COSTITUITA:
        for m in dati.get("membri", []):
            if m.get("soggetto") not in soggetti:
                continue
            recesso = m.get("data_recesso")
            if not recesso:
                return Rifiuto(codice, f"è membro di una comunità costituita: i dati restano finché è membro e per "
                                       f"{anni} anni dal recesso (art. 2220 c.c.)", None)
            fine = _anni(dt.date.fromisoformat(str(recesso)), anni)
            if fine > al:
                return Rifiuto(codice, f"è stato membro di una comunità costituita fino al "
                                       f"{dt.date.fromisoformat(str(recesso)).strftime('%d/%m/%Y')}: i dati vanno "
                                       f"conservati per {anni} anni dal recesso (art. 2220 c.c.)", fine)
    return None


def _togli(dati: dict, cf: str, soggetti: set[str]) -> dict:
    """La pratica senza la persona: via i suoi soggetti e ciò che vi rimanda; un rappresentante diventa anonimo."""
    dati = json.loads(json.dumps(dati))
    dati["soggetti"] = [s for s in dati.get("soggetti", []) if s.get("id") not in soggetti]
    dati["membri"] = [m for m in dati.get("membri", []) if m.get("soggetto") not in soggetti]
    dati["produttori_terzi"] = [p for p in dati.get("produttori_terzi", []) if p.get("soggetto") not in soggetti]
    if not dati["produttori_terzi"]:
        dati.pop("produttori_terzi")
    for conf in dati.get("configurazioni", []):
        conf["punti_connessione"] = [p for p in conf.get("punti_connessione", []) if p.get("soggetto") not in soggetti]
        ref = conf.get("referente") or {}
        if ref.get("soggetto") in soggetti:
            ref.pop("soggetto")
    ref = dati.get("referente") or {}
    if isinstance(ref, dict) and ref.get("soggetto") in soggetti:
        ref.pop("soggetto")

    def senza_rimandi(nodo: Any) -> Any:
        # elenchi di id (es. ``comunita.fondatori``) che nominano i soggetti tolti
        if isinstance(nodo, dict):
            return {k: senza_rimandi(v) for k, v in nodo.items()}
        if isinstance(nodo, list):
            return [senza_rimandi(v) for v in nodo if not (isinstance(v, str) and v in soggetti)]
        return nodo

    dati = senza_rimandi(dati)

    def anonimizza(nodo: Any) -> Any:
        # un legale rappresentante (o un altro riferimento) che porta il codice fiscale resta come ruolo, senza dati
        if isinstance(nodo, dict):
            if any(isinstance(v, str) and v.strip().upper() == cf for v in nodo.values()):
                return {k: v for k, v in nodo.items() if k in ("carica",)}
            return {k: anonimizza(v) for k, v in nodo.items()}
        if isinstance(nodo, list):
            return [anonimizza(v) for v in nodo]
        return nodo

    return anonimizza(dati)


def cancella_persona(cf: str, al: dt.date, *, attore: Attore | None = None) -> EsitoCancellazione:
    """Cancella la persona ovunque sia possibile. L'amministratore agisce su tutto l'archivio; un titolare
    solo sulle pratiche e sulle campagne in cui ha il permesso di cancellare (le altre non le vede)."""
    chi = accesso.risolvi(attore)
    cf = _norm(cf)
    esito = EsitoCancellazione()
    toccate: list[str] = []
    with _session() as s:
        righe = [r for r in s.exec(select(PraticaRecord).order_by(PraticaRecord.codice)).all()
                 if cf in r.dati.upper() and (chi.amministratore or accesso.puo(accesso.ruolo_pratica(s, chi, r.id),
                                                                                "cancella"))]
        if not chi.amministratore and not righe and not any(
                accesso.puo(accesso.ruolo_campagna(s, chi, cid), "cancella", campagna=True)
                for cid in (accesso.campagne_visibili(s, chi) or set())):
            raise accesso.AccessoNegato("solo un amministratore o il titolare di una pratica o di una campagna può "
                                        "cancellare i dati di una persona")
    for row in righe:
        dati = decode_data(row.dati)
        soggetti = _soggetti_della_persona(dati, cf)
        rifiuto = _conservazione(dati, soggetti, al)
        if rifiuto is not None:
            esito.rifiuti.append(rifiuto)
            continue
        try:
            nuova = parse_data(_togli(dati, cf, soggetti), f"archivio:{row.codice}", formato="json")
        except ErrorePratica as e:
            legami = "; ".join(f"{pr.campo}: {pr.messaggio}" for pr in e.problemi[:3])
            esito.rifiuti.append(Rifiuto(row.codice, "la persona è ancora necessaria alla pratica (" + legami +
                                         "): toglila dalla pratica con la procedura guidata, poi ripeti", None))
            continue
        archivio.salva(row.codice, nuova, row.version, attore=chi,
                       descrizione="cancellati i dati di un interessato (art. 17 GDPR)")
        esito.pratiche.append(row.codice)
        toccate.append(row.codice)
    with _session() as s, s.begin():
        for cand, camp in s.exec(select(CandidaturaRecord, CampagnaRecord)
                                 .join(CampagnaRecord, CampagnaRecord.id == CandidaturaRecord.campagna_id)).all():
            if not _contiene(json.loads(cand.dati), cf):
                continue
            if not chi.amministratore and not accesso.puo(accesso.ruolo_campagna(s, chi, camp.id), "cancella",
                                                          campagna=True):
                continue
            esito.candidature.append(cand.protocollo)
            s.delete(cand)  # gli allegati se ne vanno con lei (ON DELETE CASCADE)
            repo.add_event(s, codice=f"campagna:{camp.codice}"[:120], pratica_id=None, quando=utcnow(),
                           autore=chi.firma, tipo="cancellazione_dati_personali",
                           descrizione=f"cancellata la candidatura {cand.protocollo} (art. 17 GDPR)", dettagli={})
    if esito.pratiche or esito.candidature:
        _documenti_generati(toccate)
        compatta_database()
    return esito


def _documenti_generati(codici: list[str]) -> None:
    """I documenti generati contengono i dati di allora: si eliminano (si rigenerano quando servono)."""
    from cer_docs.services.procedura import cartella_documenti

    for codice in codici:
        shutil.rmtree(cartella_documenti(codice), ignore_errors=True)


def compatta_database() -> None:
    """Riscrive il database perché i dati cancellati non restino nelle pagine libere del file."""
    engine = get_engine()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        if engine.dialect.name == "sqlite":
            c.exec_driver_sql("VACUUM")
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif engine.dialect.name == "postgresql":
            for t in ("pratica", "evento", "candidatura", "allegato_candidatura", "documento_caricato"):
                c.exec_driver_sql(f"VACUUM FULL {t}")


def purga_candidature_non_ammesse(al: dt.date, *, attore: Attore | None = None) -> list[str]:
    """Cancella le candidature escluse la cui decisione è più vecchia del periodo di conservazione."""
    chi = accesso.risolvi(attore)
    accesso.richiedi_amministratore(chi)
    mesi = int(param("candidature_non_ammesse_conservazione_mesi", al))
    limite = al - relativedelta(months=mesi)
    tolte = []
    with _session() as s, s.begin():
        for cand in s.exec(select(CandidaturaRecord).where(CandidaturaRecord.decisione == "esclusa")).all():
            dati = json.loads(cand.dati)
            quando = dati.get("valutata_il") or dati.get("ricevuta_il")
            decisa = dt.datetime.fromisoformat(str(quando)).date() if quando else cand.ricevuta_il.date()
            if decisa < limite:
                tolte.append(cand.protocollo)
                s.delete(cand)
    if tolte:
        compatta_database()
    return tolte
