"""Le uscite del riparto: CSV contabile, bonifico SEPA (pain.001.001.09) e testo della causale.

Il bonifico è costruito con ``sepaxml`` nello schema **pain.001.001.09** (quello delle linee guida EPC del
bonifico SEPA in vigore da novembre 2023) e validato sull'XSD ufficiale ISO 20022 che viaggia nel pacchetto
(``cer_docs/data/sepa/pain.001.001.09.xsd``, lo stesso distribuito con sepaxml). Il totale di controllo
(``CtrlSum``) è riletto dal file e confrontato con la somma dei bonifici. Chi ha una quota ma non un IBAN
valido non entra nel file ed è elencato in ``esclusi`` con il motivo: mai saltato in silenzio.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from cer_docs.economia.riparto import ETICHETTE_CATEGORIE
from cer_docs.sicurezza.fogli import csv_sicuro
from cer_docs.rules.identificativi import iban as controlla_iban
from cer_docs.rules.identificativi import normalizza

from .liquidazione import Liquidazione, QuotaMembro

SCHEMA = "pain.001.001.09"
NS = {"p": f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"}
CATEGORIE_CSV = ("eccedenza", "produttori_terzi", "produttori", "consumatori")


class ErroreSepa(ValueError):
    """Il file dei bonifici non si può fare: il messaggio dice perché, in italiano."""


def causale(liq: Liquidazione, sigla: str | None = None) -> str:
    """Testo del bonifico (al più 140 caratteri, senza accenti: le banche li rifiutano)."""
    nome = sigla or liq.denominazione
    prefisso = "" if nome.split()[:1] and nome.split()[0].upper() == "CER" else "CER "   # non «CER CER …»
    testo = f"Riparto incentivi {prefisso}{nome} periodo {liq.periodo}"
    return testo[:140]


def csv_contabile(liq: Liquidazione) -> str:
    """Una riga per soggetto e una per ogni importo che resta alla comunità; importi con il punto decimale.

    Scritto da ``sicurezza.fogli.csv_sicuro``: i testi che iniziano come una formula diventano testo
    puro; gli importi restano numeri (``Decimal``), anche quando sono negativi."""
    intestazioni = ["periodo", "soggetto", "nome", "codice_fiscale", "iban", "giorni_attivi",
                    "prelievo_condiviso_kwh", "immissione_condivisa_kwh", *[f"{c}_euro" for c in CATEGORIE_CSV],
                    "fondo_a_euro", "fondo_b_euro", "importo_euro", "stato_pagamento"]
    righe: list[list[object]] = []
    kwh = Decimal("0.001")
    for q in liq.quote:
        stato = "bonifico" if q.iban and not controlla_iban(q.iban) else ("iban_non_valido" if q.iban else "senza_iban")
        if q.importo_euro <= 0:
            stato = "nulla_da_pagare"
        righe.append([liq.periodo, q.soggetto, q.nome, q.codice_fiscale or "",
                      normalizza(q.iban) if q.iban else "", q.giorni_attivi,
                      Decimal(q.prelievo_condiviso_kwh).quantize(kwh), Decimal(q.immissione_condivisa_kwh).quantize(kwh),
                      *[Decimal(q.categorie.get(c, Decimal("0.00"))).quantize(Decimal("0.01")) for c in CATEGORIE_CSV],
                      q.fondo_a_euro, q.fondo_b_euro, q.importo_euro, stato])
    b_comunita = liq.fondo_b_euro - sum((q.fondo_b_euro for q in liq.quote), Decimal("0.00"))
    for k, v in liq.comunita_euro.items():
        b = min(v, b_comunita) if k == "fondo_sociale" else Decimal("0.00")
        righe.append([liq.periodo, "comunita", ETICHETTE_CATEGORIE.get(k, k), "", "", "", "", "",
                      *([""] * len(CATEGORIE_CSV)), v - b, b, v, "alla_comunita"])
    return csv_sicuro(intestazioni, righe, bom=False).decode("utf-8")


@dataclass
class Escluso:
    soggetto: str
    nome: str
    importo_euro: Decimal
    motivo: str


@dataclass
class FileSepa:
    xml: bytes
    bonifici: int
    totale_euro: Decimal          # somma dei bonifici = CtrlSum del file
    esclusi: list[Escluso] = field(default_factory=list)
    schema: str = SCHEMA


@lru_cache(maxsize=1)
def _schema():  # noqa: ANN202
    import xmlschema

    return xmlschema.XMLSchema(str(resources.files("cer_docs").joinpath(f"data/sepa/{SCHEMA}.xsd")))


def valida(xml: bytes) -> list[str]:
    """Gli errori dello schema pain.001.001.09 (lista vuota = valido)."""
    return [str(e.reason or e.message) for e in _schema().iter_errors(xml.decode("utf-8"))]


def totali_dal_file(xml: bytes) -> tuple[Decimal, Decimal, int]:
    """(CtrlSum dell'intestazione, somma degli importi dei bonifici, numero dei bonifici) riletti dal file."""
    root = ET.fromstring(xml)
    ctrl = Decimal(root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text)
    importi = [Decimal(e.text) for e in root.iter(f"{{{NS['p']}}}InstdAmt")]
    return ctrl, sum(importi, Decimal("0.00")), len(importi)


def file_sepa(liq: Liquidazione, *, nome_ordinante: str, iban_ordinante: str, esecuzione: dt.date,
              bic_ordinante: str | None = None, sigla: str | None = None) -> FileSepa:
    """Bonifici dal conto della comunità a ogni membro con quota positiva e IBAN valido."""
    from sepaxml import SepaTransfer

    errore = controlla_iban(iban_ordinante)
    if not iban_ordinante or errore:
        raise ErroreSepa(f"IBAN della comunità non valido: {errore or 'manca'}")
    config = {"name": nome_ordinante[:70], "IBAN": normalizza(iban_ordinante), "batch": True, "currency": "EUR"}
    if bic_ordinante:
        config["BIC"] = bic_ordinante.strip().upper()
    sepa = SepaTransfer(config, schema=SCHEMA, clean=True)
    esclusi: list[Escluso] = []
    totale_cent = 0
    n = 0
    testo = causale(liq, sigla)
    for q in liq.quote:
        if q.importo_euro <= 0:
            continue
        motivo = None if q.iban else "manca l'IBAN"
        if q.iban and controlla_iban(q.iban):
            motivo = f"IBAN non valido: {controlla_iban(q.iban)}"
        if motivo:
            esclusi.append(Escluso(q.soggetto, q.nome, q.importo_euro, motivo))
            continue
        cent = int(q.importo_euro * 100)
        sepa.add_payment({"name": q.nome, "IBAN": normalizza(q.iban), "amount": cent, "execution_date": esecuzione,
                          "description": testo, "endtoend_id": _e2e(liq.periodo, q)})
        totale_cent += cent
        n += 1
    if n == 0:
        raise ErroreSepa("nessun bonifico da fare: nessun membro ha una quota positiva e un IBAN valido")
    xml = sepa.export(validate=False)
    errori = valida(xml)
    if errori:
        raise ErroreSepa("il file dei bonifici non rispetta lo schema pain.001.001.09: " + "; ".join(errori[:3]))
    ctrl, somma, conta = totali_dal_file(xml)
    totale = Decimal(totale_cent) / 100
    if not (ctrl == somma == totale and conta == n):
        raise ErroreSepa(f"totale di controllo {ctrl} diverso dalla somma dei bonifici {somma}")
    return FileSepa(xml, n, totale.quantize(Decimal("0.01")), esclusi)


def _e2e(periodo: str, q: QuotaMembro) -> str:
    base = "".join(ch for ch in f"CER{periodo}{q.soggetto}".upper() if ch.isalnum())
    return base[:35]
