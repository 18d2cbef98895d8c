"""Lo scrittore DOCX riusa nel processo lo scheletro di ogni forma di documento (stili,
numerazione, testate, parti fisse già compresse) e scrive il corpo come testo XML: nessun
documento deve portarsi dietro qualcosa del precedente, e ciò che l'utente scrive deve arrivare
intatto in intestazioni, proprietà e tabelle lunghe."""

from __future__ import annotations

import io
import random
import zipfile

from docx import Document

from cer_docs.documents import catalogo as cat
from cer_docs.documents.lettura_docx import proprieta_identita
from cer_docs.documents.scrittura_docx import _DATA_FISSA, _Zip, _comprimi, render_docx
from cer_docs.documents.struttura import (
    Colonna, Documento, Firma, Firme, Paragrafo, Segmento, Tabella, Titolo, identita,
)

from cer_docs.model import load_pratica

from aiuti_documenti import AL, OSTILE, SAMPLES, esempio

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _risolvi(p, tipo: str, oggetto: str | None = None, bozza: bool = False):
    rs = [r for r in cat.richieste(p, [tipo], AL)[0] if oggetto is None or r.oggetto == oggetto]
    return cat.risolvi(p, rs[0], AL, bozza=bozza)


def _parte(dati: bytes, nome: str) -> str:
    return zipfile.ZipFile(io.BytesIO(dati)).read(nome).decode("utf-8")


def _testate(dati: bytes) -> str:
    z = zipfile.ZipFile(io.BytesIO(dati))
    return " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith(("word/header", "word/footer")))


def test_una_dsan_dopo_il_registro_ha_la_sua_intestazione_e_nulla_del_registro():
    p = esempio()
    registro = render_docx(_risolvi(p, "registro_membri"))
    dsan = _risolvi(p, "dsan", "rossi-mario")
    dati = render_docx(dsan)
    intestazioni = _testate(dati)
    assert "Dichiarazione sostitutiva – Mario Rossi" in intestazioni
    assert "Registro" not in intestazioni
    # il corpo della DSAN non contiene la tabella del registro
    assert "Codice fiscale" not in _parte(dati, "word/document.xml")
    assert "Registro" in _testate(registro)


def test_due_pratiche_nello_stesso_processo_non_si_scambiano_nulla():
    a, b = esempio(), esempio()
    b.comunita.denominazione = "Comunità Energetica Rinnovabile Valle Altra"
    b.comunita.sigla = "CER Valle Altra"
    prima_a = render_docx(_risolvi(a, "statuto"))
    di_b = render_docx(_risolvi(b, "statuto"))
    dopo_a = render_docx(_risolvi(a, "statuto"))
    assert prima_a == dopo_a  # stesso documento, stessi byte, qualunque cosa sia stata scritta in mezzo
    assert "Valle Altra" in _testate(di_b) and "Valle Altra" not in _testate(dopo_a)
    assert "Valle Altra" in _parte(di_b, "docProps/core.xml")
    assert "Valle Altra" not in _parte(dopo_a, "docProps/core.xml")


def test_bozza_e_documento_finale_non_si_mescolano():
    p = esempio()
    bozza = render_docx(_risolvi(p, "dsan", "rossi-mario", bozza=True))
    finale = render_docx(_risolvi(p, "dsan", "rossi-mario"))
    assert "FiligranaBozza" in _testate(bozza) and "BOZZA – Dichiarazione" in _testate(bozza)
    assert "FiligranaBozza" not in _testate(finale) and "BOZZA" not in _testate(finale)
    assert "BOZZA" in _parte(bozza, "docProps/core.xml") and "BOZZA" not in _parte(finale, "docProps/core.xml")


def test_le_proprieta_d_identita_sono_quelle_del_documento_scritto():
    valle = load_pratica(SAMPLES / "cer-valle-due-cabine.yaml")
    casi = [(esempio(), "atto_costitutivo", None), (esempio(), "dsan", "comunita"), (valle, "modulo_adesione", None),
            (valle, "statuto_gse", None)]
    for p, tipo, oggetto in casi:
        doc = _risolvi(p, tipo, oggetto)
        dati = render_docx(doc)
        attese = {x.segnalibro: (x.tipo, x.documento, x.id, x.sha256) for x in identita(doc)}
        assert attese
        assert proprieta_identita(zipfile.ZipFile(io.BytesIO(dati))) == attese
        corpo = _parte(dati, "word/document.xml")
        for nome in attese:
            assert f'w:name="{nome}"' in corpo


