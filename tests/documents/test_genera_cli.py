"""`cer-docs genera` e il servizio documenti: file, nomi, manifest, errori, scrittura atomica."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from aiuti_documenti import ESEMPIO, ROOT, estrai_docx, pratica_auc

from cer_docs.model import dumps_yaml
from cer_docs.services import documenti as svc


def cer_docs(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cer_docs", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_genera_tutto_con_nomi_e_manifest(tmp_path):
    out = tmp_path / "documenti"
    r = cer_docs("genera", str(ESEMPIO), "--out", str(out), "--al", "2025-10-20")
    assert r.returncode == 0, r.stderr
    attesi = {f"{base}.{ext}" for base in ("statuto-cer-colline-sieve", "atto-costitutivo-cer-colline-sieve",
                                           "regolamento-conf-1-cer-colline-sieve", "statuto-gse-cer-colline-sieve")
              for ext in ("docx", "pdf")}
    presenti = {p.name for p in out.iterdir()}
    assert attesi | {"manifest.json"} <= presenti, presenti
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["pratica"] == "cer-colline-sieve" and m["al"] == "2025-10-20"
    # 4 costitutivi + 1 accordo + 8 DSAN + 1 lettera PNRR + informativa + registro, in due formati
    # (nessun modulo di adesione: i membri sono tutti fondatori)
    assert len(m["documenti"]) == 2 * (4 + 1 + 8 + 1 + 1 + 1)
    dossier = {m["dossier"]["pdf"]["file"], m["dossier"]["zip"]["file"]}
    assert dossier == {"dossier-cer-colline-sieve.pdf", "dossier-cer-colline-sieve.zip"}
    assert {v["file"] for v in m["documenti"]} | {"manifest.json"} | dossier == presenti
    assert "preparo statuto-cer-colline-sieve\n[1/32] scritto statuto-cer-colline-sieve.docx" in r.stderr  # avanzamento
    assert "[32/32] scritto " in r.stderr and "Dossier: PDF unico" in r.stderr
    for voce in m["documenti"]:
        assert {"documento", "file", "formato", "sha256", "pagine", "oggetto"} <= set(voce)
        dati = (out / voce["file"]).read_bytes()
        assert hashlib.sha256(dati).hexdigest() == voce["sha256"]
        minimo = 3 if voce["documento"] in ("statuto", "atto_costitutivo", "regolamento", "statuto_gse") else 1
        assert isinstance(voce["pagine"], int) and voce["pagine"] >= minimo
        assert voce["pagine_stimate"] == (voce["formato"] == "docx")
    assert "Documenti scritti in" in r.stdout


def test_stessi_dati_stessi_file(tmp_path):
    """Generazione deterministica: il manifest non cambia da un giro all'altro."""
    a = svc.genera(ESEMPIO, tmp_path / "a", documenti=["regolamento"], al=dt.date(2025, 10, 20))
    b = svc.genera(ESEMPIO, tmp_path / "b", documenti=["regolamento"], al=dt.date(2025, 10, 20))
    assert [f.sha256 for f in a.file] == [f.sha256 for f in b.file]


def test_solo_alcuni_documenti_e_formati(tmp_path):
    out = tmp_path / "o"
    r = cer_docs("genera", str(ESEMPIO), "--out", str(out), "--documenti", "statuto,regolamento",
                 "--formati", "docx", "--al", "2025-10-20")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.json", "regolamento-conf-1-cer-colline-sieve.docx", "statuto-cer-colline-sieve.docx"]
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert all(v["pagine"] is None for v in m["documenti"])  # niente PDF, niente stima


