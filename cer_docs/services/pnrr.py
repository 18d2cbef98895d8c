"""Casi d'uso PNRR per la UI e la riga di comando: contributo, fatture, registro spese, PDF.

Tutte le funzioni ricevono la data ``al`` (la UI e la CLI la prendono dall'orologio o
dall'utente); le regole in ``cer_docs.pnrr`` non leggono mai l'orologio.

Errori: ``ErrorePnrr`` (messaggio italiano da mostrare così com'è) e le sue specializzazioni
``FatturaRifiutata`` (il file non entra nel registro: ``.esito`` ha i rilievi) e
``FatturaGiaCaricata``; dall'archivio possono arrivare ``PraticaNonTrovata``,
``ConflittoModifica``, ``ErrorePratica``.

``carica_fattura`` è tutto o niente: il file nella tabella ``documento_caricato`` e la voce
nel registro della pratica (con il suo evento) si scrivono nella stessa transazione.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cer_docs.model import ErrorePratica, Pratica, load_pratica, parse_data, to_data
from cer_docs.model.pnrr import Pagamento, Spesa
from cer_docs.pnrr import contributo as _contributo
from cer_docs.pnrr import esempio as _esempio
from cer_docs.pnrr import spese as _spese
from cer_docs.pnrr import stampa as _stampa
from cer_docs.pnrr.contributo import CalcoloContributo
from cer_docs.pnrr.fatture import (AttesiFattura, EsitoFattura, dati_da_pdf, dati_da_xml, esito_illeggibile,
                                   verifica_documento)
from cer_docs.pnrr.lettura import FileIlleggibile, leggi_documento
from cer_docs.pnrr.spese import RegistroSpese
from cer_docs.rules import identificativi as idf
from cer_docs.rules.base import ParametroNonDefinito
from cer_docs.store import get_engine, utcnow
from cer_docs.store import documenti as repo_doc
from cer_docs.store import repository as repo
from cer_docs.store.tables import DocumentoCaricatoRecord

from . import accesso
from .accesso import Attore
from .archivio import Archivio, PraticaAperta, PraticaNonTrovata, autore_predefinito

__all__ = [
    "CalcoloContributo", "DocumentoInfo", "ErrorePnrr", "EsitoCaricamento", "EsitoFattura", "FatturaGiaCaricata",
    "FatturaRifiutata", "RegistroSpese", "apri_pratica", "carica_fattura", "contenuto_documento", "contributo",
    "documenti_caricati", "esempio_fattura_xml", "impianti_pnrr", "registra_pagamento", "registro_spese",
    "rendiconto_pdf", "scheda_fornitori_pdf", "verifica_fattura",
]


class ErrorePnrr(Exception):
    """Errore d'uso con un messaggio italiano da mostrare così com'è."""


class FatturaRifiutata(ErrorePnrr):
    """Il file non entra nel registro (illeggibile, ostile o scartabile da SdI); nulla è stato scritto."""

    def __init__(self, esito: EsitoFattura):
        self.esito = esito
        motivi = [r.messaggio for r in esito.rilievi if r.gravita == "errore"][:2]
        super().__init__(f"La fattura '{esito.file}' non è stata caricata: " + " ".join(motivi))


class FatturaGiaCaricata(ErrorePnrr):
    pass


@dataclass(frozen=True)
class EsitoCaricamento:
    esito: EsitoFattura
    spese: list[Spesa]
    documento_id: int
    versione: int
    impianto_id: str


@dataclass(frozen=True)
class DocumentoInfo:
    id: int
    nome_file: str
    sha256: str
    tipo: str
    dimensione: int
    caricato_il: dt.datetime
    autore: str
    esito: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "nome_file": self.nome_file, "sha256": self.sha256, "tipo": self.tipo,
                "dimensione": self.dimensione, "caricato_il": self.caricato_il.isoformat(), "autore": self.autore,
                "esito": self.esito}


def _data_coperta(fn, *args, **kwargs):  # noqa: ANN001, ANN202
    try:
        return fn(*args, **kwargs)
    except ParametroNonDefinito as e:
        raise ErrorePnrr(f"Le regole PNRR codificate non coprono la data chiesta ({e}): scegli una data dal "
                         "24/01/2024 in poi.") from None


# --------------------------------------------------------------------------- pratica

def apri_pratica(riferimento: str | Path, *, engine: Engine | None = None) -> tuple[Pratica, str | None]:
    """Un file pratica (YAML/JSON) o il codice di una pratica dell'archivio → (pratica, codice in archivio o None)."""
    p = Path(riferimento)
    if p.suffix.lower() in (".yaml", ".yml", ".json") or p.exists():
        return load_pratica(p), None
    aperta = Archivio(engine or get_engine()).apri(str(riferimento))
    return aperta.pratica, aperta.codice


