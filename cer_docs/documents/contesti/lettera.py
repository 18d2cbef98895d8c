"""Contesto della lettera ai fornitori PNRR (una per impianto con contributo)."""

from __future__ import annotations

import datetime as dt

from cer_docs import italiano
from cer_docs.model.pratica import Pratica

from ..motore import LACUNA, Contesto
from . import parti
from .comuni import elenco_parole, impianto, luogo, nome_impianto, origini_impianto, p
from .ente import base_pacchetto, origini_pacchetto
from .oggetti import beneficiario
from .coerenza import integra_lettera

_TIPI_LAVORO = [
    "progettazione", "direzione dei lavori", "collaudo", "costi di connessione alla rete",
    "fornitura e posa in opera dei componenti dell'impianto",
]
_METODI = {"bonifico_bancario": "bonifico bancario", "bonifico_postale": "bonifico postale"}


def contesto_lettera(pratica: Pratica, impianto_id: str, al: dt.date) -> Contesto:
    valori, flag = base_pacchetto(pratica, al)
    conf, imp = next((c, i) for _, c, i in pratica.impianti() if i.id == impianto_id)
    dove = parti.percorso_impianto(conf, imp)
    pn = imp.contributo_pnrr
    assert pn is not None
    b = pratica.soggetto(beneficiario(imp))
    valori["beneficiario"] = {
        "nome": b.nome_completo if b else None,
        "codice_fiscale": b.codice_fiscale if b else None,
        "partita_iva": (b.partita_iva if b and b.partita_iva else None),
        "sede": luogo(b.luogo) if b else None,
        "pec": (b.pec or b.email) if b else None,
    }
    flag["beneficiario_con_partita_iva"] = bool(b and b.partita_iva)
    valori["impianto"] = impianto(imp, dove)
    valori["cup"] = pn.cup
    valori["cig"] = pn.cig
    valori["codice_gse"] = pn.codice_progetto_gse
    flag["cup_assegnato"] = bool(pn.cup)
    flag["cup_da_assegnare"] = not pn.cup
    flag["cig_presente"] = bool(pn.cig)
    valori["dicitura_pnrr"] = str(p("pnrr_dicitura_fattura", al))
    flag["obbligo_cup"] = bool(p("fattura_cup_obbligo", al))
    metodi = list(p("pnrr_pagamento_tracciabile", al)["metodi"])
    valori["pagamenti_ammessi"] = elenco_parole([_METODI.get(m, m.replace("_", " ")) for m in metodi]).replace(" e ", " o ")
    valori["tipi_lavoro"] = [{"testo": t} for t in _TIPI_LAVORO]
    valori["data_lettera"] = italiano.data_lunga(al)
    if b is not None and b.luogo is not None and b.luogo.comune:
        valori["luogo_firma"] = b.luogo.comune
    if b is not None:
        n, q = parti.nome_firmatario(b)
        valori["firmatari_lettera"] = [{"nome": n, "qualifica": q or "il beneficiario"}]
    else:
        valori["firmatari_lettera"] = [{"nome": LACUNA, "qualifica": "il beneficiario"}]
    avvisi = [] if pn.cup else [f"impianto {nome_impianto(imp)}: CUP non ancora assegnato, la lettera indica il "
                                "codice del progetto GSE"]
    integra_lettera(pratica, imp, al, valori, flag, avvisi)  # coerenza.py
    # i dati che mancano, per nominarli nell'avviso della generazione
    origini = {**origini_pacchetto(pratica), **origini_impianto("impianto", dove),
               "cup": f"{dove}.contributo_pnrr.cup", "cig": f"{dove}.contributo_pnrr.cig",
               "codice_gse": f"{dove}.contributo_pnrr.codice_progetto_gse"}
    if b is not None:
        sb = parti.percorso(b)
        origini.update({"beneficiario.codice_fiscale": f"{sb}.codice_fiscale", "beneficiario.pec": f"{sb}.pec",
                        "beneficiario.partita_iva": f"{sb}.partita_iva",
                        "beneficiario.sede": parti.percorso_luogo(b, "indirizzo"),
                        "luogo_firma": parti.percorso_luogo(b)})
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=origini)
