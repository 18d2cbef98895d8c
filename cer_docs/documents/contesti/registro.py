"""Contesto del registro dei membri (solo con una comunità): tutti i membri, con la data di
recesso per chi è uscito, così il libro resta completo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Pratica
from cer_docs.model.vocabolario import RUOLI_MEMBRO, TIPI_SOGGETTO
from cer_docs.rules import fatti

from ..motore import Contesto
from .comuni import data_breve, euro, numero_e_lettere
from .ente import base_pacchetto, origini_pacchetto
from .coerenza import integra_registro


def contesto_registro(pratica: Pratica, al: dt.date) -> Contesto:
    valori, flag = base_pacchetto(pratica, al)
    righe = []
    for i, m in enumerate(pratica.membri, 1):
        s = pratica.soggetto(m.soggetto)
        righe.append({
            "numero": str(i), "nome": s.nome_completo if s else None,
            "codice_fiscale": (s.codice_fiscale if s else None) or "",
            "categoria": TIPI_SOGGETTO[s.tipo].nome if s else "",
            "ruolo": RUOLI_MEMBRO[m.ruolo].nome, "adesione": data_breve(m.data_adesione),
            "recesso": data_breve(m.data_recesso) or "–",
            "quota": euro(m.quota_versata_euro),   # senza versamento registrato: coerenza.integra_registro
        })
    valori["registro"] = righe
    attivi = len(fatti.membri_attivi(pratica, al))
    valori["numero_membri"] = numero_e_lettere(len(righe))
    valori["numero_membri_attivi"] = numero_e_lettere(attivi)
    valori["data_registro"] = italiano.data_lunga(al)
    valori["del_data_registro"] = italiano.con_data("del", al)
    flag["registro_vuoto"] = not righe
    flag["registro_con_receduti"] = attivi < len(righe)
    integra_registro(pratica, al, valori, flag)  # coerenza.py
    avvisi: list[str] = []
    if flag["ente_costituito"]:
        _alla_data(pratica, al, valori, flag, avvisi)
    # le celle vuote del registro: i dati del membro che mancano, per nominarli nell'avviso
    origini = origini_pacchetto(pratica)
    for i, m in enumerate(pratica.membri):
        origini[f"registro[{i}].codice_fiscale"] = f"soggetti[id:{m.soggetto}].codice_fiscale"
        origini[f"registro[{i}].quota"] = f"membri[{i}].quota_versata_euro"
        origini[f"registro[{i}].adesione"] = f"membri[{i}].data_adesione"
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=origini)


def _alla_data(pratica: Pratica, al: dt.date, valori: dict[str, Any], flag: dict[str, bool],
               avvisi: list[str]) -> None:
    """Il libro «alla data del …» di un ente costituito elenca solo chi a quella data era già ammesso
    (il fondatore senza data è ammesso con l'atto) e conta come iscritti quelli non ancora usciti."""
    data_atto = pratica.comunita.atto_costitutivo.data if pratica.comunita else None
    tenute, dopo = [], 0
    for riga, m in zip(valori["registro"], pratica.membri):
        ammesso = m.data_adesione or (data_atto if riga.get("titolo") == "fondatore" else None)
        if ammesso is not None and ammesso > al:
            dopo += 1
            continue
        if m.data_recesso is not None and m.data_recesso > al:
            riga = {**riga, "recesso": "–"}   # l'uscita futura non è ancora un fatto del libro a quella data
        tenute.append((riga, m))
    valori["registro"] = [{**riga, "numero": str(i)} for i, (riga, _) in enumerate(tenute, 1)]
    iscritti = sum(1 for _, m in tenute if fatti.membro_attivo(m, al))
    valori["numero_membri"] = numero_e_lettere(len(tenute))
    valori["numero_membri_attivi"] = numero_e_lettere(iscritti)
    flag["registro_vuoto"] = not tenute
    flag["registro_con_receduti"] = iscritti < len(tenute)
    if dopo:
        avvisi.append(f"registro dei membri alla data {italiano.con_data('del', al)}: "
                      + ("un membro ammesso dopo quella data non è elencato" if dopo == 1 else
                         f"{dopo} membri ammessi dopo quella data non sono elencati") + "; "
                      "per elencarli genera il registro a una data successiva")
