"""Rendiconto delle spese PNRR e scheda per i fornitori in PDF (HTML + CSS → WeasyPrint).

I modelli stanno in ``templates/layout/pnrr/`` e mostrano solo testi già pronti: importi
all'italiana (``1.234,50 €``), date lunghe (``20 ottobre 2025``), etichette. Nessun conto e
nessuna condizione di legge nel modello. Il testo dell'utente passa per l'autoescape di Jinja.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from cer_docs import risorse
from cer_docs.italiano import data_lunga, importo, numero, percentuale
from cer_docs.model.pratica import Pratica
from cer_docs.rules.base import Rilievo, fonte, param
from cer_docs.rules.pnrr import termine_pagamenti

from .contributo import CalcoloContributo, calcola_contributi
from .esempio import _soggetto_beneficiario, _trova_impianto, campi_fattura, causali_pnrr
from .spese import RegistroSpese, registro_spese

__all__ = ["LAYOUT_PNRR", "contesto_rendiconto", "contesto_scheda_fornitori", "render_html", "render_pdf",
           "rendiconto_pdf", "scheda_fornitori_pdf"]

LAYOUT_PNRR = risorse.cartella("templates") / "layout" / "pnrr"
SIMBOLI = {"errore": "Errore", "avviso": "Avviso", "info": "Nota"}
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _ambiente() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(LAYOUT_PNRR)), autoescape=True,
                              undefined=jinja2.StrictUndefined)


@lru_cache(maxsize=1)
def _weasy():
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    css = CSS(filename=str(LAYOUT_PNRR / "pnrr.css"), font_config=fc)
    return HTML, css, fc


def render_html(modello: str, contesto: dict[str, Any]) -> str:
    return _ambiente().get_template(modello).render(**contesto)


def render_pdf(modello: str, contesto: dict[str, Any]) -> bytes:
    HTML, css, fc = _weasy()
    html = render_html(modello, contesto)
    out = io.BytesIO()
    with _lock:
        HTML(string=html, base_url=str(LAYOUT_PNRR)).write_pdf(out, stylesheets=[css], font_config=fc)
    return out.getvalue()


# --------------------------------------------------------------------------- aiuti

def _e(x: Decimal | None) -> str:
    return importo(x) if x is not None else "—"


def _rilievi(rilievi: list[Rilievo]) -> list[dict[str, str]]:
    ordine = {"errore": 0, "avviso": 1, "info": 2}
    return [{"classe": r.gravita, "etichetta": SIMBOLI[r.gravita], "testo": r.messaggio, "riferimento": r.riferimento,
             "codice": r.codice} for r in sorted(rilievi, key=lambda r: ordine[r.gravita])]


def _dati_impianto(c: CalcoloContributo | None, beneficiario: str) -> list[tuple[str, str]]:
    if c is None:
        return []
    righe = [("Beneficiario", beneficiario), ("CUP", c.cup or "non ancora assegnato"),
             ("Codice progetto GSE", c.codice_progetto_gse or "—"),
             ("Potenza", f"{numero(c.potenza_kw)} kW ({c.fascia or 'oltre il massimo ammesso'})")]
    if c.costo_massimo_kw is not None:
        righe.append(("Costo massimo di riferimento", f"{importo(c.costo_massimo_kw)}/kW → {_e(c.spesa_massima)}"))
    righe += [("Spesa ammissibile", _e(c.spesa_ammissibile)),
              ("Contributo concesso", _e(c.contributo_richiesto if c.contributo_richiesto is not None else c.contributo))]
    if c.fattore_f is not None:
        righe.append(("Fattore F sulla tariffa premio",
                      f"{numero(c.fattore_f)} (intensità del contributo {percentuale(c.intensita_pct or 0)})"))
    return righe


def _pagamenti(spesa) -> str:  # noqa: ANN001
    if not spesa.pagamenti:
        return "da pagare"
    parti = []
    for p in spesa.pagamenti:
        rif = f", {p.riferimento}" if p.riferimento else ""
        parti.append(f"{data_lunga(p.data)}: {p.metodo.replace('_', ' ')} {importo(p.importo_euro)}{rif}")
    return "; ".join(parti)


# --------------------------------------------------------------------------- rendiconto

def contesto_rendiconto(pratica: Pratica, al: dt.date, registro: RegistroSpese | None = None,
                        calcoli: list[CalcoloContributo] | None = None) -> dict[str, Any]:
    registro = registro or registro_spese(pratica, al)
    calcoli = calcoli if calcoli is not None else calcola_contributi(pratica, al)
    per_id = {c.impianto_id: c for c in calcoli}
    impianti = []
    imp_per_id = {imp.id: imp for _p, _c, imp in pratica.impianti()}
    for reg in registro.impianti:
        c = per_id.get(reg.impianto_id)
        imp = imp_per_id[reg.impianto_id]
        beneficiario = _soggetto_beneficiario(pratica, imp)[0].denominazione
        voci = []
        for v in reg.voci:
            f = v.spesa.fattura
            voci.append({
                "n": str(v.indice + 1),
                "fornitore": f.fornitore.denominazione,
                "piva": f.fornitore.partita_iva or "",
                "fattura": f"n. {f.numero} del {data_lunga(f.data)}" + (" (nota di credito)" if v.segno < 0 else ""),
                "tipo": v.tipo_spesa,
                "imponibile": importo(f.imponibile_euro),
                "iva": importo(f.iva_euro),
                "totale": importo(f.totale_euro),
                "pagamenti": _pagamenti(v.spesa),
                "esito": "ammissibile" if v.ammissibile else "da sistemare",
                "classe": "ok" if v.ammissibile else "ko",
            })
        sintesi = [("Spese ammissibili sostenute", importo(reg.totale_ammissibile))]
        if reg.percentuale_spesa is not None:
            sintesi.append(("Rispetto alla spesa ammessa", percentuale(reg.percentuale_spesa, 2)))
        if reg.contributo_consuntivo is not None:
            sintesi.append(("Contributo spettante sulle spese registrate", importo(reg.contributo_consuntivo)))
        impianti.append({
            "titolo": reg.denominazione, "id": reg.impianto_id, "dati": _dati_impianto(c, beneficiario),
            "voci": voci,
            "totali": {"imponibile": importo(reg.totale_imponibile), "iva": importo(reg.totale_iva),
                       "totale": importo(reg.totale_fatture), "pagato": importo(reg.totale_pagato)},
            "sintesi": sintesi,
            "rilievi": _rilievi([*(c.rilievi if c else []), *reg.tutti_i_rilievi]),
        })
    return {
        "titolo": "Rendiconto delle spese PNRR",
        "intestazione": pratica.denominazione,
        "sottotitolo": "Misura PNRR M2C2 Investimento 1.2 – Promozione rinnovabili per le comunità energetiche e "
                       "l'autoconsumo",
        "pratica": pratica.pratica.id,
        "al": data_lunga(al),
        "impianti": impianti,
        "vuoto": not impianti,
    }


def rendiconto_pdf(pratica: Pratica, al: dt.date) -> bytes:
    return render_pdf("rendiconto.html", contesto_rendiconto(pratica, al))


# --------------------------------------------------------------------------- scheda fornitori

def contesto_scheda_fornitori(pratica: Pratica, impianto_id: str | None, al: dt.date) -> dict[str, Any]:
    imp = _trova_impianto(pratica, impianto_id)
    cp = imp.contributo_pnrr
    assert cp is not None
    ben, pec = _soggetto_beneficiario(pratica, imp)
    sid = cp.beneficiario or imp.produttore
    s = pratica.soggetto(sid)
    rapp = s.rappresentante if s is not None else None
    firmatario = " ".join(x for x in (rapp.nome, rapp.cognome) if x) if rapp else ""
    carica = (rapp.carica or "Legale rappresentante") if rapp else "Legale rappresentante"
    dicitura = param("pnrr_dicitura_fattura", al)
    termine = termine_pagamenti(cp.accordo_concessione, al)
    if termine is None or termine.data is None:
        # dal DL 19/2026 il termine è nell'accordo di concessione: finché non è registrato lo si richiama
        testo_termine = "termine fissato dall'accordo di concessione con il GSE"
    else:
        testo_termine = data_lunga(termine.data)
    sede = ", ".join(x for x in (ben.indirizzo, f"{ben.cap} {ben.comune}", ben.provincia) if x and x.strip() != "-")
    beneficiario = [("Denominazione", ben.denominazione)]
    if ben.partita_iva:
        beneficiario.append(("Partita IVA", f"IT{ben.partita_iva}"))
    if ben.codice_fiscale:
        beneficiario.append(("Codice fiscale", ben.codice_fiscale))
    beneficiario.append(("Sede", sede or "—"))
    if pec:
        beneficiario.append(("PEC", pec))
    progetto = [("Comunità", pratica.denominazione),
                ("Impianto", f"{imp.nome} – {numero(imp.potenza_kw)} kW"),
                ("CUP", cp.cup or "non ancora assegnato: indicare il codice del progetto GSE"),
                ("Codice del progetto GSE", cp.codice_progetto_gse or "—")]
    if cp.cig:
        progetto.append(("CIG", cp.cig))
    codici_bonifico = [x for x in (f"CUP {cp.cup}" if cp.cup else None, f"CIG {cp.cig}" if cp.cig else None,
                                   f"codice progetto {cp.codice_progetto_gse}" if cp.codice_progetto_gse else None) if x]
    fonti_ids = ["ro-2024", "avviso-pnrr-2024", "dl-13-2023", "gse-faq-cup", "fatturapa-1-2-3"]
    return {
        "titolo": "Indicazioni per i fornitori",
        "sottotitolo": "Fatture e pagamenti per un progetto finanziato dal PNRR (M2C2 Investimento 1.2)",
        "intestazione": ben.denominazione,
        "al": data_lunga(al),
        "beneficiario": beneficiario,
        "progetto": progetto,
        "dicitura": dicitura,
        "causali": causali_pnrr(cp.cup, cp.codice_progetto_gse, cp.cig, al),
        "campi": [{"percorso": c.percorso, "valore": c.valore, "nota": c.nota} for c in campi_fattura(pratica, imp.id, al)],
        "termine": testo_termine,
        "termine_da_confermare": False,
        "causale_bonifico": ", ".join(codici_bonifico) + ", numero e data della fattura",
        "firmatario": firmatario,
        "carica": carica,
        "fonti": [fonte(f).titolo for f in fonti_ids],
        "pratica": pratica.pratica.id,
    }


def scheda_fornitori_pdf(pratica: Pratica, impianto_id: str | None, al: dt.date) -> bytes:
    return render_pdf("scheda_fornitori.html", contesto_scheda_fornitori(pratica, impianto_id, al))
