"""I grafici della simulazione (Altair / Vega-Lite): gli stessi nella pagina e nel rapporto PDF.

Ogni funzione riceve dati già calcolati e restituisce un grafico Altair; nessun conto qui. Nel PDF
gli stessi grafici diventano SVG vettoriali con vl-convert (senza rete), in ``report.py``.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .riparto import ETICHETTE_CATEGORIE

MESI = ("gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic")
COLORI = {"Produzione": "#f2a900", "Consumo": "#4a6fa5", "Energia condivisa": "#2e8b57"}
LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " €"]},
          "time": {"dateTime": "%A %e %B %Y, %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
                   "periods": ["AM", "PM"],
                   "days": ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"],
                   "shortDays": ["dom", "lun", "mar", "mer", "gio", "ven", "sab"],
                   "months": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
                              "settembre", "ottobre", "novembre", "dicembre"],
                   "shortMonths": list(MESI)}}
LARGHEZZA = 520


def _finale(ch: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return ch.configure(locale=LOCALE, font="DejaVu Sans").configure_view(stroke=None)


def altezza_pagina(grafico: alt.TopLevelMixin, extra: int = 90) -> int:
    """Altezza da dare a Streamlit per i grafici a barre orizzontali (la pagina non usa quella del grafico)."""
    return int(grafico.to_dict().get("height", 150)) + extra


def _scala_serie() -> alt.Scale:
    return alt.Scale(domain=list(COLORI), range=list(COLORI.values()))


def mensile(righe: list[dict[str, float]]) -> alt.TopLevelMixin:
    """Produzione, consumo ed energia condivisa per mese (barre affiancate)."""
    dati = []
    for r in righe:
        for serie, chiave in (("Produzione", "produzione_kwh"), ("Consumo", "consumo_kwh"),
                              ("Energia condivisa", "condivisa_kwh")):
            dati.append({"mese": MESI[int(r["mese"]) - 1], "serie": serie, "MWh": r[chiave] / 1000})
    df = pd.DataFrame(dati)
    ch = alt.Chart(df).mark_bar().encode(
        x=alt.X("mese:N", sort=list(MESI), title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("serie:N", sort=list(COLORI)),
        y=alt.Y("MWh:Q", title="MWh", axis=alt.Axis(format=",.1f")),
        color=alt.Color("serie:N", scale=_scala_serie(), title=None,
                        legend=alt.Legend(orient="top", columns=2)),   # su due righe: sta anche sul telefono
        tooltip=[alt.Tooltip("mese:N"), alt.Tooltip("serie:N"), alt.Tooltip("MWh:Q", format=",.2f")],
    ).properties(width=LARGHEZZA, height=220)
    return _finale(ch)


def giorno_tipo(righe: list[dict[str, Any]], larghezza: int = 230) -> alt.TopLevelMixin:
    """Giorno tipo per stagione: media oraria di produzione, consumo e condivisa. ``larghezza`` di ogni
    riquadro: la pagina la stringe perché i due riquadri affiancati stiano anche sul telefono."""
    dati = []
    for r in righe:
        for serie, chiave in (("Produzione", "produzione_kwh"), ("Consumo", "consumo_kwh"),
                              ("Energia condivisa", "condivisa_kwh")):
            dati.append({"stagione": r["stagione"], "ora": int(r["ora"]), "serie": serie, "kWh": r[chiave]})
    df = pd.DataFrame(dati)
    ch = alt.Chart(df).mark_line(point=False, strokeWidth=2).encode(
        x=alt.X("ora:Q", title="ora", scale=alt.Scale(domain=[0, 23]), axis=alt.Axis(tickCount=8)),
        y=alt.Y("kWh:Q", title="kWh nell'ora", axis=alt.Axis(format=",.0f")),
        color=alt.Color("serie:N", scale=_scala_serie(), title=None,
                        legend=alt.Legend(orient="top", columns=2)),
        strokeDash=alt.condition(alt.datum.serie == "Energia condivisa", alt.value([1, 0]), alt.value([4, 2])),
        tooltip=["stagione:N", "ora:Q", "serie:N", alt.Tooltip("kWh:Q", format=",.1f")],
    ).properties(width=larghezza, height=140).facet(
        facet=alt.Facet("stagione:N", sort=["inverno", "primavera", "estate", "autunno"], title=None), columns=2)
    return _finale(ch)


def benefici_membri(membri: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """Beneficio annuo per membro, diviso per categoria del riparto."""
    dati = []
    for m in membri:
        for cat, euro in m["categorie"].items():
            if float(euro):
                dati.append({"membro": m["nome"], "categoria": ETICHETTE_CATEGORIE.get(cat, cat), "euro": float(euro)})
    df = pd.DataFrame(dati or [{"membro": "—", "categoria": "—", "euro": 0.0}])
    ordine = sorted({d["membro"] for d in dati}, key=lambda n: -sum(d["euro"] for d in dati if d["membro"] == n))
    ch = alt.Chart(df).mark_bar().encode(
        y=alt.Y("membro:N", sort=ordine, title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        x=alt.X("sum(euro):Q", title="euro all'anno", axis=alt.Axis(format=",.0f")),
        color=alt.Color("categoria:N", title=None, legend=alt.Legend(orient="right")),
        tooltip=["membro:N", "categoria:N", alt.Tooltip("euro:Q", format=",.2f")],
    ).properties(width=LARGHEZZA - 120, height=max(120, 22 * len(ordine)))
    return _finale(ch)


def categorie(cat: dict[str, Any]) -> alt.TopLevelMixin:
    """Beneficio per categoria del regolamento (compresa la quota eccedentaria e i produttori terzi)."""
    df = pd.DataFrame([{"categoria": ETICHETTE_CATEGORIE.get(k, k), "euro": float(v)} for k, v in cat.items()
                       if float(v)] or [{"categoria": "—", "euro": 0.0}])
    ch = alt.Chart(df).mark_bar(color="#2e8b57").encode(
        y=alt.Y("categoria:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220, labelOverlap=False)),
        x=alt.X("euro:Q", title="euro all'anno", axis=alt.Axis(format=",.0f")),
        tooltip=["categoria:N", alt.Tooltip("euro:Q", format=",.2f")],
    ).properties(width=LARGHEZZA - 140, height=max(100, 26 * len(df)))
    return _finale(ch)


def sensibilita(righe: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """Beneficio netto e sue voci al variare del prezzo medio dell'energia."""
    dati = []
    for r in righe:
        for serie, chiave in (("Tariffa premio", "tariffa_premio_euro"), ("Valorizzazione", "valorizzazione_euro"),
                              ("Beneficio netto", "beneficio_netto_euro")):
            dati.append({"prezzo": float(r["prezzo_medio_euro_mwh"]), "serie": serie, "euro": float(r[chiave])})
    df = pd.DataFrame(dati)
    ch = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("prezzo:Q", title="prezzo zonale medio (€/MWh)", axis=alt.Axis(format=",.0f", tickCount=8)),
        y=alt.Y("euro:Q", title="euro all'anno", axis=alt.Axis(format=",.0f")),
        color=alt.Color("serie:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("prezzo:Q", format=",.1f"), "serie:N", alt.Tooltip("euro:Q", format=",.2f")],
    ).properties(width=LARGHEZZA, height=200)
    return _finale(ch)


def confronto(righe: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """Scenario attuale e ipotesi affiancati: righe {voce, scenario, valore}; una scala per voce."""
    df = pd.DataFrame(righe)
    scenari = list(dict.fromkeys(df["scenario"]))
    ch = alt.Chart(df).mark_bar().encode(
        x=alt.X("scenario:N", sort=scenari, title=None, axis=alt.Axis(labels=False, ticks=False)),
        y=alt.Y("valore:Q", title=None, axis=alt.Axis(format=",.0f")),
        color=alt.Color("scenario:N", sort=scenari, title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(range=["#9aa9b8", "#2e8b57"])),
        tooltip=["voce:N", "scenario:N", alt.Tooltip("valore:Q", format=",.2f")],
    ).properties(width=110, height=160).facet(
        column=alt.Column("voce:N", title=None, sort=list(dict.fromkeys(df["voce"])),
                          header=alt.Header(labelOrient="top", labelLimit=130, labelFontSize=11)),
    ).resolve_scale(y="independent")
    return _finale(ch)
