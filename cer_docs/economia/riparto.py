"""Riparto del beneficio al centesimo: categorie del regolamento, poi membri per contributo.

Il beneficio netto della configurazione (tariffa premio + valorizzazione − corrispettivi GSE) si
divide in

1. **quota eccedentaria** (oltre la soglia 55 %/45 %): ai consumatori diversi dalle imprese, in
   proporzione al loro prelievo nelle ore di condivisione, se il regolamento lo prevede; altrimenti
   al fondo per le finalità sociali;
2. **quota dei produttori terzi**: la percentuale pattuita del beneficio generato dai loro impianti
   (tariffa + valorizzazione della loro energia condivisa), presa dalla parte entro la soglia;
3. il resto **per categorie** del regolamento (spese di gestione, produttori, consumatori, fondo
   sociale); i produttori in proporzione all'immissione dei loro impianti nelle ore di condivisione,
   i consumatori al loro prelievo nelle stesse ore. Una categoria senza aventi diritto resta alla
   comunità, dichiarata come tale.

Ogni divisione usa i centesimi interi e il metodo dei resti maggiori (a parità, l'ordine di
elenco): le parti sommano sempre esattamente al totale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from cer_docs.model.vocabolario import VOCI_RIPARTO

CENT = Decimal("0.01")

CATEGORIE = ("spese_gestione", "produttori", "consumatori", "fondo_sociale")
ETICHETTE_CATEGORIE = {
    **{k: VOCI_RIPARTO[k].etichetta for k in ("spese_gestione", "produttori", "consumatori")},
    "fondo_sociale": "Fondo per finalità sociali",
    "eccedenza": "Quota eccedentaria",
    "produttori_terzi": "Produttori terzi",
    "non_attribuito": "Alla comunità (nessun avente diritto)",
}


def in_centesimi(euro: float | Decimal) -> int:
    d = Decimal(str(euro)).quantize(CENT)
    return int(d * 100)


def euro(centesimi: int) -> Decimal:
    return (Decimal(centesimi) / 100).quantize(CENT)


def resti_maggiori(totale_cent: int, pesi: Sequence[float | Decimal | Fraction]) -> list[int]:
    """Divide ``totale_cent`` in parti intere proporzionali a ``pesi`` con somma esatta.

    Pesi tutti nulli: il totale resta non attribuito (lista di zeri e il chiamante decide).
    """
    fr = [Fraction(p) if not isinstance(p, Decimal) else Fraction(str(p)) for p in pesi]
    if any(p < 0 for p in fr):
        raise ValueError("i pesi del riparto non possono essere negativi")
    somma = sum(fr, Fraction(0))
    if somma == 0 or not fr:
        return [0] * len(fr)
    segno = -1 if totale_cent < 0 else 1
    t = abs(totale_cent)
    esatte = [t * p / somma for p in fr]
    parti = [int(e) for e in esatte]  # Fraction → troncamento verso zero = floor (positivi)
    resto = t - sum(parti)
    ordine = sorted(range(len(fr)), key=lambda i: (-(esatte[i] - parti[i]), i))
    for i in ordine[:resto]:
        parti[i] += 1
    return [segno * p for p in parti]


@dataclass
class Avente:
    """Un membro (o un produttore terzo) con i suoi pesi nel riparto."""

    soggetto: str
    nome: str
    peso_consumo: float = 0.0        # kWh prelevati nelle ore di condivisione
    peso_produzione: float = 0.0     # kWh immessi (dai suoi impianti) nelle ore di condivisione
    impresa: bool = False


@dataclass
class Riparto:
    totale_cent: int
    categorie_cent: dict[str, int]
    membri_cent: dict[str, dict[str, int]] = field(default_factory=dict)   # soggetto → categoria → cent
    comunita_cent: dict[str, int] = field(default_factory=dict)           # categoria → cent

    def membro_euro(self, soggetto: str) -> Decimal:
        return euro(sum(self.membri_cent.get(soggetto, {}).values()))

    def controlla(self) -> None:
        somma = sum(sum(v.values()) for v in self.membri_cent.values()) + sum(self.comunita_cent.values())
        assert somma == self.totale_cent, (somma, self.totale_cent)


def ripartisci(*, netto_cent: int, eccedenza_cent: int, percentuali: dict[str, Decimal],
               aventi: list[Avente], terzi: list[tuple[str, str, int]],
               eccedenza_ai_consumatori: bool) -> Riparto:
    """Riparto completo. ``terzi`` = (soggetto, nome, quota in centesimi già calcolata)."""
    membri: dict[str, dict[str, int]] = {a.soggetto: {} for a in aventi}
    comunita: dict[str, int] = {}

    def dai(soggetto: str, cat: str, cent: int) -> None:
        if cent:
            membri.setdefault(soggetto, {})
            membri[soggetto][cat] = membri[soggetto].get(cat, 0) + cent

    if netto_cent <= 0:   # i corrispettivi superano i ricavi: resta tutto alla comunità
        comunita["non_attribuito"] = netto_cent
        r = Riparto(netto_cent, {"non_attribuito": netto_cent}, membri, comunita)
        r.controlla()
        return r
    ecc = max(0, min(eccedenza_cent, netto_cent))
    entro = netto_cent - ecc
    categorie: dict[str, int] = {}
    # 1. quota eccedentaria
    if ecc:
        categorie["eccedenza"] = ecc
        beneficiari = [a for a in aventi if not a.impresa and a.peso_consumo > 0] if eccedenza_ai_consumatori else []
        if beneficiari:
            for a, c in zip(beneficiari, resti_maggiori(ecc, [a.peso_consumo for a in beneficiari])):
                dai(a.soggetto, "eccedenza", c)
        else:
            comunita["fondo_sociale"] = comunita.get("fondo_sociale", 0) + ecc
    # 2. produttori terzi
    terzi_tot = 0
    for soggetto, _nome, cent in terzi:
        c = max(0, min(cent, entro - terzi_tot))
        terzi_tot += c
        dai(soggetto, "produttori_terzi", c)
    if terzi_tot:
        categorie["produttori_terzi"] = terzi_tot
    resto = entro - terzi_tot
    # 3. categorie del regolamento
    pesi = [Decimal(str(percentuali.get(c, 0))) for c in CATEGORIE]
    if sum(pesi) == 0:
        pesi = [Decimal(0), Decimal(0), Decimal(1), Decimal(0)]   # senza regolamento: tutto ai consumatori
    for cat, cent in zip(CATEGORIE, resti_maggiori(resto, pesi)):
        categorie[cat] = categorie.get(cat, 0) + cent
        if cent == 0:
            continue
        if cat in ("spese_gestione", "fondo_sociale"):
            comunita[cat] = comunita.get(cat, 0) + cent
            continue
        attr = "peso_produzione" if cat == "produttori" else "peso_consumo"
        beneficiari = [a for a in aventi if getattr(a, attr) > 0]
        if not beneficiari:
            comunita["non_attribuito"] = comunita.get("non_attribuito", 0) + cent
            continue
        for a, c in zip(beneficiari, resti_maggiori(cent, [getattr(a, attr) for a in beneficiari])):
            dai(a.soggetto, cat, c)
    r = Riparto(netto_cent, categorie, membri, comunita)
    r.controlla()
    return r
