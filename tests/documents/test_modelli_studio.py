"""Modelli DOCX degli studi (docxtpl): stesso contesto, testo ostile al sicuro, errori chiari."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from aiuti_documenti import OSTILE, estrai_docx, pratica_ostile
from docx import Document

from cer_docs.services import documenti as svc

AL = dt.date(2025, 10, 20)


def _modello_statuto(cartella: Path) -> Path:
    d = Document()
    d.add_paragraph("CARTA INTESTATA STUDIO ROSSI")
    d.add_paragraph("Statuto di {{ ente.denominazione }} ({{ ente.forma }})")
    d.add_paragraph("{%p if forma_associazione_non_riconosciuta %}")
    d.add_paragraph("Associazione non riconosciuta: sì")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p for a in documento.articoli %}")
    d.add_paragraph("{{ a.intestazione }}")
    d.add_paragraph("{%p for c in a.commi %}")
    d.add_paragraph("{{ c }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p endfor %}")
    cartella.mkdir(parents=True, exist_ok=True)
    f = cartella / "statuto.docx"
    d.save(f)
    return f


def _modello_regolamento(cartella: Path) -> Path:
    d = Document()
    d.add_paragraph("Configurazione {{ configurazione.denominazione }} – rinvio all'art. {{ statuto_art.recesso }}")
    t = d.add_table(rows=3, cols=3)
    t.rows[0].cells[0].text = "{%tr for p in punti_connessione %}"
    t.rows[1].cells[0].text = "{{ p.pod }}"
    t.rows[1].cells[1].text = "{{ p.titolare }}"
    t.rows[1].cells[2].text = "{{ p.uso }}"
    t.rows[2].cells[0].text = "{%tr endfor %}"
    cartella.mkdir(parents=True, exist_ok=True)
    f = cartella / "regolamento.docx"
    d.save(f)
    return f


def test_modello_dello_studio_riceve_il_contesto_e_resta_sicuro(tmp_path):
    modelli = tmp_path / "modelli"
    _modello_statuto(modelli)
    _modello_regolamento(modelli)
    out = tmp_path / "out"
    esito = svc.genera(pratica_ostile(), out, documenti=["statuto", "regolamento", "atto_costitutivo"],
                       formati=["docx"], al=AL, modelli=modelli)
    per_file = {f.file: f for f in esito.file}
    st = per_file["statuto-cer-colline-sieve.docx"]
    assert st.modello and st.modello.endswith("statuto.docx")
    testo = estrai_docx((out / st.file).read_bytes())
    assert "CARTA INTESTATA STUDIO ROSSI" in testo
    assert f"Statuto di {OSTILE}\nseconda riga (associazione non riconosciuta)" in testo
    assert "Associazione non riconosciuta: sì" in testo
    assert "Art. 1 – Costituzione e natura" in testo and "Art. 33 – Rinvio" in testo
    assert "{%" not in testo and testo.count("{{") == testo.count("{{ 7*7 }}")
    reg = estrai_docx((out / "regolamento-conf-1-cer-colline-sieve.docx").read_bytes())
    assert "IT001E00112233" in reg and "IT001E00112239" in reg and OSTILE in reg
    assert "rinvio all'art. 12" in reg
    # l'atto senza modello usa l'impaginazione interna
    assert per_file["atto-costitutivo-cer-colline-sieve.docx"].modello is None
    Document(io.BytesIO((out / st.file).read_bytes()))  # si riapre


def test_modello_rotto_ferma_tutto_senza_scrivere(tmp_path):
    modelli = tmp_path / "modelli"
    modelli.mkdir()
    d = Document()
    d.add_paragraph("{%p if forma_cooperativa %} aperto e mai chiuso")
    d.save(modelli / "statuto.docx")
    out = tmp_path / "out"
    with pytest.raises(svc.ErroreGenerazione, match="non si può rendere"):
        svc.genera(pratica_ostile(), out, documenti=["statuto"], formati=["docx"], al=AL, modelli=modelli)
    assert not out.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) non installato")
@pytest.mark.slow
def test_pdf_del_modello_dello_studio_con_libreoffice(tmp_path):
    modelli = tmp_path / "modelli"
    _modello_regolamento(modelli)
    esito = svc.genera(pratica_ostile(), tmp_path / "out", documenti=["regolamento"], formati=["docx", "pdf"],
                       al=AL, modelli=modelli)
    pdf = [f for f in esito.file if f.formato == "pdf"]
    assert pdf and pdf[0].pagine >= 1 and pdf[0].modello
