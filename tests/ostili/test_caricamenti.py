"""Categoria «caricamenti»: DOCX bomba, indice che mente, modello dello studio bomba, PDF cifrati."""

from __future__ import annotations

import io
import shutil

import pytest

from aiuti_ostili import ESEMPIO, cli, docx_bomba, docx_indice_bugiardo, senza_traceback


def test_statuto_docx_bomba_rifiutato_in_poca_memoria(tmp_path):
    """Un DOCX di 300 KB che si espande a 300 MB: prima minuti e 11 GB, ora un messaggio subito."""
    f = docx_bomba(tmp_path / "statuto.docx", 300)
    assert f.stat().st_size < 2 * 1024 * 1024
    e = cli("statuto", "verifica", str(f), memoria=768 * 1024 * 1024, tempo=60)
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert "statuto.docx" in e.err and "word/document.xml" in e.err and "non viene aperto" in e.err


def test_statuto_docx_con_indice_bugiardo(tmp_path):
    """L'indice dichiara 1 KB ma i dati ne contengono 50 MB: zipfile si ferma a 1 KB, il file è illeggibile."""
    f = docx_indice_bugiardo(tmp_path / "bugiardo.docx")
    e = cli("statuto", "verifica", str(f), memoria=768 * 1024 * 1024, tempo=60)
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert "bugiardo.docx" in e.err and "Impossibile leggere" in e.err


def test_modello_dello_studio_bomba(tmp_path):
    modelli = tmp_path / "modelli"
    modelli.mkdir()
    docx_bomba(modelli / "statuto.docx", 200)
    e = cli("genera", str(ESEMPIO), "--out", str(tmp_path / "out"), "--documenti", "statuto", "--formati", "docx",
            "--modello", str(modelli), "--al", "2026-11-22", memoria=1024 * 1024 * 1024, tempo=60)
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert "statuto.docx" in e.err and "non viene aperto" in e.err
    assert not (tmp_path / "out").exists()  # niente scritto


@pytest.fixture(scope="module")
def statuto_pdf(tmp_path_factory):
    cartella = tmp_path_factory.mktemp("statuto")
    e = cli("genera", str(ESEMPIO), "--out", str(cartella), "--documenti", "statuto", "--formati", "pdf",
            "--al", "2026-11-22")
    assert e.codice == 0, e.testo
    return next(cartella.glob("statuto*.pdf"))


def _cifra(sorgente, dest, utente: str, proprietario: str = "segreta-del-proprietario"):
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(sorgente))
    w.encrypt(user_password=utente, owner_password=proprietario, algorithm="AES-256")
    w.write(dest)
    return dest


def test_statuto_pdf_aes_con_sola_password_del_proprietario_si_legge(tmp_path, statuto_pdf):
    f = _cifra(statuto_pdf, tmp_path / "statuto-aes.pdf", utente="")
    e = cli("statuto", "verifica", str(f), "--al", "2026-11-22")
    senza_traceback(e)
    assert e.codice == 0, e.testo  # tutti gli elementi essenziali trovati nel testo decifrato
    assert "DependencyError" not in e.testo and "danneggiato" not in e.testo


def test_statuto_pdf_aes_con_password_di_apertura_rifiutato_con_messaggio(tmp_path, statuto_pdf):
    f = _cifra(statuto_pdf, tmp_path / "statuto-chiuso.pdf", utente="apriti")
    e = cli("statuto", "verifica", str(f), "--al", "2026-11-22")
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert "statuto-chiuso.pdf" in e.err and "password" in e.err and "danneggiato" not in e.err


@pytest.mark.parametrize("utente, atteso", [("", "testo"), ("apriti", "PDF_CIFRATO")])
def test_fattura_pdf_aes(statuto_pdf, tmp_path, utente, atteso):
    from cer_docs.pnrr.lettura import FileIlleggibile, leggi_documento

    dati = _cifra(statuto_pdf, tmp_path / "fattura.pdf", utente=utente).read_bytes()
    if atteso == "testo":
        assert leggi_documento(dati, "fattura.pdf").testo_pdf
    else:
        with pytest.raises(FileIlleggibile) as e:
            leggi_documento(dati, "fattura.pdf")
        assert e.value.codice == atteso and "password" in str(e.value)


def test_controlla_zip_su_ogni_lettore():
    """Ogni lettore di archivi del progetto passa da sicurezza/archivi.py prima di aprire il file."""
    from aiuti_ostili import ROOT

    lettori = {"cer_docs/documents/verifica_statuto.py": "controlla_zip(",
               "cer_docs/services/importazione.py": "controlla_zip(",
               "cer_docs/documents/modelli.py": "controlla_zip("}
    for percorso, segno in lettori.items():
        assert segno in (ROOT / percorso).read_text(encoding="utf-8"), percorso
    aperture = []
    for f in (ROOT / "cer_docs").rglob("*.py"):
        testo = f.read_text(encoding="utf-8")
        for segno in ("load_workbook(", "docx.Document(", "DocxTemplate(", "zipfile.ZipFile(io.BytesIO(contenuto"):
            if segno in testo and "controlla_zip(" not in testo:
                aperture.append(f"{f.relative_to(ROOT)}: {segno}")
    assert not aperture, aperture


def test_zip_piccolo_e_onesto_passa(tmp_path):
    from cer_docs.sicurezza.archivi import controlla_zip

    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", "<a>" + "testo vario " * 1000 + "</a>")
    controlla_zip(buf.getvalue(), "a.zip")  # non solleva
    shutil.rmtree(tmp_path, ignore_errors=True)
