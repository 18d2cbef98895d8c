"""Estratto conto PDF per membro: quanto gli spetta, la sua energia, come è stato calcolato, un piccolo grafico.

HTML + CSS → WeasyPrint come il rapporto della simulazione; il modello mostra solo testi già pronti e il
testo dell'utente passa per l'autoescape di Jinja. Il grafico è un SVG di Altair reso senza rete (vl-convert).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import altair as alt
import jinja2
import pandas as pd

from cer_docs.economia.grafici import LOCALE, MESI
from cer_docs.economia.report import svg_data_uri
from cer_docs.italiano import data_lunga, importo, numero, percentuale
from cer_docs.model.pratica import RipartoApprovato
from cer_docs.rules.identificativi import iban as controlla_iban

from .incassi import ETICHETTE_COMPONENTI
from .liquidazione import Liquidazione, QuotaMembro

_lock = threading.Lock()
PLURALI = {"acconto": "acconti mensili", "conguaglio": "conguagli (negativi se il GSE recupera)"}
MESI_LUNGHI = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
               "ottobre", "novembre", "dicembre")


def _cartella():  # noqa: ANN202
    return resources.files("cer_docs.riparto").joinpath("modelli")


@lru_cache(maxsize=1)
def _ambiente() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda n: _cartella().joinpath(n).read_text("utf-8")),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def periodo_esteso(periodo: str) -> str:
    return f"anno {periodo}" if len(periodo) == 4 else f"{MESI_LUNGHI[int(periodo[5:]) - 1]} {periodo[:4]}"


def _kwh(x: float) -> str:
    return f"{numero(x, 0)} kWh"


def _pct(a: float, b: float) -> str:
    return percentuale(100 * a / b, 1) if b else "—"


def grafico(q: QuotaMembro) -> alt.TopLevelMixin | None:
    righe = []
    for r in q.mensile:
        m = MESI[int(r["mese"][5:]) - 1]
        if q.prelievo_condiviso_kwh > 0:
            righe.append({"mese": m, "serie": "Prelievo nelle ore condivise", "kwh": r["prelievo_kwh"]})
        if q.immissione_condivisa_kwh > 0:
            righe.append({"mese": m, "serie": "Immissione nelle ore condivise", "kwh": r["immissione_kwh"]})
    if len(q.mensile) < 2 or not righe:
        return None
    colori = {"Prelievo nelle ore condivise": "#4a6fa5", "Immissione nelle ore condivise": "#f2a900"}
    serie = [(s, c) for s, c in colori.items() if any(r["serie"] == s for r in righe)]
    ch = alt.Chart(pd.DataFrame(righe)).mark_bar().encode(
        x=alt.X("mese:N", sort=[MESI[int(r["mese"][5:]) - 1] for r in q.mensile], title=None, axis=alt.Axis(labelAngle=0)),
        xOffset="serie:N",
        y=alt.Y("kwh:Q", title="kWh", axis=alt.Axis(format=",.0f")),
        color=alt.Color("serie:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=[s for s, _c in serie], range=[c for _s, c in serie])),
    ).properties(width=440, height=95)
    return ch.configure(locale=LOCALE, font="DejaVu Sans").configure_view(stroke=None)


def _totali(liq: Liquidazione) -> dict[str, Any]:
    cat: dict[str, Decimal] = {}
    pesi = {"consumatori": 0.0, "produttori": 0.0, "eccedenza": 0.0}
    for q in liq.quote:
        for k, v in q.categorie.items():
            cat[k] = cat.get(k, Decimal("0.00")) + v
        if q.categorie.get("consumatori"):
            pesi["consumatori"] += q.prelievo_condiviso_kwh
        if q.categorie.get("produttori"):
            pesi["produttori"] += q.immissione_condivisa_kwh
        if q.categorie.get("eccedenza"):
            pesi["eccedenza"] += q.prelievo_condiviso_kwh
    return {"categorie": cat, "pesi": pesi}


def _passi(liq: Liquidazione) -> list[dict[str, str]]:
    righe = []
    if liq.stimato:
        righe.append({"voce": "Importo atteso dal GSE (stima dalle misure: gli incassi non sono ancora registrati)",
                      "valore": importo(liq.incassato_euro), "classe": ""})
    else:
        for k, v in liq.incassato_per_componente.items():
            righe.append({"voce": f"Pagato dal GSE: {PLURALI.get(k, ETICHETTE_COMPONENTI[k].lower())}",
                          "valore": importo(v), "classe": ""})
        righe.append({"voce": "Totale ricevuto dal GSE", "valore": importo(liq.incassato_euro), "classe": "totale"})
    righe.append({"voce": "meno i corrispettivi dovuti al GSE per la gestione",
                  "valore": f"− {importo(liq.corrispettivi_gse_euro)}", "classe": ""})
    if liq.costi_euro:
        righe.append({"voce": "meno i costi sostenuti dalla comunità", "valore": f"− {importo(liq.costi_euro)}", "classe": ""})
    righe.append({"voce": "Da ripartire", "valore": importo(liq.totale_euro), "classe": "totale"})
    righe.append({"voce": "di cui fondo A (entro la soglia: membri secondo il regolamento)",
                  "valore": importo(liq.fondo_a_euro), "classe": ""})
    righe.append({"voce": "di cui fondo B (quota eccedentaria oltre la soglia del 55% o 45%)",
                  "valore": importo(liq.fondo_b_euro), "classe": ""})
    return righe


def _estratto(liq: Liquidazione, q: QuotaMembro, tot: dict[str, Any], approvato: RipartoApprovato | None,
              con_grafico: bool) -> dict[str, Any]:
    attenzioni = []
    if q.importo_euro > 0 and q.iban and not controlla_iban(q.iban):
        pagamento = f"Sarà accreditata con bonifico sul conto che termina con {q.iban.replace(' ', '')[-4:]}."
    elif q.importo_euro > 0:
        pagamento = "Non possiamo pagarla con bonifico finché non ci comunichi un IBAN valido."
        attenzioni.append("Manca un IBAN valido: comunicalo alla comunità per ricevere il bonifico.")
    else:
        pagamento = "Per questo periodo non ti spetta nessun importo."
    if q.giorni_attivi < q.giorni_periodo:
        attenzioni.append(f"Sei stato membro per {q.giorni_attivi} giorni su {q.giorni_periodo}: contano solo le ore "
                          "di quei giorni.")
    energia = [{"voce": "Giorni di partecipazione nel periodo", "valore": f"{q.giorni_attivi} su {q.giorni_periodo}"},
               {"voce": "Energia condivisa da tutta la comunità", "valore": _kwh(liq.energia_condivisa_kwh)}]
    if q.prelievo_condiviso_kwh:
        energia.append({"voce": "Energia che hai prelevato nelle ore in cui c'era energia condivisa",
                        "valore": _kwh(q.prelievo_condiviso_kwh)})
    if q.immissione_condivisa_kwh:
        energia.append({"voce": "Energia che i tuoi impianti hanno immesso nelle stesse ore",
                        "valore": _kwh(q.immissione_condivisa_kwh)})
    c, p = tot["categorie"], tot["pesi"]
    spieg, voci = [], []
    if q.categorie.get("consumatori"):
        spieg.append(f"Parte dei consumatori: {importo(c['consumatori'])}, divisa in base all'energia prelevata nelle "
                     f"ore di condivisione. La tua: {_kwh(q.prelievo_condiviso_kwh)} su {_kwh(p['consumatori'])} "
                     f"({_pct(q.prelievo_condiviso_kwh, p['consumatori'])}).")
        voci.append({"voce": "Come consumatore", "valore": importo(q.categorie["consumatori"]), "classe": ""})
    if q.categorie.get("produttori"):
        spieg.append(f"Parte dei produttori: {importo(c['produttori'])}, divisa in base all'energia immessa nelle ore "
                     f"di condivisione. La tua: {_kwh(q.immissione_condivisa_kwh)} su {_kwh(p['produttori'])} "
                     f"({_pct(q.immissione_condivisa_kwh, p['produttori'])}).")
        voci.append({"voce": "Come produttore", "valore": importo(q.categorie["produttori"]), "classe": ""})
    if q.categorie.get("eccedenza"):
        spieg.append(f"Fondo B: la quota eccedentaria ({importo(c['eccedenza'])}) va ai consumatori che non sono imprese, "
                     "in base all'energia prelevata nelle ore di condivisione, come prevede lo statuto.")
        voci.append({"voce": "Dal fondo B (quota eccedentaria)", "valore": importo(q.categorie["eccedenza"]), "classe": ""})
    if q.categorie.get("produttori_terzi"):
        spieg.append("Come produttore terzo ricevi la quota pattuita nell'accordo sul beneficio generato dai tuoi impianti, "
                     "in proporzione a quanto il GSE ha effettivamente pagato.")
        voci.append({"voce": "Quota pattuita del produttore terzo", "valore": importo(q.categorie["produttori_terzi"]),
                     "classe": ""})
    if not spieg:
        spieg.append("Nel periodo non risulta energia tua nelle ore di condivisione: non ti spetta una quota.")
    voci.append({"voce": "Totale che ti spetta", "valore": importo(q.importo_euro), "classe": "totale"})
    g = grafico(q) if con_grafico else None
    return {"nome": q.nome, "codice_fiscale": q.codice_fiscale or "", "importo": importo(q.importo_euro),
            "pagamento": pagamento, "attenzioni": attenzioni, "energia": energia, "spiegazione": spieg, "voci": voci,
            "grafico": svg_data_uri(g) if g is not None else ""}


def contesto(liq: Liquidazione, redatto_il: dt.date, soggetti: list[str] | None = None,
             approvato: RipartoApprovato | None = None, con_grafico: bool = True) -> dict[str, Any]:
    tot = _totali(liq)
    scelti = [q for q in liq.quote if soggetti is None or q.soggetto in soggetti]
    if approvato is not None and approvato.impronta == liq.impronta():
        stato = (f"Riparto approvato dall'assemblea il {data_lunga(approvato.approvato_il)} "
                 f"(versione {approvato.versione}{', ' + approvato.delibera if approvato.delibera else ''}).")
    elif liq.stimato:
        stato = "Stima: gli importi del GSE non sono ancora registrati; il riparto non è approvato."
    else:
        stato = "Proposta di riparto, non ancora approvata dall'assemblea."
    return {"titolo": f"Estratto del riparto – {periodo_esteso(liq.periodo)}", "comunita": liq.denominazione,
            "periodo_esteso": periodo_esteso(liq.periodo), "passi": _passi(liq), "stato": stato,
            "regole_al": data_lunga(liq.al), "redatto_il": data_lunga(redatto_il),
            "estratti": [_estratto(liq, q, tot, approvato, con_grafico) for q in scelti]}


@lru_cache(maxsize=1)
def _weasy():  # noqa: ANN202
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    css = CSS(string=_cartella().joinpath("estratto.css").read_text("utf-8"), font_config=fc)
    return HTML, css, fc


def render_html(ctx: dict[str, Any]) -> str:
    return _ambiente().get_template("estratto.html").render(**ctx)


def estratti_pdf(liq: Liquidazione, redatto_il: dt.date, soggetti: list[str] | None = None,
                 approvato: RipartoApprovato | None = None) -> bytes:
    HTML, css, fc = _weasy()
    html = render_html(contesto(liq, redatto_il, soggetti, approvato))
    out = io.BytesIO()
    with _lock:
        HTML(string=html).write_pdf(out, stylesheets=[css], font_config=fc)
    return out.getvalue()