def impianti_pnrr(pratica: Pratica) -> list[tuple[str, str]]:
    """(id, denominazione) degli impianti con contributo PNRR."""
    return [(imp.id, imp.nome) for _p, _c, imp in pratica.impianti()
            if imp.contributo_pnrr is not None]


# --------------------------------------------------------------------------- contributo

def contributo(pratica: Pratica, al: dt.date) -> list[CalcoloContributo]:
    """Il contributo di ogni impianto con ``contributo_pnrr`` alla data ``al`` (costi massimi, anticipo, F)."""
    return _data_coperta(_contributo.calcola_contributi, pratica, al)


# --------------------------------------------------------------------------- fatture

def _scegli_impianto(pratica: Pratica, impianto: str | None, testo: str = "", cup: list[str] | None = None) -> str:
    candidati = [imp for _p, _c, imp in pratica.impianti() if imp.contributo_pnrr is not None]
    if not candidati:
        raise ErrorePnrr("nessun impianto della pratica ha il contributo PNRR: non ci sono fatture da verificare")
    if impianto is not None:
        if impianto not in {i.id for i in candidati}:
            raise ErrorePnrr(f"l'impianto '{impianto}' non ha il contributo PNRR; quelli che lo hanno: "
                             + ", ".join(i.id for i in candidati))
        return impianto
    if len(candidati) == 1:
        return candidati[0].id
    from cer_docs.pnrr.testo import contiene

    cup = cup or []
    trovati = [i for i in candidati if i.contributo_pnrr and (
        (i.contributo_pnrr.cup and (idf.normalizza(i.contributo_pnrr.cup) in cup or contiene(testo, i.contributo_pnrr.cup)))
        or (i.contributo_pnrr.codice_progetto_gse and contiene(testo, i.contributo_pnrr.codice_progetto_gse)))]
    if len(trovati) == 1:
        return trovati[0].id
    raise ErrorePnrr("la pratica ha più impianti con contributo PNRR e la fattura non dice a quale si riferisce: "
                     "indica l'impianto (" + ", ".join(i.id for i in candidati) + ")")


def _verifica(contenuto: bytes, nome: str, pratica: Pratica, al: dt.date, impianto: str | None,
              tipo_spesa: str | None) -> EsitoFattura:
    try:
        doc = leggi_documento(contenuto, nome)
    except FileIlleggibile as e:
        imp = impianto if impianto is not None else (impianti_pnrr(pratica)[0][0] if impianti_pnrr(pratica) else None)
        return esito_illeggibile(nome, e, len(contenuto), imp)
    anteprima = dati_da_xml(doc.xml) if doc.xml is not None else [dati_da_pdf(doc.testo_pdf or "")]
    testo = "\n".join(d.testo for d in anteprima)
    cup = [c for d in anteprima for c in d.cup_strutturati]
    imp_id = _scegli_impianto(pratica, impianto, testo, cup)
    attesi = AttesiFattura.da_pratica(pratica, imp_id)
    return _data_coperta(verifica_documento, doc, attesi, al, tipo_spesa)


def verifica_fattura(contenuto: bytes, nome: str, pratica: Pratica, al: dt.date, *, impianto: str | None = None,
                     tipo_spesa: str | None = None) -> EsitoFattura:
    """Legge e controlla un file di fattura (XML, .p7m, PDF) per la pratica; nulla viene scritto."""
    return _verifica(contenuto, nome, pratica, al, impianto, tipo_spesa)


def _nuovo_id(esistenti: set[str], n: int) -> str:
    while True:
        candidato = f"spesa-{n:03d}"
        if candidato not in esistenti:
            return candidato
        n += 1


