"""Manutenzione legale: i parametri di legge con il valore a una data, la fonte e l'ultima verifica.

L'unica porta verso ``rules/params`` e ``rules/fonti`` per la riga di comando (``cer-docs fonti``)
e per l'interfaccia. Qui, e solo qui, si legge l'orologio: ``al`` è oggi se non la si passa.

* ``elenco(al)``: ogni parametro con il valore in vigore alla data ``al`` (o nessuno, se la regola
  non c'era ancora), la data da cui vale, il valore successivo già programmato, le fonti con il loro
  indirizzo, ``last_value_still_valid_on`` e se è da confermare (e che cosa confermare, dove);
* ``elenco(al, scadute_dal=D)``: solo quelli non verificati dal giorno D in poi
  (``last_value_still_valid_on`` anteriore a D o mancante).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from cer_docs.rules.base import Parametro, ParametroNonValido, Voce, fonte, tutti_i_parametri

__all__ = ["FonteParametro", "ParametroAllaData", "ParametroNonValido", "elenco"]


@dataclass
class FonteParametro:
    id: str
    titolo: str
    articolo: str | None
    url: str | None
    versione: str | None


@dataclass
class ParametroAllaData:
    """Un parametro visto a una data: che cosa vale, da quando, chi lo dice, quando è stato verificato."""

    id: str
    descrizione: str
    unita: str | None
    al: dt.date
    in_vigore: bool
    valore: Any
    dal: dt.date | None
    prossimo_dal: dt.date | None
    fonti: list[FonteParametro] = field(default_factory=list)
    last_value_still_valid_on: dt.date | None = None
    non_confermato: bool = False
    da_confermare: str | None = None          # per chi mantiene le regole: id del parametro e nota interna
    da_confermare_utente: str | None = None   # come lo leggono i promotori nei rilievi
    nota: str | None = None
    primo_dal: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return _json(asdict(self))


def _json(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _json(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_json(v) for v in x]
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    if isinstance(x, Decimal):
        return str(x)
    return x


def _fonti(voce: Voce) -> list[FonteParametro]:
    out = []
    for r in voce.riferimenti:
        f = fonte(r.fonte)
        out.append(FonteParametro(id=f.id, titolo=f.titolo, articolo=r.articolo, url=f.url, versione=f.versione))
    return out


def _alla_data(p: Parametro, al: dt.date) -> ParametroAllaData:
    in_vigore = [v for v in p.voci if v.dal <= al]
    dopo = [v for v in p.voci if v.dal > al]
    voce = in_vigore[-1] if in_vigore else None
    riferimento = voce or p.voci[0]
    incerta = p.incerta(riferimento)
    return ParametroAllaData(
        id=p.id, descrizione=" ".join(p.descrizione.split()), unita=p.unita, al=al, in_vigore=voce is not None,
        valore=voce.valore if voce else None, dal=voce.dal if voce else None,
        prossimo_dal=dopo[0].dal if dopo else None, fonti=_fonti(riferimento),
        last_value_still_valid_on=p.last_value_still_valid_on, non_confermato=incerta,
        da_confermare=p.da_confermare_interno(riferimento) if incerta else None,
        da_confermare_utente=p.da_confermare(riferimento) if incerta else None,
        nota=" ".join((riferimento.nota or p.nota or "").split()) or None, primo_dal=p.dal)


def elenco(al: dt.date | None = None, *, scadute_dal: dt.date | None = None) -> list[ParametroAllaData]:
    """Tutti i parametri alla data ``al`` (oggi se manca), in ordine di id.

    Con ``scadute_dal`` restano solo quelli la cui ultima verifica (``last_value_still_valid_on``)
    è anteriore a quella data o manca. Un file di parametri scritto male solleva ``ParametroNonValido``.
    """
    al = al or dt.date.today()
    out = [_alla_data(p, al) for _pid, p in sorted(tutti_i_parametri().items())]
    if scadute_dal is not None:
        out = [x for x in out if x.last_value_still_valid_on is None or x.last_value_still_valid_on < scadute_dal]
    return out
