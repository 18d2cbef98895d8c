"""Contesto dell'atto costitutivo: lo statuto (che l'atto allega) più la forma dell'atto, il
luogo e la data, il notaio, repertorio e raccolta, il primo esercizio e le firme."""

from __future__ import annotations

import datetime as dt

from cer_docs import italiano
from cer_docs.model.pratica import Pratica
from cer_docs.model.vocabolario import DATE_ATTO, FORME_ATTO, FORME_GIURIDICHE
from cer_docs.rules.forme_giuridiche import forma_giuridica

from ..motore import LACUNA, Contesto, lacuna
from . import parti
from .comuni import data_per_atto_pubblico, numero_e_lettere, p
from .statuto import contesto_statuto
from .forma_ente import integra_atto


_A = "comunita.atto_costitutivo."


def avviso_data_prevista_passata(prevista: dt.date, primo_esercizio: str | None) -> str:
    """L'avviso per un atto non ancora firmato la cui data prevista di firma è già passata: l'atto
    generato porta quella data e da essa calcola la chiusura del primo esercizio."""
    dp, df = DATE_ATTO["data_prevista"].etichetta, DATE_ATTO["data"].etichetta
    esercizio = f" e chiude il primo esercizio il {primo_esercizio}" if primo_esercizio else ""
    return (f"la «{dp}» dell'atto costitutivo ({italiano.data_lunga(prevista)}) è già passata e la pratica non "
            f"indica la «{df}» ({_A}data_prevista): l'atto generato porta quella data{esercizio}. Controlla la data "
            f"dell'atto e il primo esercizio: se l'atto è già firmato indica la «{df}», altrimenti aggiorna la "
            f"«{dp}» e genera di nuovo l'atto")


def contesto_atto(pratica: Pratica, al: dt.date) -> Contesto:
    base = contesto_statuto(pratica, al)
    valori, flag, avvisi = dict(base.valori), dict(base.flag), list(base.avvisi)
    c = pratica.comunita
    assert c is not None
    forma = c.forma_giuridica
    a = c.atto_costitutivo
    n = parti.notaio(a.dati_notaio)
    for f in FORME_ATTO:
        flag[f"atto_{f}"] = a.forma == f
    flag["atto_scrittura_privata"] = a.forma != "atto_pubblico"
    flag["atto_con_notaio"] = a.forma in ("atto_pubblico", "scrittura_privata_autenticata")
    data_atto = a.data or a.data_prevista
    giorni_reg = int(p("registrazione_termine_giorni", data_atto or al))  # il termine vigente alla data dell'atto
    repertorio = (a.dati_notaio.repertorio if a.dati_notaio else None) or a.repertorio
    valori["atto"] = {
        "forma": FORME_ATTO[a.forma].nome,
        "luogo": a.luogo or c.sede.comune,
        "data": italiano.data_lunga(data_atto) if data_atto else None,
        "il_data": italiano.con_data("il", data_atto) if data_atto else f"il {lacuna(_A + 'data')}",
        "data_atto_pubblico": data_per_atto_pubblico(data_atto, _A + "data"),
        "notaio": n["nome"],
        "repertorio": repertorio or lacuna(_A + "repertorio"),
        "raccolta": n["raccolta"] or lacuna(_A + "notaio.raccolta"),
        "termine_registrazione": numero_e_lettere(giorni_reg),
        "spazio": LACUNA,
    }
    valori["notaio"] = n
    valori["atto"]["data_atto_pubblico_inizio"] = italiano.maiuscola_iniziale(valori["atto"]["data_atto_pubblico"])
    primo = None
    if data_atto is not None and flag["esercizio_anno_solare"]:
        primo = italiano.data_lunga(dt.date(data_atto.year, 12, 31))
    valori["atto"]["primo_esercizio_chiusura"] = primo
    flag["primo_esercizio_noto"] = primo is not None
    valori["atto"]["titolo_patrimonio"] = {
        "fondazione_partecipazione": "Fondo di dotazione", "cooperativa": "Capitale sociale",
    }.get(forma, "Quote associative e fondo comune")
    firma_notaio = {"nome": n["nome"] or lacuna(_A + "notaio"), "qualifica": "il notaio"}
    valori["firmatari_atto"] = valori["firmatari"] + ([firma_notaio] if a.forma == "atto_pubblico" else [])
    valori["firmatari_notaio"] = [firma_notaio]
    flag["notaio_indicato"] = bool(n["nome"])
    flag["data_atto_indicata"] = data_atto is not None
    if forma_giuridica(forma, al).richiede_notaio and a.forma != "atto_pubblico":
        avvisi.append(f"la forma giuridica '{FORME_GIURIDICHE[forma].nome}' richiede di regola l'atto pubblico, "
                      f"ma la pratica indica '{FORME_ATTO[a.forma].nome}'")
    if data_atto is None:
        avvisi.append("la pratica non indica la data dell'atto costitutivo: la data resta da completare")
    elif a.data is None and data_atto < al:
        avvisi.append(avviso_data_prevista_passata(data_atto, primo))
    integra_atto(pratica, al, valori, flag, avvisi)  # notaio e firme: forma_ente.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=dict(base.origini))
