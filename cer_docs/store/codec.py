"""La pratica come documento JSON nella colonna ``pratica.dati``.

Il contenuto è quello di ``cer_docs.model.to_data`` (solo i campi presenti, ``formato``
per primo, date ISO), con una differenza: un importo ``Decimal`` che un float non
rappresenta esattamente si scrive come testo, così la rilettura con ``parse_data`` dà
una ``Pratica`` uguale a quella salvata.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from cer_docs.model import FORMATO, Pratica, parse_data
from cer_docs.model.io import dump_presenti


def _default(o: Any) -> Any:
    if isinstance(o, Decimal):
        if o == o.to_integral_value() and o.as_tuple().exponent >= 0:
            return int(o)
        f = float(o)
        return f if Decimal(repr(f)) == o else str(o)
    if isinstance(o, (dt.date, dt.datetime)):
        return o.isoformat()
    raise TypeError(f"tipo non serializzabile: {type(o).__name__}")


def encode_pratica(pratica: Pratica) -> str:
    raw = dump_presenti(pratica)
    dati = {"formato": raw.pop("formato", FORMATO)}
    dati.update(raw)
    return json.dumps(dati, ensure_ascii=False, separators=(",", ":"), default=_default, allow_nan=False)


def decode_data(testo: str) -> dict[str, Any]:
    return json.loads(testo)


def decode_pratica(testo: str, nome: str = "<archivio>") -> Pratica:
    return parse_data(decode_data(testo), nome, formato="json")