def test_pratica_illeggibile_esce_con_2_e_non_scrive_nulla(tmp_path):
    rotta = tmp_path / "rotta.yaml"
    rotta.write_text("formato: cer-docs/pratica@1\npratica: {id: x}\ncomunita: [non, una, sezione]\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    r = cer_docs("genera", str(rotta), "--out", str(out))
    assert r.returncode == 2
    assert "non si può leggere" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    r = cer_docs("genera", str(tmp_path / "non-esiste.yaml"), "--out", str(out))
    assert r.returncode == 2 and "Traceback" not in r.stderr and not out.exists()


@pytest.mark.parametrize("argomenti,messaggio", [
    (["--documenti", "statuto,bilancio"], "documento sconosciuto: bilancio"),
    (["--formati", "odt"], "formato sconosciuto: odt"),
    (["--al", "20/10/2025"], "AAAA-MM-GG"),
    (["--al", "2020-01-01"], "nessuna regola in vigore"),
    (["--modello", "/cartella/che/non/esiste"], "non esiste"),
])
def test_errori_d_uso_in_italiano(tmp_path, argomenti, messaggio):
    out = tmp_path / "out"
    r = cer_docs("genera", str(ESEMPIO), "--out", str(out), *argomenti)
    assert r.returncode == 2, r.stdout
    assert messaggio in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() or not any(out.iterdir())


def test_gruppo_di_autoconsumatori_solo_regolamento_con_spiegazione(tmp_path):
    f = tmp_path / "auc.yaml"
    f.write_text(dumps_yaml(pratica_auc()), encoding="utf-8")
    out = tmp_path / "out"
    r = cer_docs("genera", str(f), "--out", str(out), "--al", "2025-10-20", "--formati", "docx",
                 "--documenti", "statuto,atto_costitutivo,regolamento,statuto_gse")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "regolamento-conf-1-cer-colline-sieve.docx"]
    assert "non descrive una comunità" in r.stdout
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(m["note"]) == 3


def test_bozza_da_riga_di_comando(tmp_path):
    out = tmp_path / "out"
    r = cer_docs("genera", str(ESEMPIO), "--out", str(out), "--documenti", "regolamento", "--formati", "docx",
                 "--bozza", "--al", "2025-10-20")
    assert r.returncode == 0, r.stderr
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["bozza"] is True


def test_errore_a_meta_non_lascia_file(tmp_path, monkeypatch):
    """Se la resa fallisce dopo aver risolto alcuni documenti, la cartella resta com'era."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "preesistente.txt").write_text("x")

    def esplode(_doc):
        raise svc.ErroreGenerazione("resa impossibile")

    monkeypatch.setattr("cer_docs.services.documenti.render_docx", esplode)
    with pytest.raises(svc.ErroreGenerazione):
        svc.genera(ESEMPIO, out, formati=["docx"], al=dt.date(2025, 10, 20))
    assert [p.name for p in out.iterdir()] == ["preesistente.txt"]


def test_nessun_file_temporaneo_resta(tmp_path):
    esito = svc.genera(ESEMPIO, tmp_path, documenti=["statuto"], formati=["docx"], al=dt.date(2025, 10, 20))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert esito.manifest and esito.manifest.exists()


def test_genera_documento_in_memoria_per_l_interfaccia():
    nome, dati = svc.genera_documento(ESEMPIO, "regolamento", "docx", al=dt.date(2025, 10, 20),
                                      configurazione="conf-1")
    assert nome == "regolamento-conf-1-cer-colline-sieve.docx"
    assert "Regolamento della configurazione" in estrai_docx(dati)
    disponibili = svc.documenti_disponibili(svc._carica(ESEMPIO))
    tipi = [d["documento"] for d in disponibili if d.get("documento")]
    assert tipi[:4] == ["statuto", "atto_costitutivo", "regolamento", "statuto_gse"]
    assert tipi.count("dsan") == 8 and tipi.count("lettera_fornitori_pnrr") == 1
    nome, dati = svc.genera_documento(ESEMPIO, "dsan", "docx", al=dt.date(2025, 10, 20), oggetto="il-poggio")
    assert nome == "dsan-il-poggio-cer-colline-sieve.docx" and "Il Poggio" in estrai_docx(dati)


def test_riferimenti_rotti_diventano_avvisi(tmp_path):
    from aiuti_documenti import esempio

    p = esempio()
    p.comunita.fondatori.append("chi-non-esiste")  # una pratica in memoria (dall'interfaccia) non è rivalidata
    esito = svc.genera(p, tmp_path / "out", documenti=["atto_costitutivo"], formati=["docx"],
                       al=dt.date(2025, 10, 20))
    assert any("chi-non-esiste" in a for a in esito.avvisi)
    assert Path(esito.cartella / "atto-costitutivo-cer-colline-sieve.docx").exists()