def _documento_ostile(intestazione: str) -> Documento:
    righe = [[str(i), f"{OSTILE} {i}", "riga\tcon tab"] for i in range(2_000)]
    return Documento(
        tipo="prova", titolo="Prova & <verifica>", intestazione=intestazione, piede="",
        blocchi=[
            Titolo(testo="Titolo & <prova>\nsu due righe"),
            Paragrafo(segmenti=[Segmento(" spazi ai bordi "), Segmento("a\ncapo\tcon tab", grassetto=True)]),
            Tabella(colonne=[Colonna("N.", 1, "destra"), Colonna("Nome", 4), Colonna("Nota", 2, "centrato")],
                    righe=righe, didascalia="Elenco & <c>"),
            Firme(firmatari=[Firma(nome=OSTILE, qualifica="legale <rappresentante>")], intestazione="Firme"),
        ])


def test_testo_ostile_in_testate_proprieta_e_tabelle_lunghe_arriva_intatto():
    intestazione = f"{OSTILE}\tcon tab\ne a capo "
    dati = render_docx(_documento_ostile(intestazione))
    d = Document(io.BytesIO(dati))  # XML ben formato per python-docx (e per Word)
    assert d.core_properties.subject == "Prova & <verifica>"
    assert d.paragraphs[0].text == "Titolo & <prova> su due righe"
    assert d.paragraphs[1].text == " spazi ai bordi a\ncapo\tcon tab"
    tab = d.tables[0]
    assert len(tab.rows) == 2_001
    assert tab.rows[1_500].cells[1].text == f"{OSTILE} 1499"
    assert tab.rows[7].cells[2].text == "riga\tcon tab"
    assert tab.rows[0].cells[0].text == "N."
    testata = d.sections[0].header.paragraphs[0].text
    assert testata == intestazione
    assert d.tables[1].rows[0].cells[0].paragraphs[1].text == "legale <rappresentante>"