def carica_fattura(codice: str, contenuto: bytes, nome: str, autore: str | None, al: dt.date, *,
                   impianto: str | None = None, tipo_spesa: str | None = None,
                   engine: Engine | None = None, attore: Attore | None = None) -> EsitoCaricamento:
    """Controlla la fattura, poi conserva il file e aggiunge la spesa al registro: tutto o niente.

    Rifiuta (``FatturaRifiutata``) i file illeggibili, ostili o non validi per lo schema; le
    fatture leggibili ma non conformi entrano nel registro con i loro rilievi, così restano in
    evidenza finché non si sistemano. ``FatturaGiaCaricata`` se il file o la fattura ci sono già.
    """
    engine = engine or get_engine()
    arch = Archivio(engine)
    chi = accesso.risolvi(attore)
    aperta = arch.apri(codice, attore=chi, azione="modifica")  # la fattura entra nel registro spese: è una modifica
    esito = _verifica(contenuto, nome, aperta.pratica, al, impianto, tipo_spesa)
    if not esito.registrabile:
        raise FatturaRifiutata(esito)
    imp_id = esito.impianto_id
    assert imp_id is not None and esito.sha256 is not None and esito.tipo is not None
    dati = to_data(aperta.pratica)
    cp_dati, imp_obj = _contributo_dati(dati, aperta.pratica, imp_id)
    registro = imp_obj.contributo_pnrr.spese if imp_obj.contributo_pnrr else []
    for s in registro:
        if s.fattura.documento and s.fattura.documento.sha256 == esito.sha256:
            raise FatturaGiaCaricata(f"il file '{nome}' è già nel registro (voce '{s.id}', caricato come "
                                     f"'{s.fattura.documento.nome_file}')")
    cp = imp_obj.contributo_pnrr
    esistenti = {s.id for s in registro}
    nuove: list[Spesa] = []
    for d in esito.fatture:
        chiave = (idf.normalizza(d.cedente.partita_iva or d.cedente.codice_fiscale or ""), idf.normalizza(d.numero),
                  d.data.year if d.data else None)
        for s in registro:
            f = s.fattura
            if (idf.normalizza(f.fornitore.partita_iva or f.fornitore.codice_fiscale or ""),
                    idf.normalizza(f.numero), f.data.year) == chiave and chiave[0]:
                raise FatturaGiaCaricata(f"la fattura {f.numero} del {f.data.strftime('%d/%m/%Y')} di "
                                         f"{f.fornitore.denominazione} è già nel registro (voce '{s.id}')")
        try:
            spesa = _spese.spesa_da_fattura(
                d, id_spesa=_nuovo_id(esistenti, len(esistenti) + 1), tipo_spesa=tipo_spesa, nome_file=nome,
                sha256=esito.sha256, tipo_file=esito.tipo, dimensione=esito.dimensione or len(contenuto),
                cup_atteso=idf.normalizza(cp.cup) or None, codice_progetto_gse=cp.codice_progetto_gse,
                cig_atteso=idf.normalizza(cp.cig) or None)
        except ValueError as e:
            raise ErrorePnrr(f"la fattura '{nome}' non si può registrare: {e}") from None
        esistenti.add(spesa.id)
        nuove.append(spesa)
    cp_dati.setdefault("spese", []).extend(s.model_dump(mode="json", exclude_none=True) for s in nuove)
    nuova = parse_data(dati, f"archivio:{codice}", formato="json")
    etichette = ", ".join(f"{s.fattura.numero} di {s.fattura.fornitore.denominazione}" for s in nuove)
    autore_ok = accesso.autore_di(chi, autore)
    with engine.connect() as conn, conn.begin():
        # l'archivio e il documento condividono la transazione: se una delle due scritture fallisce, nessuna resta
        salvata = Archivio(conn, clock=arch.clock).salva(  # type: ignore[arg-type]
            codice, nuova, aperta.versione, autore_ok, attore=chi,
            descrizione=f"registro spese PNRR ({imp_id}): caricata la fattura {etichette} (esito {esito.esito})")
        with Session(conn) as s, s.begin():
            if repo_doc.sha256_exists(s, salvata.id, esito.sha256):
                raise FatturaGiaCaricata(f"il file '{nome}' è già tra i documenti della pratica")
            rec = repo_doc.add_documento(s, DocumentoCaricatoRecord(
                pratica_id=salvata.id, nome_file=nome[:255], sha256=esito.sha256, tipo=esito.tipo,
                dimensione=len(contenuto), contenuto=contenuto, caricato_il=utcnow(), autore=autore_ok[:200],
                esito=esito.as_dict()))
            doc_id = rec.id
    return EsitoCaricamento(esito=esito, spese=nuove, documento_id=int(doc_id), versione=salvata.versione,
                            impianto_id=imp_id)


