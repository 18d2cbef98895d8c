"""``cer-docs scadenze`` e ``cer-docs fatto``: uscite, JSON, .ics, messaggi italiani, mai un traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
CHIAVI = {"codice", "data", "titolo", "oggetto", "conseguenza", "riferimento", "stato"}


def cer_docs(*args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "cer_docs", *map(str, args)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert "Traceback" not in r.stderr, r.stderr
    return r


def test_scadenze_json(tmp_path):
    r = cer_docs("scadenze", ESEMPIO, "--al", "2026-11-22", "--json")
    assert r.returncode == 0, r.stderr
    voci = json.loads(r.stdout)
    assert voci and all(CHIAVI <= set(v) for v in voci)
    assert [v["data"] for v in voci] == sorted(v["data"] for v in voci)
    assert {v["stato"] for v in voci} <= {"futura", "imminente", "scaduta", "adempiuta"}
    d13 = next(v for v in voci if v["codice"] == "D13")
    assert d13 == {**d13, "data": "2025-11-19", "oggetto": "comunita.atto_costitutivo", "stato": "adempiuta"}


def test_scadenze_tabella_italiana():
    r = cer_docs("scadenze", ESEMPIO, "--al", "2026-11-22")
    assert r.returncode == 0, r.stderr
    assert "al 22 novembre 2026" in r.stdout
    righe = r.stdout.splitlines()
    intest = next(x for x in righe if x.startswith("DATA"))
    assert intest.split() == ["DATA", "CODICE", "STATO", "SCADENZA"]
    assert "19 novembre 2025   D13" in r.stdout and "Fonte: DPR 131/1986" in r.stdout
    assert "Totale:" in righe[-1]


def test_scadenze_ics(tmp_path):
    f = tmp_path / "cer.ics"
    r = cer_docs("scadenze", ESEMPIO, "--al", "2026-11-22", "--ics", f)
    assert r.returncode == 0, r.stderr
    assert f"Calendario scritto in {f}" in r.stdout
    cal = Calendar.from_ical(f.read_bytes())
    uid = {str(e["uid"]) for e in cal.walk("VEVENT")}
    r = cer_docs("scadenze", ESEMPIO, "--al", "2026-11-22", "--ics", f, "--json")
    assert r.returncode == 0 and json.loads(r.stdout)
    assert "Calendario scritto" in r.stderr
    assert {str(e["uid"]) for e in Calendar.from_ical(f.read_bytes()).walk("VEVENT")} == uid


def test_scadenze_input_illeggibile(tmp_path):
    rotto = tmp_path / "rotta.yaml"
    rotto.write_text("pratica: [\n", encoding="utf-8")
    for args in (["scadenze", rotto], ["scadenze", tmp_path / "manca.yaml"], ["scadenze", "codice-ignoto"],
                 ["scadenze", ESEMPIO, "--al", "31-12-2026"]):
        r = cer_docs(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert r.stderr.strip() and not r.stdout.strip()
    r = cer_docs("scadenze", ESEMPIO, "--al", "2026-11-22", "--ics", tmp_path / "manca" / "x.ics")
    assert r.returncode == 1 and "non esiste" in r.stderr


def test_fatto_su_pratica_dell_archivio():
    assert cer_docs("importa", ESEMPIO).returncode == 0
    r = cer_docs("fatto", "cer-colline-sieve", "entrata_esercizio", "--data", "2027-03-10", "--oggetto",
                 "fv-bianchi", "--nota", "collaudo", "--autore", "Anna", "--al", "2027-03-12")
    assert r.returncode == 0, r.stderr
    assert "Registrato: Entrata in esercizio dell'impianto «Fotovoltaico residenziale Bianchi»" in r.stdout
    assert "versione 2" in r.stdout and "in esercizio" in r.stdout
    # rifiutato: la ragione in italiano, uscita 1, nulla salvato
    r = cer_docs("fatto", "cer-colline-sieve", "mandato_revocato", "--data", "2027-03-01", "--al", "2027-03-12")
    assert r.returncode == 1 and "mai firmato" in r.stderr
    # il fatto registrato sposta le scadenze dell'archivio
    r = cer_docs("scadenze", "cer-colline-sieve", "--al", "2027-03-12", "--json")
    d3 = [v for v in json.loads(r.stdout) if v["codice"] == "D3"]
    assert d3 and d3[0]["data"] == "2027-07-08" and d3[0]["oggetto"] == "configurazioni[0].impianti[2]"
    r = cer_docs("esporta", "cer-colline-sieve", "--formato", "json")
    evento = json.loads(r.stdout)["eventi"][-1]
    assert evento["tipo"] == "entrata_esercizio" and evento["autore"] == "Anna" and evento["nota"] == "collaudo"


def test_fatto_input_sbagliato():
    assert cer_docs("importa", ESEMPIO).returncode == 0
    for args, testo in ((["fatto", "cer-colline-sieve", "impianto_acceso", "--data", "2026-01-01"], "sconosciuto"),
                        (["fatto", "cer-colline-sieve", "atto_firmato", "--data", "ieri"], "--data"),
                        (["fatto", "non-c-e", "atto_firmato", "--data", "2026-01-01"], "non è nell'archivio")):
        r = cer_docs(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert testo in r.stderr


def test_aiuto_elenca_i_tipi():
    r = cer_docs("fatto", "--help")
    assert r.returncode == 0 and "pod_aggiunto" in r.stdout and "mandato_revocato" in r.stdout


def test_annulla_fatto_da_riga_di_comando():
    from cer_docs.services import archivio as arc

    arc.importa_file(ESEMPIO, autore="test")  # l'archivio della cartella dati del test, ereditata dal comando
    r = cer_docs("fatto", "cer-colline-sieve", "mandato_firmato", "--data", "2026-03-01", "--al", "2026-11-22")
    assert r.returncode == 0, r.stderr
    r = cer_docs("annulla-fatto", "cer-colline-sieve")
    assert r.returncode == 0 and "  1. 1° marzo 2026  Firma del mandato" in r.stdout
    r = cer_docs("annulla-fatto", "cer-colline-sieve", "1", "--al", "2026-11-22")
    assert r.returncode == 2 and "--motivo" in r.stderr
    r = cer_docs("annulla-fatto", "cer-colline-sieve", "1", "--motivo", "firmato da un'altra CER", "--autore", "Bruno",
                 "--al", "2026-11-22")
    assert r.returncode == 0, r.stderr
    assert "Annullato il fatto del 1° marzo 2026" in r.stdout
    r = cer_docs("annulla-fatto", "cer-colline-sieve")
    assert "[annullato il 22 novembre 2026 da Bruno]" in r.stdout and "  2. 22 novembre 2026  Annullato" in r.stdout
    r = cer_docs("annulla-fatto", "cer-colline-sieve", "1", "--motivo", "ancora", "--al", "2026-11-22")
    assert r.returncode == 1 and "già annullato" in r.stderr
