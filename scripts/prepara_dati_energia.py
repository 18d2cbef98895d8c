"""Riduce i dati energetici condivisi (``../shared/data/energia``) ai file compatti che
viaggiano nel pacchetto (``cer_docs/data/energia``). Uso, dalla radice del progetto::

    python scripts/prepara_dati_energia.py ../shared/data/energia

Nessun valore è cambiato: i profili e i prezzi passano a float32 (i sorgenti hanno al più
4 cifre significative e 2 decimali), i comuni tengono solo le colonne usate. I buchi della
griglia dei profili ARERA sono riempiti con un ripiego dichiarato (maschera ``ripiego``).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import sys
from pathlib import Path

import numpy as np

DEST = Path(__file__).resolve().parents[1] / "cer_docs" / "data" / "energia"
CLASSI = ["0<P<=1.5", "1.5<P<=3", "3<P<=4.5", "4.5<P<=6", "P>6"]
GIORNI = ["feriale", "sabato", "domenica"]
ZONE = ["cala", "cnor", "csud", "nord", "sard", "sici", "sud"]
# ripieghi per le regioni senza profili: la regione confinante più simile
RIPIEGO_REGIONE = {"Valle d'Aosta": "Piemonte"}


def main(src: Path) -> None:
    DEST.mkdir(parents=True, exist_ok=True)
    with open(src / "comuni.csv", encoding="utf-8", newline="") as f:
        comuni = list(csv.DictReader(f))
    regioni = sorted({c["regione"] for c in comuni})
    # --- profili
    arr = np.full((len(regioni), len(CLASSI), 12, 3, 24), np.nan, dtype=np.float32)
    with open(src / "profili_prelievo_arera.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            arr[regioni.index(r["regione"]), CLASSI.index(r["classe_potenza_kw"]), int(r["mese"]) - 1,
                GIORNI.index(r["tipo_giorno"]), int(r["ora"])] = float(r["kwh_medio"])
    ripiego = np.zeros(arr.shape[:3], dtype=bool)
    for reg, alt in RIPIEGO_REGIONE.items():
        i, j = regioni.index(reg), regioni.index(alt)
        if np.isnan(arr[i]).all():
            arr[i] = arr[j]
            ripiego[i] = True
    for i in range(len(regioni)):
        for k in range(len(CLASSI)):
            if np.isnan(arr[i, k]).all():      # classe mancante: la classe presente più vicina
                vicine = sorted((abs(k2 - k), k2) for k2 in range(len(CLASSI)) if not np.isnan(arr[i, k2]).all())
                arr[i, k] = arr[i, vicine[0][1]]
                ripiego[i, k] = True
            for m in range(12):
                if np.isnan(arr[i, k, m]).any():  # mese mancante: il mese precedente
                    arr[i, k, m] = arr[i, k, m - 1]
                    ripiego[i, k, m] = True
    assert not np.isnan(arr).any()
    np.savez_compressed(DEST / "profili_arera.npz", kwh=arr, ripiego=ripiego, regioni=np.array(regioni),
                        classi=np.array(CLASSI), giorni=np.array(GIORNI))
    # --- prezzi
    istanti, prezzi = [], []
    with open(src / "prezzi_zonali_orari.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            istanti.append(int(dt.datetime.fromisoformat(r["inizio"]).timestamp()))
            prezzi.append([float(r[z]) for z in ZONE] + [float(r["pun"])])
    np.savez_compressed(DEST / "prezzi_zonali.npz", inizio_utc=np.array(istanti, dtype=np.int64),
                        prezzi=np.array(prezzi, dtype=np.float32), colonne=np.array(ZONE + ["pun"]))
    # --- comuni (solo le colonne usate)
    with gzip.open(DEST / "comuni.csv.gz", "wt", encoding="utf-8", newline="", compresslevel=9) as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["codice_istat", "comune", "provincia_sigla", "regione", "zona_mercato", "zona_correzione_geografica"])
        for c in comuni:
            w.writerow([c["codice_istat"], c["comune"], c["provincia_sigla"], c["regione"], c["zona_mercato"],
                        c["zona_correzione_geografica"]])
    # --- PVGIS TMY 45N 8E: ora UTC, temperatura, GHI, DNI, DHI, vento
    righe, testa = [], None
    with open(src / "pvgis_tmy_45N_8E.csv", encoding="utf-8") as f:
        for riga in f:
            if riga.startswith("time(UTC)"):
                testa = riga.strip().split(",")
                continue
            if testa and riga[:8].isdigit() and ":" in riga[:14]:
                righe.append(riga.strip().split(","))
    assert len(righe) == 8760, len(righe)
    ix = [testa.index(c) for c in ("T2m", "G(h)", "Gb(n)", "Gd(h)", "WS10m")]
    mesi = np.array([int(r[0][4:6]) for r in righe], dtype=np.int8)
    ore = np.array([int(r[0][9:11]) for r in righe], dtype=np.int8)
    giorni = np.array([int(r[0][6:8]) for r in righe], dtype=np.int8)
    valori = np.array([[float(r[i]) for i in ix] for r in righe], dtype=np.float32)
    valori[:, 1:4] = np.maximum(valori[:, 1:4], 0)  # PVGIS scrive -0.0 di notte
    np.savez_compressed(DEST / "pvgis_tmy_45N_8E.npz", mese=mesi, giorno=giorni, ora_utc=ore,
                        valori=valori, colonne=np.array(["temp_air", "ghi", "dni", "dhi", "wind_speed"]),
                        latitudine=np.float64(45.0), longitudine=np.float64(8.0), altitudine=np.float64(250.0))
    for p in sorted(DEST.iterdir()):
        print(f"{p.name}: {p.stat().st_size:,} byte")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/energia"))