def test_lo_zip_scritto_con_i_dati_gia_compressi_e_quello_di_zipfile():
    """Se una versione nuova di Python cambiasse il formato di ``zipfile``, qui si vede."""
    rnd = random.Random(7)
    membri = [("a.xml", b"<a/>" * 100), ("vuoto.bin", b""), ("dati/casuali.bin", rnd.randbytes(50_000)),
              ("word/document.xml", "testo àèì € ".encode("utf-8") * 3_000)]
    atteso = io.BytesIO()
    with zipfile.ZipFile(atteso, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, dati in membri:
            info = zipfile.ZipInfo(nome, date_time=_DATA_FISSA)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            z.writestr(info, dati)
    nostro = io.BytesIO()
    z = _Zip(nostro)
    for nome, dati in membri:
        z.scrivi(nome, len(dati), _comprimi(dati, ricorda=nome.endswith(".xml")))
    z.chiudi()
    assert nostro.getvalue() == atteso.getvalue()


def test_lo_stesso_documento_da_stessi_byte_prima_e_dopo_altri_documenti():
    p = esempio()
    atto = _risolvi(p, "atto_costitutivo")
    primo = render_docx(atto)
    render_docx(_risolvi(p, "statuto_gse"))
    render_docx(_risolvi(p, "atto_costitutivo", bozza=True))
    assert render_docx(atto) == primo


def test_il_corpo_compresso_a_pezzi_e_quello_compresso_intero():
    """document.xml si comprime man mano (una tabella di 10.000 righe non è mai una sola stringa):
    stessi byte e stesso CRC della compressione del testo intero."""
    from cer_docs.documents.scrittura_docx import _comprimi_pezzi

    rnd = random.Random(11)
    for _ in range(20):
        pezzi = ["".join(rnd.choice("abc <w:t>àè€\n") for _ in range(rnd.randint(0, 4_000)))
                 for _ in range(rnd.randint(0, 300))]
        intero = "".join(pezzi).encode("utf-8")
        assert _comprimi_pezzi(pezzi) == (len(intero), _comprimi(intero))


def test_lo_scheletro_dalla_cache_su_disco_da_gli_stessi_byte(tmp_path, monkeypatch):
    """Lo scheletro conservato nella cache dei documenti e riletto in un altro processo (qui: dopo
    aver svuotato quello del processo) dà lo stesso DOCX, byte per byte, senza python-docx."""
    from cer_docs.documents import scrittura_docx as sd

    monkeypatch.setenv("CER_DOCS_CACHE_DOCUMENTI", str(tmp_path / "cache"))
    monkeypatch.setattr(sd, "_scheletri_pronti", lambda: {})  # non quelli del pacchetto
    p = load_pratica(SAMPLES / "pratica-esempio.yaml")
    doc = _risolvi(p, "atto_costitutivo")
    sd._scheletro.cache_clear()
    prima = render_docx(doc)
    assert any((tmp_path / "cache").rglob("*")), "lo scheletro è nella cache"
    sd._scheletro.cache_clear()

    def vietato(*a, **k):
        raise AssertionError("lo scheletro si doveva leggere dalla cache")

    monkeypatch.setattr(sd, "_costruisci_scheletro", vietato)
    assert render_docx(doc) == prima
    sd._scheletro.cache_clear()


def test_scheletro_guasto_nella_cache_si_ricostruisce():
    from cer_docs.documents import scrittura_docx as sd

    assert sd._scheletri_da_byte(b'{"versione": "x", "forme": [], "blob": [10]}\nabc') is None
    assert sd._scheletri_da_byte(b"non json\n") is None


def _forme_degli_esempi() -> set[tuple]:
    """Le forme di tutti i documenti di tutte le pratiche d'esempio, in bozza e no."""
    from cer_docs.documents import scrittura_docx as sd
    from cer_docs.documents.struttura import ambiti, identita

    forme = set()
    for f in sorted(SAMPLES.glob("*.yaml")):
        p = load_pratica(f)
        for r in cat.richieste(p, list(cat.TUTTI), AL)[0]:
            for bozza in (False, True):
                forme.add(sd.forma(cat.risolvi(p, r, AL, bozza=bozza)))
    return forme


def test_gli_scheletri_pronti_del_pacchetto_sono_aggiornati():
    """Gli scheletri pronti (``cer_docs/documents/scheletri_docx.bin``) sono della versione attuale
    del layout e di questo scrittore, coprono le forme dei documenti d'esempio e sono identici a
    quelli costruiti ora. Dopo una modifica dello scrittore DOCX o di ``docx.yaml``:
    ``UPDATE_SCHELETRI=1 pytest tests/documents/test_scrittura_docx_scheletro.py -k pronti``."""
    import os

    from cer_docs.documents import scrittura_docx as sd

    forme = _forme_degli_esempi()
    if os.environ.get("UPDATE_SCHELETRI") == "1":
        sd.scrivi_scheletri_pronti(forme)
    letti = sd._scheletri_da_byte(sd.FILE_SCHELETRI.read_bytes())
    assert letti is not None
    versione, pronti = letti
    assert versione == sd.versione_scheletri(), (
        "scheletri DOCX pronti non aggiornati: "
        "UPDATE_SCHELETRI=1 pytest tests/documents/test_scrittura_docx_scheletro.py -k pronti")
    assert forme <= set(pronti)
    for f in forme:
        assert pronti[f] == sd._costruisci_scheletro(*f), f
    assert sd.FILE_SCHELETRI.stat().st_size < 400_000, "le parti comuni a tutte le forme ci sono una volta sola"


def test_con_gli_scheletri_pronti_un_docx_non_carica_python_docx(tmp_path):
    import subprocess
    import sys

    codice = (
        "import sys, datetime as dt\n"
        "from cer_docs.model import load_pratica\n"
        "from cer_docs.documents import catalogo as cat\n"
        "from cer_docs.documents.scrittura_docx import render_docx\n"
        f"p = load_pratica({str(SAMPLES / 'pratica-esempio.yaml')!r})\n"
        "al = dt.date(2025, 10, 20)\n"
        "for r in cat.richieste(p, ['statuto', 'atto_costitutivo', 'regolamento'], al)[0]:\n"
        "    render_docx(cat.risolvi(p, r, al))\n"
        "print('CARICATO', 'docx' in sys.modules)\n"
    )
    root = SAMPLES.parent
    r = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, timeout=120,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "CER_DOCS_DATA_DIR": str(tmp_path)})
    assert "CARICATO False" in r.stdout, r.stdout + r.stderr[-2000:]
