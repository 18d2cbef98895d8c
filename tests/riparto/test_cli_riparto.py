"""`cer-docs riparto`: la pratica di riferimento chiude un anno d'esempio con le misure in samples/."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from cer_docs.riparto import uscite

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
MISURE = ROOT / "samples" / "riparto" / "misure-2026.csv.gz"
INCASSI = ROOT / "samples" / "riparto" / "incassi-2026.csv"


def cer_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600)


def test_anno_desempio_dalla_misura_al_bonifico(tmp_path):
    xml, cartella, contabile = tmp_path / "bonifici.xml", tmp_path / "estratti", tmp_path / "riparto.csv"
    r = cer_docs("riparto", str(ESEMPIO), "--periodo", "2026", "--misure", str(MISURE), "--incassi", str(INCASSI),
                 "--json", "--sepa", str(xml), "--iban", "IT60X0542811101000000123456", "--esecuzione",
                 "2027-06-30", "--estratti", str(cartella), "--csv", str(contabile))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    membri = d["membri"]
    assert set(membri) == {"comune-san-godenzo", "rossi-mario", "bianchi-giulia", "il-poggio",
                           "parrocchia-san-gaudenzio", "pro-loco", "energia-verde-mugello"}
    totale = Decimal(str(d["totale_euro"]))
    assert totale > 0
    assert Decimal(str(d["fondi"]["A"])) + Decimal(str(d["fondi"]["B"])) == totale
    somma = sum(Decimal(str(m["importo_euro"])) for m in membri.values()) + \
        sum(Decimal(str(v)) for v in d["comunita_euro"].values())
    assert somma == totale
    # incassato = acconti + conguagli del file; corrispettivi GSE tolti prima del riparto
    assert Decimal(str(d["incassato_euro"])) - Decimal(str(d["corrispettivi_gse_euro"])) == totale
    # agosto: il GSE ha pagato 3,17 € meno dell'atteso; novembre e dicembre solo acconto
    mesi = {r["mese"]: r for r in d["riconciliazione"]}
    assert Decimal(str(mesi["2026-08"]["differenza_euro"])) == Decimal("-3.17")
    assert any("conguaglio del mese è atteso" in s for s in mesi["2026-11"]["spiegazione"])
    # bonifici: validi, totale di controllo = bonifici = quote di chi ha un IBAN; gli altri elencati
    dati = xml.read_bytes()
    assert uscite.valida(dati) == []
    ctrl, importi, n = uscite.totali_dal_file(dati)
    con_iban = [m for s, m in membri.items() if s in ("bianchi-giulia", "il-poggio")]
    assert ctrl == importi == sum(Decimal(str(m["importo_euro"])) for m in con_iban) and n == 2
    assert set(d["senza_iban"]) == set(membri) - {"bianchi-giulia", "il-poggio"}
    # un estratto per membro, leggibile
    pdf = cartella / "estratto-2026-rossi-mario.pdf"
    testo = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    quota = f"{Decimal(str(membri['rossi-mario']['importo_euro'])):.2f}".replace(".", ",")
    for atteso in ("Mario Rossi", "La tua quota", quota, "Come è stata calcolata", "IBAN", "resti maggiori"):
        assert atteso in testo, atteso
    assert len(list(cartella.glob("*.pdf"))) == 7
    assert contabile.read_text("utf-8").startswith("periodo;soggetto;nome")


def test_senza_misure_o_con_periodo_sbagliato_errore_in_italiano():
    r = cer_docs("riparto", str(ESEMPIO), "--periodo", "2026")
    assert r.returncode == 2 and "servono le misure" in r.stderr
    r = cer_docs("riparto", str(ESEMPIO), "--periodo", "26", "--misure", str(MISURE))
    assert r.returncode == 2 and "periodo «26» non valido" in r.stderr
