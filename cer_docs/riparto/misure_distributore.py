"""Misure in righe giornaliere (una riga per punto e giorno, un valore per quarto d'ora o per ora).

Le misure dei distributori arrivano ai venditori e al GSE nei flussi standard del Sistema Informativo
Integrato (SII, «Specifiche tecniche del processo di trasmissione dei dati di misura per il settore
elettrico») e, per i clienti, dalle aree private dei distributori e dal Portale Consumi: la forma comune è
una curva per punto e giorno con 96 valori quartorari (92 o 100 nei giorni del cambio d'ora) o 24 orari.
Questo lettore accetta quella forma in CSV e la riscrive nel formato delle misure della simulazione
(``punto,tipo,inizio,kwh``), che poi passa per ``cer_docs.economia.misure.leggi_misure``:

- colonne del punto: ``pod`` | ``punto`` | ``codice pod``; del giorno: ``data`` | ``giorno`` (AAAA-MM-GG o
  GG/MM/AAAA); facoltativa ``tipo`` (``prelievo`` | ``immissione``; anche «energia attiva prelevata/immessa»),
  altrimenti il tipo si sceglie all'importazione;
- valori in colonne numerate nell'ordine del giorno: ``E1``…``E100`` / ``Q1``… (quarti d'ora) oppure
  ``H1``…``H25`` / ``O1``… (ore), o intestate con l'ora d'inizio (``00:00``, ``00:15``, ``00:00-00:15``);
  l'ordinale k del giorno è l'istante mezzanotte italiana + k × durata, così i giorni di 23 e 25 ore non
  creano buchi né doppioni;
- separatore ``;`` o ``,``; decimali con la virgola o con il punto; unità kWh (colonna ``unita`` con ``wh``
  → divisi per 1.000).

Domande aperte (da verificare su file reali, non sulle specifiche lette): i nomi esatti delle colonne
dei singoli portali; se una misura **stimata** o **ricostruita** sia marcata (qui una colonna ``stato`` /
``validato`` con ``stimata``/``ricostruita``/``no`` si conta, e il numero di giorni è riportato);
le **rettifiche** successive (qui l'ultima riga per punto, tipo e giorno sostituisce le precedenti, con
avviso); se il file del GSE contenga già l'energia condivisa (qui no: la condivisa la calcola il motore).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from cer_docs.economia.misure import ErroreMisure

ROMA = ZoneInfo("Europe/Rome")
_NUM = re.compile(r"^(e|q|h|o)\s*(\d{1,3})$")
_ORA = re.compile(r"^(\d{1,2})[:.](\d{2})")


@dataclass
class Conversione:
    csv: str                          # nel formato punto,tipo,inizio,kwh
    giorni: int = 0
    giorni_stimati: int = 0
    rettifiche: int = 0
    avvisi: list[str] = field(default_factory=list)


def riconosci(testo: str) -> bool:
    """Vero se l'intestazione ha la forma giornaliera (un giorno per riga e colonne di valori)."""
    prima = testo.lstrip("\ufeff").splitlines()[0].lower() if testo.strip() else ""
    sep = ";" if prima.count(";") > prima.count(",") else ","
    col = [c.strip() for c in prima.split(sep)]
    return any(c in ("data", "giorno") for c in col) and sum(1 for c in col if _colonna_valore(c) is not None) >= 24


