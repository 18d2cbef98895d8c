"""Registri e moduli coerenti con l'atto: il libro dei membri mostra le quote versate alla
costituzione e non «iscrive» nessuno prima che l'ente esista; le dichiarazioni si firmano nel luogo
del dichiarante; la lettera ai fornitori PNRR avvisa se è datata dopo la fine dei lavori; i tempi
verbali seguono lo stato della pratica (contributo «richiesto» o «concesso»)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Impianto, Pratica
from cer_docs.rules.contesto import data_costituzione

SPAZIO_FISSO = "\u00a0"


def fondatori(pratica: Pratica) -> set[str]:
    return set(pratica.comunita.fondatori) if pratica.comunita else set()


def membri_da_ammettere(pratica: Pratica, membri: list[str]) -> list[str]:
    """Chi riceve il modulo di adesione tra ``membri``: chi non è fondatore (i fondatori aderiscono
    sottoscrivendo l'atto costitutivo e non chiedono di essere ammessi)."""
    f = fondatori(pratica)
    return [sid for sid in membri if sid not in f]


def costituita_al(pratica: Pratica, al: dt.date) -> bool:
    """L'ente esiste alla data: atto firmato entro ``al`` (la data certa serve al GSE, non all'esistenza)."""
    c = pratica.comunita
    if c is None:
        return False
    d = c.atto_costitutivo.data or data_costituzione(pratica)
    return d is not None and d <= al


def integra_registro(pratica: Pratica, al: dt.date, valori: dict[str, Any], flag: dict[str, bool]) -> None:
    c = pratica.comunita
    assert c is not None
    flag["ente_costituito"] = costituita_al(pratica, al)
    flag["ente_non_costituito"] = not flag["ente_costituito"]
    data_atto = c.atto_costitutivo.data
    f = fondatori(pratica)
    quota = quota_statutaria(c.quota_associativa_euro)
    flag["quota_non_prevista"] = quota == QUOTA_NON_PREVISTA
    flag["quota_da_determinare"] = c.quota_associativa_euro is None
    righe = []
    for riga, m in zip(valori["registro"], pratica.membri):
        riga = dict(riga)
        if m.quota_versata_euro is None:
            # il fondatore versa con l'atto la quota che l'atto dichiara versata; chi è ammesso dopo è
            # iscritto nel libro solo dopo averla versata (clausola «ammissione_decisione»): in entrambi
            # i casi la quota è quella dello statuto. Senza importo nello statuto resta da completare.
            riga["quota"] = quota
        if m.soggetto in f:
            if m.data_adesione is None and data_atto is not None:
                riga["adesione"] = data_atto.strftime("%d/%m/%Y")
            riga["titolo"] = "fondatore"
        else:
            riga["titolo"] = "ammesso"
        if not flag["ente_costituito"]:
            riga["adesione"] = "alla costituzione" if m.soggetto in f else "dopo la costituzione"
        righe.append(riga)
    valori["registro"] = righe


QUOTA_NON_PREVISTA = "non prevista"


def quota_statutaria(importo: Decimal | None) -> str | None:
    """La quota che lo statuto chiede a ogni membro, come la scrive il libro dei membri: l'importo;
    «non prevista» se lo statuto non ne chiede (importo zero); ``None`` (spazio da completare,
    evidenziato) se l'importo non è ancora stabilito, come nell'atto costitutivo."""
    if importo is None:
        return None
    if Decimal(importo) == 0:
        return QUOTA_NON_PREVISTA
    return italiano.importo(Decimal(importo), spazio=SPAZIO_FISSO)


def integra_dsan(pratica: Pratica, sid: str, valori: dict[str, Any], al: dt.date) -> None:
    """La dichiarazione si firma dove si trova il dichiarante (residenza o sede); il contributo PNRR
    è «concesso» solo se la concessione precede la data della dichiarazione."""
    from .comuni import nome_impianto

    impianti = {nome_impianto(imp): imp for _, _, imp in pratica.impianti()}
    for chiave in ("impianti_dichiarati", "impianti_pnrr_beneficiario"):
        valori[chiave] = [dict(i, concesso=contributo_concesso(impianti[i["nome"]], al)) if i.get("nome") in impianti
                          else i for i in valori.get(chiave, [])]
    if sid == "comunita":
        return
    s = pratica.soggetto(sid)
    if s is not None and s.luogo is not None and s.luogo.comune:
        valori["luogo_firma"] = s.luogo.comune


def contributo_concesso(imp: Impianto, al: dt.date) -> bool:
    pn = imp.contributo_pnrr
    return bool(pn and pn.data_concessione and pn.data_concessione <= al)


def integra_lettera(pratica: Pratica, imp: Impianto, al: dt.date, valori: dict[str, Any], flag: dict[str, bool],
                    avvisi: list[str]) -> None:
    pn = imp.contributo_pnrr
    assert pn is not None
    flag["contributo_concesso"] = contributo_concesso(imp, al)
    valori["data_concessione"] = italiano.data_lunga(pn.data_concessione) if pn.data_concessione else None
    fine = pn.data_fine_lavori
    flag["lettera_dopo_fine_lavori"] = bool(fine and al > fine)
    valori["fine_lavori"] = italiano.data_lunga(fine) if fine else None
    if flag["lettera_dopo_fine_lavori"]:
        avvisi.append(f"impianto «{imp.nome}»: la lettera ai fornitori è datata dopo la fine dei lavori "
                      f"({fine.strftime('%d/%m/%Y')}): vale solo per le fatture ancora da emettere e non rimedia a "
                      "quelle già emesse senza gli elementi richiesti")
