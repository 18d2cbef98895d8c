"""Proprietà delle forme giuridiche della CER, lette dai parametri datati.

Una sola fonte per «serve il notaio?», «l'organo di controllo è obbligatorio?», «l'ente ha la
personalità giuridica?» e «qual è il patrimonio minimo per ottenerla?»: regole, contesti dei
documenti e interfaccia leggono da qui, alla data ``al``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .base import param, parametro, rif


@dataclass(frozen=True)
class PatrimonioMinimo:
    """Il patrimonio minimo per la personalità giuridica di una forma, con la sua fonte."""

    importo: Decimal
    riferimento: str
    confermato: bool
    facoltativo: bool          # la personalità giuridica è una scelta dell'ente (ETS, art. 22 CTS)
    nome_fondo: str            # come l'atto chiama il fondo


@dataclass(frozen=True)
class FormaGiuridica:
    id: str
    richiede_notaio: bool
    organo_controllo_obbligatorio: bool
    personalita_giuridica: bool
    disciplina_personalita: str | None
    patrimonio_minimo: PatrimonioMinimo | None
    registri: tuple[str, ...] = ()     # dove l'ente si iscrive dopo l'atto (codici di ``REGISTRI_ENTE``)

    @property
    def riconoscimento(self) -> bool:
        """La personalità giuridica viene dal riconoscimento (DPR 361/2000), non dall'iscrizione
        nel registro delle imprese come per la cooperativa."""
        return self.disciplina_personalita == "dpr_361"


_NOME_FONDO = {
    "associazione_riconosciuta": "fondo patrimoniale di garanzia",
    "fondazione_partecipazione": "fondo di dotazione",
    "ets_associazione": "patrimonio minimo",
}


def forma_giuridica(forma: str, al: dt.date) -> FormaGiuridica:
    """Le proprietà della forma ``forma`` in vigore alla data ``al``."""
    p = param("forme_giuridiche", al)[forma]
    minimo = None
    if p["disciplina_personalita"] == "dpr_361":
        importi = param("patrimonio_minimo_personalita", al)
        minimo = PatrimonioMinimo(
            importo=Decimal(str(importi[forma])), riferimento=rif("patrimonio_minimo_personalita", al),
            confermato=not parametro("patrimonio_minimo_personalita").non_confermato, facoltativo=False,
            nome_fondo=_NOME_FONDO[forma])
    elif p["disciplina_personalita"] == "cts_art_22":
        importi = param("patrimonio_minimo_ets", al)
        minimo = PatrimonioMinimo(
            importo=Decimal(str(importi["associazione"])), riferimento=rif("patrimonio_minimo_ets", al),
            confermato=not parametro("patrimonio_minimo_ets").non_confermato, facoltativo=True,
            nome_fondo=_NOME_FONDO[forma])
    return FormaGiuridica(
        id=forma, richiede_notaio=bool(p["richiede_notaio"]),
        organo_controllo_obbligatorio=bool(p["organo_controllo_obbligatorio"]),
        personalita_giuridica=bool(p["personalita_giuridica"]),
        disciplina_personalita=p["disciplina_personalita"], patrimonio_minimo=minimo,
        registri=tuple(p.get("registri") or ()))


def regole_cooperativa(numero_soci: int, al: dt.date) -> str:
    """«srl» se l'atto costitutivo può adottare le regole della S.r.l. (meno soci della soglia
    dell'art. 2519 c. 2 c.c.), altrimenti «spa»."""
    return "srl" if numero_soci < int(param("cooperativa_requisiti", al)["srl_soci_massimi"]) else "spa"
