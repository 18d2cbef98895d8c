"""Riparto e pagamenti per la UI e la riga di comando: la sola porta verso ``cer_docs.riparto``.

La data di oggi arriva da chi chiama. Errori d'uso: ``ErroreRiparto``, con un messaggio italiano da
mostrare così com'è. Le funzioni che cambiano la pratica (incassi, approvazione, pagamento) restituiscono
una copia nuova: chi chiama la salva (archivio) o la scrive (file).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

from cer_docs.economia.misure import ErroreMisure, leggi_misure
from cer_docs.economia.simulazione import ErroreSimulazione
from cer_docs.italiano import importo, numero
from cer_docs.model import Pratica
from cer_docs.model.pratica import PERIODO, CostoComunita, IncassoGse
from cer_docs.riparto import misure_distributore
from cer_docs.riparto.estratti import estratti_pdf as _estratti_pdf
from cer_docs.riparto.estratti import periodo_esteso
from cer_docs.riparto.incassi import COMPONENTI, ETICHETTE_COMPONENTI, ErroreIncassi, leggi_incassi
from cer_docs.riparto.liquidazione import (ErroreLiquidazione, Liquidazione, approva, approvato, evento_pagamento,
                                           liquida)
from cer_docs.riparto.uscite import ErroreSepa, FileSepa, causale, csv_contabile, file_sepa
from cer_docs.rules.base import ParametroNonDefinito

from .economia import ErroreEconomia
from .economia import leggi_file as _leggi_file
from .pnrr import apri_pratica

__all__ = ["COMPONENTI", "ETICHETTE_COMPONENTI", "ErroreRiparto", "FileSepa", "Liquidazione", "Richiesta",
           "apri_pratica", "approva_riparto", "approvato", "bonifici", "causale", "costi_da_righe", "csv_contabile",
           "estratti", "sostituisci_costi",
           "estratti_pdf", "json_riparto", "leggi_file", "leggi_misure_file", "liquidazione", "periodo_esteso",
           "incassi_da_righe", "registra_incassi", "registra_pagamento", "report_testo", "sostituisci_incassi"]


class ErroreRiparto(Exception):
    """Errore d'uso con un messaggio italiano da mostrare così com'è."""


def leggi_file(percorso: str | Path) -> bytes:
    try:
        return _leggi_file(percorso)
    except ErroreEconomia as e:
        raise ErroreRiparto(str(e)) from None


def leggi_misure_file(contenuto: bytes):  # noqa: ANN201
    """Misure nel formato della simulazione o in righe giornaliere (anche compresse gzip)."""
    try:
        if contenuto[:2] == b"\x1f\x8b":
            contenuto = gzip.decompress(contenuto)
        testo = contenuto.decode("utf-8-sig")
    except (OSError, EOFError):
        raise ErroreRiparto("Misure: il file compresso è danneggiato") from None
    except UnicodeDecodeError:
        raise ErroreRiparto("Misure: il file non è testo UTF-8: salvalo come CSV UTF-8") from None
    try:
        if misure_distributore.riconosci(testo):
            testo = misure_distributore.converti(testo).csv
        return leggi_misure(testo)
    except ErroreMisure as e:
        raise ErroreRiparto(f"Misure: {e}") from None


@dataclass
class Richiesta:
    periodo: str
    misure: bytes
    incassi: bytes | None = None          # CSV: sostituisce gli incassi della pratica per i mesi che contiene


def registra_incassi(pratica: Pratica, incassi: list[IncassoGse] | bytes) -> Pratica:
    """Copia della pratica con gli incassi: quelli nuovi sostituiscono i vecchi degli stessi mesi e componenti."""
    if isinstance(incassi, bytes):
        try:
            incassi = leggi_incassi(incassi)
        except ErroreIncassi as e:
            raise ErroreRiparto(f"Incassi: {e}") from None
    p = pratica.model_copy(deep=True)
    nuovi = {(i.periodo, i.componente, i.configurazione) for i in incassi}
    p.incassi_gse = [i for i in p.incassi_gse if (i.periodo, i.componente, i.configurazione) not in nuovi] + list(incassi)
    p.incassi_gse.sort(key=lambda i: (i.periodo, COMPONENTI.index(i.componente)))
    return p


def _coperta(fn, *args, **kwargs):  # noqa: ANN001, ANN202
    try:
        return fn(*args, **kwargs)
    except (ErroreLiquidazione, ErroreSimulazione, ErroreSepa) as e:
        raise ErroreRiparto(str(e)) from None
    except ParametroNonDefinito as e:
        raise ErroreRiparto(f"le regole codificate non coprono il periodo chiesto ({e}): scegli un periodo dal 2024") from None


def liquidazione(pratica: Pratica, richiesta: Richiesta, oggi: dt.date) -> tuple[Liquidazione, Pratica]:
    """Riconciliazione e riparto del periodo; restituisce anche la pratica con gli incassi del file."""
    if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", richiesta.periodo or ""):
        raise ErroreRiparto(f"periodo «{richiesta.periodo}» non valido: scrivi AAAA o AAAA-MM")
    if richiesta.incassi is not None:
        pratica = registra_incassi(pratica, richiesta.incassi)
    misure = leggi_misure_file(richiesta.misure)
    return _coperta(liquida, pratica, richiesta.periodo, misure, oggi), pratica


def approva_riparto(pratica: Pratica, liq: Liquidazione, approvato_il: dt.date, delibera: str | None = None,
                    autore: str | None = None) -> Pratica:
    return _coperta(approva, pratica, liq, approvato_il, delibera, autore)


def bonifici(pratica: Pratica, liq: Liquidazione, esecuzione: dt.date, *, iban: str | None = None,
             bic: str | None = None) -> FileSepa:
    """Il file pain.001 dal conto della comunità (``comunita.iban`` o ``iban``). Solo un riparto approvato
    (la stessa impronta dell'ultima versione) o, se non ce n'è, con un avviso di chi chiama."""
    ordinante = iban or (pratica.comunita.iban if pratica.comunita else None)
    if not ordinante:
        raise ErroreRiparto("manca l'IBAN della comunità: indicalo in comunita.iban o con --iban")
    nome = pratica.denominazione
    sigla = pratica.comunita.sigla if pratica.comunita else None
    return _coperta(file_sepa, liq, nome_ordinante=nome, iban_ordinante=ordinante, esecuzione=esecuzione,
                    bic_ordinante=bic, sigla=sigla)


def registra_pagamento(pratica: Pratica, liq: Liquidazione, f: FileSepa, data: dt.date, nome_file: str,
                       autore: str | None = None) -> Pratica:
    p = pratica.model_copy(deep=True)
    p.eventi.append(evento_pagamento(liq, data, nome_file, f.totale_euro, f.bonifici, autore))
    return p


def estratti_pdf(liq: Liquidazione, pratica: Pratica, oggi: dt.date, soggetti: list[str] | None = None) -> bytes:
    return _estratti_pdf(liq, oggi, soggetti, approvato(pratica, liq.periodo))


def estratti(liq: Liquidazione, pratica: Pratica, oggi: dt.date) -> dict[str, bytes]:
    """Un PDF per membro con una quota o energia nel periodo: nome del file → contenuto."""
    out = {}
    for q in liq.quote:
        if q.importo_euro or q.prelievo_condiviso_kwh or q.immissione_condivisa_kwh:
            nome = re.sub(r"[^A-Za-z0-9._-]", "_", f"estratto-{liq.periodo}-{q.soggetto}.pdf")
            out[nome] = estratti_pdf(liq, pratica, oggi, [q.soggetto])
    return out


def json_riparto(liq: Liquidazione) -> str:
    return json.dumps(liq.as_dict(), ensure_ascii=False, indent=2)


def report_testo(liq: Liquidazione) -> str:
    righe = [f"Riparto {periodo_esteso(liq.periodo)} – {liq.denominazione}",
             f"Energia condivisa dalle misure: {numero(liq.energia_condivisa_kwh, 0)} kWh; atteso dal GSE "
             f"{importo(liq.atteso_euro)}",
             ("Incassi non registrati: riparto sull'atteso (stima)" if liq.stimato else
              "Ricevuto dal GSE: " + "; ".join(f"{ETICHETTE_COMPONENTI[k].lower()} {importo(v)}"
                                              for k, v in liq.incassato_per_componente.items())
              + f" = {importo(liq.incassato_euro)}"),
             f"Corrispettivi GSE {'−' if liq.corrispettivi_gse_euro else ''}{importo(liq.corrispettivi_gse_euro)}; "
             f"costi della comunità {'−' if liq.costi_euro else ''}{importo(liq.costi_euro)}",   # mai «−0,00 €»
             f"Da ripartire {importo(liq.totale_euro)}: fondo A {importo(liq.fondo_a_euro)}, fondo B "
             f"{importo(liq.fondo_b_euro)}", "", f"{'Mese':<15}      atteso      ricevuto    differenza"]
    for r in liq.riconciliazione:
        righe.append(f"{periodo_esteso(r.mese):<15}  {importo(r.atteso_euro):>12}  {importo(r.ricevuto_euro):>12}  "
                     f"{importo(r.differenza_euro):>12}  {' '.join(r.spiegazione)}")
    righe += ["", "Quote:"]
    for q in liq.quote:
        nota = "" if q.iban or not q.importo_euro else "  (senza IBAN)"
        righe.append(f"  {q.nome}: {importo(q.importo_euro)}{nota}")
    for k, v in liq.comunita_euro.items():
        righe.append(f"  Alla comunità – {k.replace('_', ' ')}: {importo(v)}")
    if liq.avvisi:
        righe += ["", "Avvisi:"] + [f"  ! {a.messaggio}" for a in liq.avvisi]
    return "\n".join(righe) + "\n"


def incassi_da_righe(righe: list[dict]) -> list[IncassoGse]:
    """Gli incassi scritti nella tabella della pagina (periodo, componente, importo_euro), con errori per riga."""
    import io as _io
    import csv as _csv

    testo = _io.StringIO()
    w = _csv.writer(testo)
    w.writerow(["periodo", "componente", "importo_euro"])
    for r in righe:
        if not any(str(r.get(k) or "").strip() for k in ("periodo", "componente", "importo_euro")):
            continue
        importo_ = r.get("importo_euro")
        w.writerow([str(r.get("periodo") or "").strip(), str(r.get("componente") or "").strip(),
                    "" if importo_ is None else str(importo_)])
    if testo.getvalue().count("\n") <= 1:
        return []
    try:
        return leggi_incassi(testo.getvalue())
    except ErroreIncassi as e:
        raise ErroreRiparto(f"Incassi: {e}") from None


def sostituisci_incassi(pratica: Pratica, incassi: list[IncassoGse]) -> Pratica:
    """Copia della pratica con esattamente questi incassi (la tabella della pagina è l'elenco intero)."""
    p = pratica.model_copy(deep=True)
    p.incassi_gse = sorted(incassi, key=lambda i: (i.periodo, COMPONENTI.index(i.componente)))
    return p


def _vuoto(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or not str(v).strip()


def costi_da_righe(righe: list[dict]) -> list[CostoComunita]:
    """I costi della comunità scritti nella tabella della pagina (periodo, descrizione, importo_euro).

    Tutti i problemi insieme, ognuno con la riga (numerata da 1 come nella tabella) e la colonna.
    """
    from decimal import Decimal

    from cer_docs.riparto.incassi import importo as _importo

    costi: list[CostoComunita] = []
    problemi: list[str] = []
    for n, r in enumerate(righe, start=1):
        periodo, descrizione, valore = (r.get(k) for k in ("periodo", "descrizione", "importo_euro"))
        if all(_vuoto(x) for x in (periodo, descrizione, valore)):
            continue
        periodo = "" if _vuoto(periodo) else str(periodo).strip()
        descrizione = "" if _vuoto(descrizione) else str(descrizione).strip()
        prima = len(problemi)
        if not re.fullmatch(PERIODO, periodo):
            problemi.append(f"riga {n}, periodo: «{periodo}» non è un anno (AAAA) né un mese (AAAA-MM)"
                            if periodo else f"riga {n}, periodo: manca (AAAA per l'anno, AAAA-MM per un mese)")
        if not descrizione:
            problemi.append(f"riga {n}, descrizione: manca (per esempio «assicurazione» o «commercialista»)")
        d = None
        if _vuoto(valore):
            problemi.append(f"riga {n}, importo: manca")
        else:
            try:
                d = valore if isinstance(valore, Decimal) else (
                    _importo(valore, n) if isinstance(valore, str) else Decimal(str(round(float(valore), 2))))
            except ErroreIncassi as e:
                problemi.append(f"riga {n}, importo: {str(e).split(': ', 1)[-1]}")
            else:
                if not d.is_finite():
                    problemi.append(f"riga {n}, importo: non è un numero")
                elif d < 0:
                    problemi.append(f"riga {n}, importo: un costo non può essere negativo")
        if len(problemi) == prima:
            costi.append(CostoComunita(periodo=periodo, descrizione=descrizione, importo_euro=d))
    if problemi:
        raise ErroreRiparto("Costi della comunità: " + "; ".join(problemi) + ".")
    return costi


def sostituisci_costi(pratica: Pratica, costi: list[CostoComunita]) -> Pratica:
    """Copia della pratica con esattamente questi costi (la tabella della pagina è l'elenco intero)."""
    p = pratica.model_copy(deep=True)
    p.costi_comunita = sorted(costi, key=lambda c: c.periodo)
    return p
