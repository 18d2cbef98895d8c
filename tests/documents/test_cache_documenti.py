"""La cache dei documenti resi: stessi byte al riuso, solo ciò che cambia si rende di nuovo,
file privati, cifratura quando l'archivio è cifrato, dimensione limitata."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from cer_docs.documents import cache as cache_mod
from cer_docs.documents import catalogo as cat
from cer_docs.documents.cache import CacheDocumenti, chiave_documento
from cer_docs.documents import struttura
from cer_docs.model import load_pratica
from cer_docs.services import documenti as svc

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
AL = dt.date(2025, 10, 20)


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _rese() -> list[tuple[str, str, str | None]]:
    return list(cache_mod.rese)


def test_seconda_generazione_riusa_la_cache_con_gli_stessi_byte(tmp_path):
    docs = ["statuto", "regolamento"]
    svc.genera(ESEMPIO, tmp_path / "a", documenti=docs, al=AL)
    cache_mod.rese.clear()
    svc.genera(ESEMPIO, tmp_path / "b", documenti=docs, al=AL)
    assert _rese() == [], "nessun documento si rende di nuovo se nulla è cambiato"
    a, b = _manifest(tmp_path / "a"), _manifest(tmp_path / "b")
    assert a["documenti"] == b["documenti"]  # stesse impronte, stesse pagine
    for f in a["documenti"]:
        assert (tmp_path / "a" / f["file"]).read_bytes() == (tmp_path / "b" / f["file"]).read_bytes()


def test_le_voci_della_cache_sono_private(tmp_path):
    svc.genera(ESEMPIO, tmp_path / "a", documenti=["statuto"], formati=["docx"], al=AL)
    radice = Path(os.environ["CER_DOCS_DATA_DIR"]) / "cache" / "documenti"
    voci = [p for p in radice.rglob("*") if p.is_file()]
    assert voci, "la cache è nella cartella dati"
    for p in voci:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    for c in [radice.parent, radice, *{p.parent for p in voci}]:
        assert stat.S_IMODE(c.stat().st_mode) == 0o700, c


def test_cambiare_un_membro_rende_solo_i_documenti_che_lo_riguardano(tmp_path):
    """Cambia la residenza di un membro: si rendono di nuovo esattamente i documenti il cui
    contenuto risolto cambia (la sua DSAN, i documenti che elencano i membri), non gli altri."""
    testo = ESEMPIO.read_text(encoding="utf-8")
    vecchio = 'residenza: {indirizzo: "Via del Castagno 3"'
    assert vecchio in testo
    dopo = tmp_path / "modificata.yaml"
    dopo.write_text(testo.replace(vecchio, 'residenza: {indirizzo: "Via del Castagno 11"'), encoding="utf-8")

    svc.genera(ESEMPIO, tmp_path / "out", formati=["docx"], al=AL)
    cache_mod.rese.clear()
    svc.genera(dopo, tmp_path / "out", formati=["docx"], al=AL)
    rese = {f for _, _, f in _rese()}

    # cosa deve cambiare, calcolato in modo indipendente: il testo risolto prima e dopo
    p1, p2 = load_pratica(ESEMPIO), load_pratica(dopo)
    r1, _ = cat.richieste(p1, list(svc.DOCUMENTI), AL)
    r2, _ = cat.richieste(p2, list(svc.DOCUMENTI), AL)
    cambiati = set()
    for a, b in zip(r1, r2):
        d1, d2 = cat.risolvi(p1, a, AL), cat.risolvi(p2, b, AL)
        if struttura.testo_canonico(d1) != struttura.testo_canonico(d2):
            cambiati.add(f"{cat.nome_file(p2, b)}.docx")
    assert cambiati, "il membro compare in qualche documento"
    assert rese == cambiati
    dsan = {f["file"] for f in _manifest(tmp_path / "out")["documenti"] if f["documento"] == "dsan"}
    assert len(dsan & rese) == 1, "solo la DSAN del membro cambiato, non quelle degli altri"
    assert len(rese) < len(r2)
    nuova_dsan = next(iter(dsan & rese))
    with zipfile.ZipFile(tmp_path / "out" / nuova_dsan) as z:
        assert "Castagno 11" in z.read("word/document.xml").decode("utf-8"), "la DSAN nuova porta l'indirizzo nuovo"


def test_cache_cifrata_quando_l_archivio_e_cifrato(tmp_path, monkeypatch):
    from cryptography.fernet import Fernet

    from cer_docs.documents.struttura import Documento, Paragrafo, Segmento

    monkeypatch.setenv("CER_DOCS_CHIAVE", Fernet.generate_key().decode())
    c = CacheDocumenti.predefinita()
    assert c is not None and c.cifratore is not None
    doc = Documento(tipo="prova", titolo="Prova", intestazione="CER",
                    blocchi=[Paragrafo(segmenti=[Segmento("Mario Rossi, RSSMRA80A01H501U")])])
    k = chiave_documento(doc, "docx")
    c.scrivi(k, b"PK contenuto con RSSMRA80A01H501U", None)
    grezzi = next(p for p in c.cartella.rglob("*") if p.is_file()).read_bytes()
    assert b"RSSMRA80A01H501U" not in grezzi, "il codice fiscale non è in chiaro sul disco"
    assert c.leggi(k).dati == b"PK contenuto con RSSMRA80A01H501U"
    # un'altra chiave (o nessuna) non legge la voce: vale come assente, non come errore
    monkeypatch.setenv("CER_DOCS_CHIAVE", Fernet.generate_key().decode())
    assert CacheDocumenti.predefinita().leggi(k) is None
    monkeypatch.delenv("CER_DOCS_CHIAVE")
    assert CacheDocumenti.predefinita().leggi(k) is None


def test_voce_guasta_vale_come_assente_e_la_cache_resta_nella_sua_dimensione(tmp_path):
    c = CacheDocumenti(tmp_path / "c", massimo_byte=10_000)
    c.scrivi("ab" + "0" * 62, b"x" * 4000, 3)
    p = c._percorso("ab" + "0" * 62)
    p.write_bytes(p.read_bytes()[:-10])  # troncata (disco pieno, processo ucciso)
    assert c.leggi("ab" + "0" * 62) is None
    for i in range(6):
        c.scrivi(f"{i:02d}" + "1" * 62, bytes([i]) * 3000, 1)
        os.utime(c._percorso(f"{i:02d}" + "1" * 62), (1000 + i, 1000 + i))
    assert c.riduci() > 0
    rimaste = sorted(p.name[:2] for p in c.cartella.rglob("*") if p.is_file())
    assert sum(p.stat().st_size for p in c.cartella.rglob("*") if p.is_file()) <= 10_000
    assert "05" in rimaste and "00" not in rimaste, "si tolgono le voci usate meno di recente"


def test_la_chiave_cambia_con_il_documento_e_con_il_formato():
    from cer_docs.documents.struttura import Documento, Paragrafo, Segmento

    a = Documento(tipo="t", titolo="T", intestazione="CER", blocchi=[Paragrafo(segmenti=[Segmento("uno")])])
    b = Documento(tipo="t", titolo="T", intestazione="CER", blocchi=[Paragrafo(segmenti=[Segmento("due")])])
    assert chiave_documento(a, "pdf") != chiave_documento(b, "pdf")
    assert chiave_documento(a, "pdf") != chiave_documento(a, "docx")
    assert chiave_documento(a, "pdf") == chiave_documento(
        Documento(tipo="t", titolo="T", intestazione="CER", blocchi=[Paragrafo(segmenti=[Segmento("uno")])]), "pdf")
    bozza = Documento(tipo="t", titolo="T", intestazione="CER", bozza=True,
                      blocchi=[Paragrafo(segmenti=[Segmento("uno")])])
    assert chiave_documento(a, "pdf") != chiave_documento(bozza, "pdf")


def test_cache_spenta(tmp_path, monkeypatch):
    monkeypatch.setenv("CER_DOCS_CACHE_DOCUMENTI", "0")
    assert CacheDocumenti.predefinita() is None
    svc.genera(ESEMPIO, tmp_path / "a", documenti=["statuto"], formati=["docx"], al=AL)
    cache_mod.rese.clear()
    svc.genera(ESEMPIO, tmp_path / "b", documenti=["statuto"], formati=["docx"], al=AL)
    assert len(_rese()) == 1
    assert not (Path(os.environ["CER_DOCS_DATA_DIR"]) / "cache").exists()
