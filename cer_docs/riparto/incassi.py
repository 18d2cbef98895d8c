"""Gli importi pagati dal GSE, da CSV: ``periodo`` (AAAA-MM), ``componente``, ``importo_euro``.

Componenti: ``acconto`` | ``conguaglio`` | ``tariffa_premio`` | ``valorizzazione`` | ``quota_eccedentaria``.
Facoltative: ``configurazione`` (id della configurazione del contratto) e ``data_incasso`` (AAAA-MM-GG).
Separatore virgola o punto e virgola; importi con il punto o con la virgola decimale (1234,56); un
conguaglio negativo è un recupero del GSE.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from typing import get_args

from cer_docs.model.pratica import ComponenteIncasso, IncassoGse

COMPONENTI: tuple[str, ...] = get_args(ComponenteIncasso)
ETICHETTE_COMPONENTI = {
    "acconto": "Acconto mensile",
    "conguaglio": "Conguaglio",
    "tariffa_premio": "Tariffa premio",
    "valorizzazione": "Valorizzazione",
    "quota_eccedentaria": "Quota eccedentaria",
}
_MESE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ErroreIncassi(ValueError):
    """Il file degli incassi non si può usare: il messaggio dice riga e campo, in italiano."""


def importo(valore: str, riga: int) -> Decimal:
    t = (valore or "").strip().replace("€", "").replace(" ", "")
    if "," in t and "." in t:          # 1.234,56
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        raise ErroreIncassi(f"riga {riga}: importo «{valore}» non è un numero") from None
    if not d.is_finite():
        raise ErroreIncassi(f"riga {riga}: importo «{valore}» non è un numero finito")
    if d != d.quantize(Decimal("0.01")):
        raise ErroreIncassi(f"riga {riga}: importo «{valore}» ha più di due decimali")
    return d.quantize(Decimal("0.01"))


def leggi_incassi(contenuto: bytes | str) -> list[IncassoGse]:
    if isinstance(contenuto, bytes):
        try:
            testo = contenuto.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ErroreIncassi("il file non è testo UTF-8: salvalo come CSV UTF-8") from None
    else:
        testo = contenuto
    prima = testo.splitlines()[0] if testo.strip() else ""
    sep = ";" if prima.count(";") > prima.count(",") else ","
    r = csv.DictReader(io.StringIO(testo), delimiter=sep)
    intest = [(c or "").strip().lower() for c in (r.fieldnames or [])]
    mancanti = [c for c in ("periodo", "componente", "importo_euro") if c not in intest]
    if mancanti:
        raise ErroreIncassi(f"il file degli incassi non ha le colonne {', '.join(mancanti)} (servono periodo, "
                            f"componente, importo_euro; trovate: {', '.join(intest) or 'nessuna'})")
    r.fieldnames = intest
    out: list[IncassoGse] = []
    for n, riga in enumerate(r, start=2):
        periodo = (riga.get("periodo") or "").strip()
        if not _MESE.match(periodo):
            raise ErroreIncassi(f"riga {n}: periodo «{periodo}» non valido: scrivi anno e mese, per esempio 2026-03")
        comp = (riga.get("componente") or "").strip().lower()
        if comp not in COMPONENTI:
            raise ErroreIncassi(f"riga {n}: componente «{comp}» non valida: scrivi una tra {', '.join(COMPONENTI)}")
        data = None
        if (riga.get("data_incasso") or "").strip():
            try:
                data = dt.date.fromisoformat(riga["data_incasso"].strip())
            except ValueError:
                raise ErroreIncassi(f"riga {n}: data_incasso «{riga['data_incasso']}» non è una data AAAA-MM-GG") from None
        conf = (riga.get("configurazione") or "").strip() or None
        out.append(IncassoGse(periodo=periodo, componente=comp, importo_euro=importo(riga.get("importo_euro", ""), n),
                              configurazione=conf, data_incasso=data))
    if not out:
        raise ErroreIncassi("il file degli incassi non contiene righe")
    return out


def nel_periodo(periodo_incasso: str, periodo: str) -> bool:
    """``2026-03`` è nel periodo ``2026`` e nel periodo ``2026-03``."""
    return periodo_incasso == periodo or periodo_incasso[:4] == periodo
