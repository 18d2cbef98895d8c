"""Contesto del registro dei membri (solo con una comunità): tutti i membri, con la data di
recesso per chi è uscito, così il libro resta completo."""

from __future__ import annotations

import datetime as dt

from cer_docs import italiano
from cer_docs.model.pratica import Pratica
from cer_docs.model.vocabolario import RUOLI_MEMBRO, TIPI_SOGGETTO
from cer_docs.rules import fatti

from ..motore import Contesto
from .comuni import data_breve, euro, numero_e_lettere
from .ente import base_pacchetto
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
            "quota": euro(m.quota_versata_euro) or "–",
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
    return Contesto(valori=valori, flag=flag, avvisi=[])
