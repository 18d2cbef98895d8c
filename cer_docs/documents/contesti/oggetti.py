"""Per quali oggetti si genera un documento del pacchetto: configurazioni con mandato,
impianti PNRR, dichiaranti, membri che chiedono l'adesione. Alla data ``al``: chi ha receduto
prima di quel giorno non riceve più documenti da membro."""

from __future__ import annotations

import datetime as dt

from cer_docs.model.pratica import Configurazione, Impianto, Pratica
from cer_docs.rules import fatti


def configurazioni_con_mandato(pratica: Pratica) -> list[Configurazione]:
    """Le configurazioni il cui referente agisce con mandato (non la comunità stessa)."""
    return fatti.configurazioni_con_mandato(pratica)


def impianti_pnrr(pratica: Pratica) -> list[tuple[Configurazione, Impianto]]:
    return [(c, i) for _, c, i in pratica.impianti() if i.contributo_pnrr is not None]


def beneficiario(imp: Impianto) -> str:
    pn = imp.contributo_pnrr
    return (pn.beneficiario if pn and pn.beneficiario else None) or imp.produttore


def membri_con_adesione(pratica: Pratica, al: dt.date) -> list[str]:
    """I membri attivi alla data, che firmano il modulo di adesione."""
    return [m.soggetto for m in fatti.membri_attivi(pratica, al) if pratica.soggetto(m.soggetto)]


def dichiaranti(pratica: Pratica, al: dt.date) -> list[str]:
    """Chi deve rendere una dichiarazione sostitutiva, nell'ordine: referenti, membri attivi alla
    data, produttori terzi e altri produttori, beneficiari PNRR. «comunita» indica la comunità
    come referente. Un membro receduto non dichiara più nulla come membro; dichiara ancora se è
    referente, produttore o beneficiario di un contributo."""
    out: list[str] = []
    receduti = {m.soggetto for m in pratica.membri if not fatti.membro_attivo(m, al)}

    def agg(x: str | None) -> None:
        if x and x not in out:
            out.append(x)

    for c in pratica.configurazioni:
        if c.referente.qualifica == "comunita" and pratica.comunita is not None:
            agg("comunita")
        else:
            agg(c.referente.soggetto)
    for m in fatti.membri_attivi(pratica, al):
        agg(m.soggetto)
    for t in pratica.produttori_terzi:
        agg(t.soggetto)
    for _, _, imp in pratica.impianti():
        if imp.produttore not in receduti:
            agg(imp.produttore)
    for _, imp in impianti_pnrr(pratica):
        agg(beneficiario(imp))
    return [x for x in out if x == "comunita" or pratica.soggetto(x) is not None]