def _colonna_valore(nome: str) -> tuple[str, int] | None:
    n = nome.strip().lower()
    m = _NUM.match(n)
    if m:
        return ("q" if m.group(1) in "eq" else "h", int(m.group(2)) - 1)
    m = _ORA.match(n)
    if m:
        h, mi = int(m.group(1)), int(m.group(2))
        if h < 24 and mi in (0, 15, 30, 45):
            return ("t", h * 4 + mi // 15)
    return None


def _giorno(valore: str, riga: int) -> dt.date:
    v = (valore or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    raise ErroreMisure(f"riga {riga}: «{v}» non è una data (AAAA-MM-GG o GG/MM/AAAA)")


def _tipo(valore: str | None, predefinito: str | None, riga: int) -> str:
    v = (valore or "").strip().lower()
    if not v:
        if predefinito is None:
            raise ErroreMisure(f"riga {riga}: manca il tipo (prelievo o immissione) e non è stato scelto per il file")
        return predefinito
    if "immess" in v or "immission" in v or v in ("ei", "immissione"):
        return "immissione"
    if "prelev" in v or "preliev" in v or v in ("ep", "prelievo"):
        return "prelievo"
    raise ErroreMisure(f"riga {riga}: tipo «{valore}» non riconosciuto: scrivi prelievo oppure immissione")


def converti(contenuto: bytes | str, tipo_predefinito: str | None = None) -> Conversione:
    testo = contenuto.decode("utf-8-sig") if isinstance(contenuto, bytes) else contenuto.lstrip("\ufeff")
    prima = testo.splitlines()[0] if testo.strip() else ""
    sep = ";" if prima.count(";") > prima.count(",") else ","
    r = csv.reader(io.StringIO(testo), delimiter=sep)
    intest = [c.strip().lower() for c in next(r, [])]
    i_pod = next((i for i, c in enumerate(intest) if c in ("pod", "punto", "codice pod", "codice_pod")), None)
    i_data = next((i for i, c in enumerate(intest) if c in ("data", "giorno")), None)
    if i_pod is None or i_data is None:
        raise ErroreMisure("il file giornaliero deve avere le colonne del punto (pod) e del giorno (data)")
    i_tipo = next((i for i, c in enumerate(intest) if c in ("tipo", "grandezza", "flusso")), None)
    i_unita = next((i for i, c in enumerate(intest) if c in ("unita", "unità", "um")), None)
    i_stato = next((i for i, c in enumerate(intest) if c in ("stato", "validato", "tipo_dato")), None)
    valori = [(i, _colonna_valore(c)) for i, c in enumerate(intest)]
    valori = [(i, v) for i, v in valori if v is not None]
    orario = all(v[0] == "h" for _i, v in valori)
    passo = dt.timedelta(hours=1) if orario else dt.timedelta(minutes=15)
    out: dict[tuple[str, str, dt.date], list[tuple[int, float]]] = {}
    conv = Conversione("")
    stimati = set()
    for n, riga in enumerate(r, start=2):
        if not any(x.strip() for x in riga):
            continue
        pod = riga[i_pod].strip().upper()
        giorno = _giorno(riga[i_data], n)
        tipo = _tipo(riga[i_tipo] if i_tipo is not None else None, tipo_predefinito, n)
        fattore = 0.001 if i_unita is not None and riga[i_unita].strip().lower() == "wh" else 1.0
        chiave = (pod, tipo, giorno)
        if chiave in out:
            conv.rettifiche += 1
        if i_stato is not None and riga[i_stato].strip().lower() in ("stimata", "stimato", "ricostruita", "no", "n", "s"):
            stimati.add(chiave)
        punti = []
        for i, (_k, k) in valori:
            v = riga[i].strip() if i < len(riga) else ""
            if not v:
                continue
            try:
                x = float(v.replace(".", "").replace(",", ".") if "," in v else v) * fattore
            except ValueError:
                raise ErroreMisure(f"riga {n}: valore «{v}» nella colonna {intest[i]} non è un numero") from None
            if x < 0:
                raise ErroreMisure(f"riga {n}: valore negativo nella colonna {intest[i]}")
            punti.append((k, x))
        out[chiave] = punti
    if not out:
        raise ErroreMisure("il file giornaliero non contiene righe")
    testo_out = io.StringIO()
    w = csv.writer(testo_out, lineterminator="\n")
    w.writerow(["punto", "tipo", "inizio", "kwh"])
    for (pod, tipo, giorno), punti in sorted(out.items()):
        mezzanotte = dt.datetime.combine(giorno, dt.time(0), ROMA).astimezone(dt.timezone.utc)
        fine = dt.datetime.combine(giorno + dt.timedelta(days=1), dt.time(0), ROMA).astimezone(dt.timezone.utc)
        for k, x in punti:
            t = mezzanotte + k * passo
            if t >= fine:
                raise ErroreMisure(f"{pod} {giorno:%d/%m/%Y}: più valori di quanti quarti d'ora ha il giorno")
            w.writerow([pod, tipo, t.astimezone(ROMA).isoformat(), f"{x:.6g}"])
    conv.csv = testo_out.getvalue()
    conv.giorni = len(out)
    conv.giorni_stimati = len(stimati)
    if stimati:
        conv.avvisi.append(f"{len(stimati)} giorni hanno misure stimate o ricostruite: il GSE potrebbe ricalcolarli "
                           "con le misure effettive nel conguaglio.")
    if conv.rettifiche:
        conv.avvisi.append(f"{conv.rettifiche} righe ripetono punto, tipo e giorno: vale l'ultima (rettifica).")
    return conv
