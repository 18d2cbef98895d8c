"""Rapporto PDF della simulazione (HTML + CSS → WeasyPrint, grafici SVG vettoriali con vl-convert).

Il modello HTML sta nel pacchetto (``economia/modelli``) perché la simulazione deve funzionare da un
pacchetto installato; mostra solo testi già pronti (importi all'italiana, date lunghe). Il testo
dell'utente (nomi, denominazioni) passa per l'autoescape di Jinja.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import threading
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2

from cer_docs.italiano import data_lunga, importo, numero, percentuale
from cer_docs.rules.base import param

from . import fotovoltaico, grafici
from .riparto import ETICHETTE_CATEGORIE
from .simulazione import Simulazione

_lock = threading.Lock()
METODO_FV = fotovoltaico.DESCRIZIONE_METODO
DATI_FONTE = ("Dati energetici: profili orari ARERA delle famiglie, prezzi zonali orari (novembre 2023 – ottobre "
              "2024 sul calendario 2023) e comuni con zona di mercato, come distribuiti dal simulatore CACER di RSE "
              "(licenza BSD-3-Clause); anno tipo PVGIS 45° N 8° E (PVGIS © Unione europea).")


def _cartella():  # noqa: ANN202
    return resources.files("cer_docs.economia").joinpath("modelli")


@lru_cache(maxsize=1)
def _ambiente() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FunctionLoader(lambda n: _cartella().joinpath(n).read_text("utf-8")),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def svg_data_uri(grafico: Any) -> str:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(grafico.to_dict())
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _kwh(x: float) -> str:
    return numero(x, 0)


def _riga_voce(voce: str, anno: Decimal, anni: int) -> dict[str, str]:
    return {"voce": voce, "anno": importo(anno), "orizzonte": importo(anno * anni)}


def contesto(sim: Simulazione, sensibilita: list[dict[str, Any]], redatto_il: dt.date) -> dict[str, Any]:
    t = sim.totali()
    anni = sim.orizzonte_anni
    d = sim.as_dict()
    if sim.misurato:
        periodo = f"Misure del distributore: {numero(sim.ore)} ore dal {sim.inizio[:10]} al {sim.fine[:10]}"
        intest = "Periodo misurato"
    else:
        periodo = f"Anno tipo {sim.anno} ({numero(sim.ore)} ore), profili e produzione stimati"
        intest = f"Anno {sim.anno}"
    sintesi = [
        {"etichetta": "Energia condivisa", "valore": f"{_kwh(t['energia_condivisa_kwh'])} kWh"},
        {"etichetta": "Beneficio netto", "valore": importo(t["beneficio_netto_euro"])},
        {"etichetta": f"In {anni} anni, dopo i corrispettivi una tantum", "valore": importo(t["beneficio_orizzonte_euro"])},
        {"etichetta": "Condivisa / immessa",
         "valore": percentuale(100 * t['energia_condivisa_kwh'] / t['energia_immessa_kwh'], 1)
         if t["energia_immessa_kwh"] else "—"},
    ]
    voci = [_riga_voce("Tariffa premio (energia condivisa incentivata)", t["tariffa_premio_euro"], anni),
            _riga_voce("Valorizzazione dell'energia autoconsumata (TIAD)", t["valorizzazione_euro"], anni),
            _riga_voce("Corrispettivi annui al GSE (DM 106/2024)", -t["corrispettivi_gse_euro"], anni),
            _riga_voce("Beneficio netto", t["beneficio_netto_euro"], anni),
            _riga_voce("di cui quota eccedentaria (a consumatori non imprese o finalità sociali)",
                       t["quota_eccedentaria_euro"], anni)]
    if t["corrispettivi_gse_una_tantum_euro"]:
        voci.append({"voce": "Corrispettivi una tantum al GSE (contributo PNRR)", "anno": "—",
                     "orizzonte": importo(-t["corrispettivi_gse_una_tantum_euro"])})
    confs = []
    for c in sim.configurazioni:
        confs.append({
            "titolo": f"{c.denominazione} ({c.tipo})",
            "impianti": [{"nome": i.denominazione, "kw": numero(i.potenza_kw), "fascia": str(i.fascia),
                          "f": numero(i.fattore_f, 2), "prodotta": _kwh(i.energia_prodotta_kwh),
                          "condivisa": _kwh(i.energia_condivisa_kwh), "media": numero(i.tariffa_media_euro_mwh, 1)
                          if i.incentivato else "—", "tip": importo(i.tariffa_premio_euro)} for i in c.impianti],
            "metodi": "; ".join(sorted({f"{i.denominazione}: {i.metodo_produzione}" for i in c.impianti})),
            # il produttore terzo non ha kWh che pesano: riceve la quota pattuita sui suoi impianti, e lo si dice
            "membri": [{"nome": m.nome + (" (produttore terzo: quota pattuita sui suoi impianti)"
                                          if set(m.categorie) == {"produttori_terzi"} else ""),
                        "prelievo": _kwh(m.prelievo_condiviso_kwh),
                        "immissione": _kwh(m.immissione_condivisa_kwh), "beneficio": importo(m.beneficio_euro)}
                       for m in c.membri if m.beneficio_euro or m.prelievo_condiviso_kwh or m.immissione_condivisa_kwh],
            "comunita": [{"voce": ETICHETTE_CATEGORIE.get(k, k) + " (alla comunità)", "importo": importo(v)}
                         for k, v in c.comunita_euro.items() if v],
            "netto": importo(c.beneficio_netto_euro),
            "nota_riparto": "Riparto: " + "; ".join(f"{ETICHETTE_CATEGORIE.get(k, k)} {importo(v)}"
                                                    for k, v in c.categorie_euro.items() if v)
                            + ". Le parti sommano al centesimo (metodo dei resti maggiori).",
        })
    conf0 = d["configurazioni"][0]
    mensile = [dict(mese=r["mese"], produzione_kwh=0.0, consumo_kwh=0.0, condivisa_kwh=0.0) for r in conf0["mensile"]]
    for c in d["configurazioni"]:
        for acc, r in zip(mensile, c["mensile"]):
            for k in ("produzione_kwh", "consumo_kwh", "condivisa_kwh"):
                acc[k] += r[k]
    giorno = [dict(r) for r in conf0["giorno_tipo"]]
    for c in d["configurazioni"][1:]:
        for acc, r in zip(giorno, c["giorno_tipo"]):
            for k in ("produzione_kwh", "consumo_kwh", "condivisa_kwh"):
                acc[k] += r[k]
    return {
        "titolo": f"Simulazione economica – {sim.denominazione}",
        "denominazione": sim.denominazione, "periodo": periodo, "redatto_il": data_lunga(redatto_il),
        "prezzi": sim.prezzi[0].upper() + sim.prezzi[1:] + f" (media {numero(sim.prezzo_medio_euro_mwh, 1)} €/MWh)",
        "sintesi": sintesi, "voci": voci, "intestazione_periodo": intest,
        "intestazione_orizzonte": f"{anni} anni",
        "nota_orizzonte": (f"Orizzonte di {anni} anni scelto dall'utente (la tariffa premio dura "
                           f"{param('tariffa_premio_durata_anni', sim.al)} anni per impianto): si ripetono i valori "
                           "dell'anno simulato, senza attualizzazione né inflazione."),
        "avvisi": sim.avvisi,
        "grafico_mensile": svg_data_uri(grafici.mensile(mensile)),
        "grafico_giorno": svg_data_uri(grafici.giorno_tipo(giorno)),
        "grafico_membri": svg_data_uri(grafici.benefici_membri(d["membri"])),
        "grafico_categorie": svg_data_uri(grafici.categorie({k: float(v) for k, v in sim.categorie().items()})),
        "grafico_sensibilita": svg_data_uri(grafici.sensibilita(sensibilita)),
        "configurazioni": confs,
        "prezzo_riferimento": numero(param("tariffa_premio_fasce", sim.al)["prezzo_riferimento_euro_mwh"]),
        "sensibilita": [{"fattore": numero(r["fattore"], 2), "prezzo": numero(r["prezzo_medio_euro_mwh"], 1),
                         "tip": importo(r["tariffa_premio_euro"]), "val": importo(r["valorizzazione_euro"]),
                         "ecc": importo(r["quota_eccedentaria_euro"]), "netto": importo(r["beneficio_netto_euro"])}
                        for r in sensibilita],
        "ipotesi": sim.ipotesi, "metodo_fv": METODO_FV,
        "fonti": [{**f, "verificato_il": data_lunga(dt.date.fromisoformat(f["verificato_il"]))
                   if f["verificato_il"] else "—"} for f in sim.fonti],
        "dati_fonte": DATI_FONTE,
    }


def render_html(ctx: dict[str, Any]) -> str:
    return _ambiente().get_template("rapporto.html").render(**ctx)


@lru_cache(maxsize=1)
def _weasy():  # noqa: ANN202
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fc = FontConfiguration()
    css = CSS(string=_cartella().joinpath("rapporto.css").read_text("utf-8"), font_config=fc)
    return HTML, css, fc


def rapporto_pdf(sim: Simulazione, sensibilita: list[dict[str, Any]], redatto_il: dt.date) -> bytes:
    HTML, css, fc = _weasy()
    html = render_html(contesto(sim, sensibilita, redatto_il))
    out = io.BytesIO()
    with _lock:
        HTML(string=html).write_pdf(out, stylesheets=[css], font_config=fc)
    return out.getvalue()
