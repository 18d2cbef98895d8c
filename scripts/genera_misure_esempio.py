"""Genera le misure orarie plausibili del 2026 per i punti della pratica di riferimento e gli incassi GSE.

Uso (dalla radice del progetto):  python scripts/genera_misure_esempio.py

Scrive ``samples/riparto/misure-2026.csv.gz`` (formato delle misure: punto, tipo, inizio, kwh; le ore con
kWh nullo sono omesse, il lettore le conta zero) e ``samples/riparto/incassi-2026.csv`` (periodo, componente,
importo_euro). Le misure non sono dati reali: partono dalle stesse stime della simulazione (profili ARERA,
produzione pvlib dell'anno tipo) con un disturbo riproducibile (seme fisso) — nuvolosità giornaliera ±35 %
sulla produzione, ±20 % ora per ora sui consumi — e sono arrotondate a 0,1 kWh. Per ogni punto con
impianto l'immissione è la produzione meno il consumo del punto, il prelievo il contrario.

Gli incassi simulano il GSE: ogni mese l'acconto della formula delle Regole Operative, poi il conguaglio
dei mesi da gennaio a ottobre pari all'atteso dalle misure meno l'acconto (con 3,17 € in meno ad agosto,
per mostrare una differenza); novembre e dicembre hanno solo l'acconto.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from decimal import Decimal
from pathlib import Path

import numpy as np

RADICE = Path(__file__).resolve().parents[1]


def main() -> None:
    from cer_docs.economia import dati, fotovoltaico, profili
    from cer_docs.economia.misure import leggi_misure
    from cer_docs.economia.simulazione import _Luoghi
    from cer_docs.model import load_pratica
    from cer_docs.riparto.liquidazione import liquida

    pratica = load_pratica(RADICE / "samples" / "pratica-esempio.yaml")
    cal = dati.calendario_anno(2026)
    rng = np.random.default_rng(2026)
    luoghi = _Luoghi(pratica)
    nuvole = np.repeat(np.clip(rng.normal(1.0, 0.35, 400), 0.15, 1.25), 24)[: cal.n]
    righe: list[tuple[str, str, int, float]] = []
    for conf in pratica.configurazioni:
        for p in conf.punti_connessione:
            membro = any(m.soggetto == p.soggetto for m in pratica.membri)
            s = pratica.soggetto(p.soggetto)
            l = luoghi.punto(pratica, p)
            carico = np.zeros(cal.n)
            if membro:
                prof = profili.profilo_predefinito(s.tipo if s else "altro", p.uso)
                carico, _ = profili.prelievo_orario(cal, prof, regione=l.regione, lat=l.lat, lon=l.lon)
                carico = carico * np.clip(rng.normal(1.0, 0.2, cal.n), 0.3, 1.8)
            gen = np.zeros(cal.n)
            for imp in conf.impianti:
                if imp.pod == p.pod:
                    li = luoghi.impianto(imp)
                    gen += fotovoltaico.produzione_specifica(cal, li.lat, li.lon) * float(imp.potenza_kw) * nuvole
            for tipo, serie in (("prelievo", np.maximum(carico - gen, 0)), ("immissione", np.maximum(gen - carico, 0))):
                for t, kwh in zip(cal.utc, np.round(serie, 1)):
                    if kwh > 0:
                        righe.append((p.pod, tipo, int(t), float(kwh)))
    testo = io.StringIO()
    w = csv.writer(testo, lineterminator="\n")
    w.writerow(["punto", "tipo", "inizio", "kwh"])
    roma = dt.timezone
    from zoneinfo import ZoneInfo
    fuso = ZoneInfo("Europe/Rome")
    for pod, tipo, t, kwh in righe:
        w.writerow([pod, tipo, dt.datetime.fromtimestamp(t, fuso).isoformat(), f"{kwh:.1f}"])
    dest = RADICE / "samples" / "riparto"
    dest.mkdir(exist_ok=True)
    (dest / "misure-2026.csv.gz").write_bytes(gzip.compress(testo.getvalue().encode(), mtime=0))
    # incassi: acconto della formula ogni mese; conguaglio = atteso − acconto fino a ottobre
    liq = liquida(pratica, "2026", leggi_misure(testo.getvalue()), dt.date(2026, 12, 2))
    inc = io.StringIO()
    w = csv.writer(inc, lineterminator="\n")
    w.writerow(["periodo", "componente", "importo_euro"])
    for r in liq.riconciliazione:
        acconto = r.acconto_formula_euro or Decimal("0.00")
        w.writerow([r.mese, "acconto", f"{acconto:.2f}"])
        if int(r.mese[5:]) <= 10:
            cong = r.atteso_euro - acconto - (Decimal("3.17") if r.mese.endswith("-08") else 0)
            w.writerow([r.mese, "conguaglio", f"{cong:.2f}"])
    (dest / "incassi-2026.csv").write_text(inc.getvalue(), encoding="utf-8")
    print(f"{len(righe)} righe di misure, {(dest / 'misure-2026.csv.gz').stat().st_size // 1024} KB compressi")


if __name__ == "__main__":
    main()
