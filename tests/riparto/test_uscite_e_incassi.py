"""Bonifici SEPA sullo schema ufficiale, CSV contabile senza formule, incassi da CSV, acconto, approvazione,
misure in righe giornaliere."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from cer_docs.model import dumps_yaml, load_pratica, parse_text
from cer_docs.riparto import uscite
from cer_docs.riparto.acconto import acconti
from cer_docs.riparto.incassi import ErroreIncassi, leggi_incassi
from cer_docs.riparto.liquidazione import approva, approvato, liquida
from cer_docs.riparto.misure_distributore import converti, riconosci
from cer_docs.economia.misure import leggi_misure

from .piccola import OGGI, con_incasso, misure, pratica

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
GEN = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
D = Decimal
IBAN_CER = "IT60X0542811101000000123456"


def _liq(modifica=None, importo="100.00"):  # noqa: ANN001, ANN202
    p = con_incasso(pratica(modifica), "2026-01", importo)
    return p, liquida(p, "2026-01", misure(*GEN, {"anna": 1, "bruno": 2, "ditta": 1}, immissione=10), OGGI)


def test_sepa_valido_sullo_schema_ufficiale_e_totale_di_controllo():
    p, liq = _liq(importo="1234.57")
    f = uscite.file_sepa(liq, nome_ordinante="CER di prova", iban_ordinante=IBAN_CER, esecuzione=dt.date(2027, 6, 30))
    assert uscite.valida(f.xml) == []
    ctrl, somma, n = uscite.totali_dal_file(f.xml)
    pagabili = [q for q in liq.quote if q.importo_euro > 0 and q.iban]
    assert ctrl == somma == f.totale_euro == sum((q.importo_euro for q in pagabili), D("0.00"))
    assert n == f.bonifici == len(pagabili) == 2
    # la Ditta non ha IBAN: elencata, non saltata in silenzio
    assert [(e.soggetto, e.motivo) for e in f.esclusi] == [("ditta", "manca l'IBAN")]
    assert f.totale_euro + f.esclusi[0].importo_euro == liq.ai_membri_euro
    root = ET.fromstring(f.xml)
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
    assert root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", ns).text == IBAN_CER
    assert root.find("p:CstmrCdtTrfInitn/p:PmtInf/p:ReqdExctnDt/p:Dt", ns).text == "2027-06-30"
    assert {e.text for e in root.iter(f"{{{ns['p']}}}Ustrd")} == {"Riparto incentivi CER di prova periodo 2026-01"}


def test_lo_schema_ufficiale_rifiuta_un_file_alterato():
    _p, liq = _liq()
    f = uscite.file_sepa(liq, nome_ordinante="CER", iban_ordinante=IBAN_CER, esecuzione=dt.date(2027, 1, 4))
    rotto = f.xml.replace(b"<ChrgBr>SLEV</ChrgBr>", b"<ChrgBr>XXXX</ChrgBr>")
    assert uscite.valida(rotto)


def test_iban_non_valido_elencato_con_il_motivo():
    def sbagliato(d):  # noqa: ANN001, ANN202
        d["soggetti"][2]["iban"] = "IT00B0867302800000000012345"
    _p, liq = _liq(sbagliato)
    f = uscite.file_sepa(liq, nome_ordinante="CER", iban_ordinante=IBAN_CER, esecuzione=dt.date(2027, 1, 4))
    motivi = {e.soggetto: e.motivo for e in f.esclusi}
    assert motivi["bruno"].startswith("IBAN non valido") and "ditta" in motivi
    with pytest.raises(uscite.ErroreSepa, match="IBAN della comunità"):
        uscite.file_sepa(liq, nome_ordinante="CER", iban_ordinante="IT00", esecuzione=dt.date(2027, 1, 4))


def test_csv_contabile_neutralizza_le_formule_e_torna_al_centesimo():
    def ostile(d):  # noqa: ANN001, ANN202
        d["soggetti"][1]["nome"] = "=HYPERLINK(\"http://x\")"
        d["soggetti"][1]["cognome"] = "Uno"
    _p, liq = _liq(ostile, "999.99")
    testo = uscite.csv_contabile(liq)
    import csv
    righe = list(csv.DictReader(io.StringIO(testo), delimiter=";"))
    anna = next(r for r in righe if r["soggetto"] == "anna")
    assert anna["nome"].startswith("'=")
    assert sum(D(r["importo_euro"]) for r in righe) == D("999.99")
    assert {r["stato_pagamento"] for r in righe if r["soggetto"] == "ditta"} == {"senza_iban"}
    # gli importi restano numeri (anche negativi): solo i testi ricevono l'apostrofo
    assert all(not r["importo_euro"].startswith("'") for r in righe)


def test_incassi_da_csv_e_errori_con_riga():
    inc = leggi_incassi("periodo;componente;importo_euro\n2026-01;acconto;1.234,56\n2026-01;conguaglio;-12,30\n".encode())
    assert [(i.periodo, i.componente, i.importo_euro) for i in inc] == [
        ("2026-01", "acconto", D("1234.56")), ("2026-01", "conguaglio", D("-12.30"))]
    with pytest.raises(ErroreIncassi, match="riga 2: componente «bonus»"):
        leggi_incassi(b"periodo,componente,importo_euro\n2026-01,bonus,1\n")
    with pytest.raises(ErroreIncassi, match="riga 2: periodo «2026-13»"):
        leggi_incassi(b"periodo,componente,importo_euro\n2026-13,acconto,1\n")
    with pytest.raises(ErroreIncassi, match="non ha le colonne importo_euro"):
        leggi_incassi(b"periodo,componente\n2026-01,acconto\n")


def test_acconto_della_formula_delle_regole_operative():
    # 40 kW al Centro, fascia 1, senza contributo: 40 × 1.050 h × 0,6 × (80 + 20 + 4) €/MWh / 12 = 218,40 €
    acc = {a.impianto: a for a in acconti(load_pratica(ESEMPIO), dt.date(2026, 12, 31))}
    assert acc["fv-municipio"].mensile_euro == D("218.40")
    assert acc["fv-cantina"].fattore_f > 0 and acc["fv-cantina"].mensile_euro < D("218.40") * 2


def test_acconto_diverso_dalla_formula_e_solo_un_avviso():
    p = con_incasso(pratica(), "2026-01", "999.00", "acconto")
    liq = liquida(p, "2026-01", misure(*GEN, {"anna": 1}, immissione=10), OGGI)
    avvisi = [a for a in liq.avvisi if a.codice == "RIP-ACCONTO-DIVERSO"]
    assert avvisi and all(a.gravita == "avviso" for a in avvisi)
    riga = liq.riconciliazione[0]
    assert any("conguaglio del mese è atteso entro il 15/05/2027" in s for s in riga.spiegazione)
    assert riga.ricevuto == {"acconto": D("999.00")}


def test_approvazione_congela_una_versione_con_il_suo_evento_e_il_file_fa_il_giro():
    p, liq = _liq(importo="100.00")
    p1 = approva(p, liq, dt.date(2027, 6, 20), "Verbale assemblea n. 3", "presidente")
    p2 = approva(p1, liq, dt.date(2027, 6, 27), "Verbale assemblea n. 4")
    v = approvato(p2, "2026-01")
    assert (v.versione, v.totale_euro, v.impronta) == (2, liq.totale_euro, liq.impronta())
    assert sum((q.importo_euro for q in v.quote), D("0.00")) == liq.ai_membri_euro
    assert [e.tipo for e in p2.eventi] == ["riparto_approvato", "riparto_approvato"]
    testo = dumps_yaml(p2)
    assert dumps_yaml(parse_text(testo, "giro.yaml")) == testo
    assert p.riparti_approvati == []          # la pratica di partenza non cambia


def test_la_pratica_di_riferimento_si_legge_e_si_riscrive_identica():
    testo = ESEMPIO.read_text("utf-8")
    p = load_pratica(ESEMPIO)
    assert "incassi_gse" not in dumps_yaml(p) and "riparti_approvati" not in dumps_yaml(p)
    ref = ROOT.parent / "shared" / "reference" / "pratica-esempio.yaml"
    if ref.exists():
        assert ref.read_text("utf-8") == testo


def test_misure_in_righe_giornaliere_con_i_cambi_dora():
    intest = "pod;data;tipo;" + ";".join(f"E{i}" for i in range(1, 101))
    righe = [intest,
             "IT001E00000002;29/03/2026;prelievo;" + ";".join(["0,25"] * 92),      # 23 ore
             "IT001E00000002;25/10/2026;prelievo;" + ";".join(["0,25"] * 100),     # 25 ore
             "IT001E00000002;25/10/2026;prelievo;" + ";".join(["0,50"] * 100)]     # rettifica: vale l'ultima
    testo = "\n".join(righe)
    assert riconosci(testo)
    c = converti(testo)
    m = leggi_misure(c.csv)
    assert len(m.ore) == 48 and m.risoluzione_minuti == 15
    assert m.prelievo["IT001E00000002"].sum() == pytest.approx(23 + 50)
    assert c.rettifiche == 1 and any("rettifica" in a for a in c.avvisi)
    troppi = intest + "\nIT001E00000002;29/03/2026;prelievo;" + ";".join(["1"] * 96)
    with pytest.raises(Exception, match="più valori"):
        converti(troppi)