def _contributo_dati(dati: dict[str, Any], pratica: Pratica, impianto_id: str):  # noqa: ANN202
    for ci, conf in enumerate(pratica.configurazioni):
        for ii, imp in enumerate(conf.impianti):
            if imp.id == impianto_id:
                return dati["configurazioni"][ci]["impianti"][ii]["contributo_pnrr"], imp
    raise ErrorePnrr(f"l'impianto '{impianto_id}' non è nella pratica")


def registra_pagamento(codice: str, impianto: str, spesa_id: str, pagamento: Pagamento, autore: str | None = None,
                       *, engine: Engine | None = None, attore: Attore | None = None) -> PraticaAperta:
    """Aggiunge un pagamento (bonifico: data, importo, CRO, causale) a una spesa del registro."""
    arch = Archivio(engine or get_engine())
    aperta = arch.apri(codice, attore=attore, azione="modifica")
    dati = to_data(aperta.pratica)
    cp_dati, _imp = _contributo_dati(dati, aperta.pratica, impianto)
    for s in cp_dati.get("spese", []):
        if s["id"] == spesa_id:
            s.setdefault("pagamenti", []).append(pagamento.model_dump(mode="json", exclude_none=True))
            break
    else:
        raise ErrorePnrr(f"la spesa '{spesa_id}' non è nel registro dell'impianto '{impianto}'")
    nuova = parse_data(dati, f"archivio:{codice}", formato="json")
    return arch.salva(codice, nuova, aperta.versione, autore, attore=attore,
                      descrizione=f"registro spese PNRR ({impianto}): pagamento del "
                                  f"{pagamento.data.strftime('%d/%m/%Y')} sulla spesa {spesa_id}")


def documenti_caricati(codice: str, *, engine: Engine | None = None,
                       attore: Attore | None = None) -> list[DocumentoInfo]:
    """I file caricati per la pratica (senza il contenuto)."""
    engine = engine or get_engine()
    Archivio(engine).richiedi(codice, "leggi", attore=attore)
    with Session(engine) as s:
        row = repo.find_pratica(s, codice)
        if row is None:
            raise PraticaNonTrovata(codice)
        return [DocumentoInfo(id=r.id, nome_file=r.nome_file, sha256=r.sha256, tipo=r.tipo, dimensione=r.dimensione,
                              caricato_il=r.caricato_il, autore=r.autore, esito=str((r.esito or {}).get("esito", "")))
                for r in repo_doc.list_documenti(s, row.id)]


def contenuto_documento(codice: str, sha256: str, *, engine: Engine | None = None,
                        attore: Attore | None = None) -> tuple[str, bytes]:
    """(nome del file, byte) di un documento caricato, per scaricarlo (è un evento del registro)."""
    engine = engine or get_engine()
    Archivio(engine).richiedi(codice, "scarica", attore=attore)
    with Session(engine) as s:
        row = repo.find_pratica(s, codice)
        if row is None:
            raise PraticaNonTrovata(codice)
        doc = repo_doc.find_documento(s, row.id, sha256)
        if doc is None:
            raise ErrorePnrr(f"il documento {sha256[:12]}… non è tra quelli della pratica '{codice}'")
        nome, dati = doc.nome_file, bytes(doc.contenuto)
    Archivio(engine).registra_evento(row.codice, "scaricamento", f"scaricato il documento «{nome}»", attore=attore,
                                     dettagli={"sha256": sha256, "nome_file": nome})
    return nome, dati


def conta_documenti(*, engine: Engine | None = None) -> int:
    with Session(engine or get_engine()) as s:
        return repo_doc.count_documenti(s)


# --------------------------------------------------------------------------- registro e documenti

def registro_spese(pratica: Pratica, al: dt.date) -> RegistroSpese:
    """Il registro delle spese per impianto, con i rilievi di ammissibilità e i totali alla data ``al``."""
    return _data_coperta(_spese.registro_spese, pratica, al)


def rendiconto_pdf(pratica: Pratica, al: dt.date) -> bytes:
    """Il rendiconto delle spese PNRR della pratica in PDF (A4 orizzontale)."""
    return _data_coperta(_stampa.rendiconto_pdf, pratica, al)


def scheda_fornitori_pdf(pratica: Pratica, al: dt.date, impianto: str | None = None) -> bytes:
    """La scheda per i fornitori (dati da riportare in fattura, pagamenti) in PDF."""
    try:
        return _data_coperta(_stampa.scheda_fornitori_pdf, pratica, impianto, al)
    except ValueError as e:
        raise ErrorePnrr(str(e)) from None


def esempio_fattura_xml(pratica: Pratica, al: dt.date, impianto: str | None = None) -> bytes:
    """La fattura elettronica d'esempio (FPR12, valida per lo schema) con i campi di questo progetto."""
    try:
        return _data_coperta(_esempio.esempio_fattura, pratica, impianto, al)
    except ValueError as e:
        raise ErrorePnrr(str(e)) from None


# --------------------------------------------------------------------------- testi per la CLI

def _e(x) -> str:  # noqa: ANN001
    from cer_docs.italiano import importo

    return importo(x) if x is not None else "—"


def report_contributo(calcoli: list[CalcoloContributo], denominazione: str, al: dt.date) -> str:
    from cer_docs.italiano import data_lunga, numero, percentuale

    righe = [f"Contributo PNRR – {denominazione} – regole in vigore il {data_lunga(al)}", ""]
    if not calcoli:
        righe.append("Nessun impianto della pratica ha il contributo PNRR.")
    for c in calcoli:
        righe.append(f"== {c.denominazione} ({c.impianto_id}) ==")
        righe.append(f"  Potenza:                    {numero(c.potenza_kw)} kW ({c.fascia or 'oltre il massimo'})")
        if c.costo_massimo_kw is not None:
            righe.append(f"  Costo massimo:              {_e(c.costo_massimo_kw)}/kW → {_e(c.spesa_massima)}")
        righe.append(f"  Spesa ammissibile:          {_e(c.spesa_ammissibile)}")
        righe.append(f"  Base di calcolo:            {_e(c.base_calcolo)} × {percentuale(c.quota_pct)}")
        if c.altri_contributi:
            righe.append(f"  Altri contributi:           − {_e(c.altri_contributi)}")
        righe.append(f"  Contributo massimo:         {_e(c.contributo_massimo)}")
        if c.contributo_richiesto is not None:
            righe.append(f"  Contributo richiesto:       {_e(c.contributo_richiesto)}")
        if c.fattore_f is not None:
            righe.append(f"  Fattore F sulla tariffa:    {numero(c.fattore_f)} (intensità {percentuale(c.intensita_pct or 0)})")
        for o in c.opzioni_erogazione:
            rate = "; ".join(f"{r.descrizione} {percentuale(r.quota_pct)} = {_e(r.importo)}" for r in o.rate)
            righe.append(f"  Opzione {o.numero} ({o.titolo}): {rate}")
        if c.punti_esenti:
            righe.append("  POD esenti dalla riduzione (1 − F): "
                         + ", ".join(f"{p.pod} ({p.soggetto})" for p in c.punti_esenti))
        for r in c.rilievi:
            righe.append(f"  [{r.gravita.upper()}] {r.messaggio}")
            righe.append(f"      Fonte: {r.riferimento}")
        righe.append(f"  Fonti: costi {c.riferimenti['costi_massimi']}; anticipo {c.riferimenti['anticipo']}; "
                     f"F {c.riferimenti['fattore_f']}")
        righe.append("")
    return "\n".join(righe).rstrip() + "\n"


ESITI = {"conforme": "CONFORME", "non_conforme": "NON CONFORME", "illeggibile": "ILLEGGIBILE"}


def report_fatture(esiti: list[EsitoFattura]) -> str:
    righe = []
    for e in esiti:
        righe.append(f"{e.file}: {ESITI[e.esito]}" + (f" (impianto {e.impianto_id})" if e.impianto_id else ""))
        for d in e.fatture:
            righe.append(f"  {d.etichetta} – {d.cedente.denominazione or 'fornitore non letto'}")
        for r in e.rilievi:
            righe.append(f"  [{r.gravita.upper()}] {r.codice}: {r.messaggio}")
            righe.append(f"      Fonte: {r.riferimento}")
        righe.append("")
    n = {k: sum(1 for e in esiti if e.esito == k) for k in ESITI}
    righe.append(f"Totale: {n['conforme']} conformi, {n['non_conforme']} non conformi, {n['illeggibile']} illeggibili.")
    return "\n".join(righe)


__all__ += ["ErrorePratica", "conta_documenti", "report_contributo", "report_fatture"]
