"""Il PDF dei documenti risolti fatto con Typst: pagine, intestazioni, numerazione, allegato,
evidenze della copia GSE, caratteri, segnalibri, e nessun WeasyPrint in ``cer-docs genera``."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from aiuti_documenti import AL, ESEMPIO, ROOT, esempio

from cer_docs.documents import catalogo as cat
from cer_docs.documents.scrittura_pdf import Impaginatore, render_pdf
from cer_docs.documents.struttura import titolo_metadati

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) non installato")


@pytest.fixture(scope="module")
def docs():
    p = esempio()
    rs, _ = cat.richieste(p, ["statuto", "atto_costitutivo", "statuto_gse", "regolamento"])
    imp = Impaginatore()
    return {r.tipo.id: (d, imp.pdf(d)) for r in rs for d in [cat.risolvi(p, r, AL)]}


def _pagine(pdf: bytes) -> list[str]:
    """Il testo di ogni pagina (pdftotext, una pagina alla volta). Lo stderr di poppler non conta:
    sui PDF di Typst poppler 22 avvisa «Syntax Error: Suspects object is wrong type»."""
    from pypdf import PdfReader

    n = len(PdfReader(io.BytesIO(pdf)).pages)
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "d.pdf"
        f.write_bytes(pdf)
        return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-raw", "-enc", "UTF-8", str(f), "-"],
                               check=True, capture_output=True).stdout.decode("utf-8") for i in range(1, n + 1)]


def test_intestazione_e_numerazione_pagina_per_pagina(docs):
    doc, pdf = docs["statuto"]
    pagine = _pagine(pdf)
    n = len(pagine)
    assert n >= 5
    for i, testo in enumerate(pagine, 1):
        assert f"pagina {i} di {n}" in testo, i
        # l'intestazione ricorrente dalla seconda pagina
        assert (doc.intestazione in testo) == (i > 1), i


def test_lo_statuto_allegato_all_atto_ha_la_sua_numerazione(docs):
    doc, pdf = docs["atto_costitutivo"]
    allegato = next(i for i in doc.inclusi if i.allegato).documento
    pagine = _pagine(pdf)
    dell_atto = [t for t in pagine if "Allegato A – Statuto – pagina" not in t]
    dell_allegato = [t for t in pagine if "Allegato A – Statuto – pagina" in t]
    assert dell_atto and dell_allegato and pagine == dell_atto + dell_allegato
    for i, t in enumerate(dell_atto, 1):
        assert f"pagina {i} di {len(dell_atto)}" in t
        assert (doc.intestazione in t) == (i > 1)
    for i, t in enumerate(dell_allegato, 1):
        assert f"Allegato A – Statuto – pagina {i} di {len(dell_allegato)}" in t
        # il frontespizio dell'allegato è la sua prima pagina: senza intestazione, come un documento a sé
        assert (allegato.intestazione in t) == (i > 1), i
    assert "Allegato A" in dell_allegato[0] and "Art. 1" not in dell_allegato[0]


def test_bozza_intestazione_anche_sulla_prima_pagina(docs):
    doc, _ = docs["regolamento"]
    pagine = _pagine(render_pdf(dataclasses.replace(doc, bozza=True)))
    assert all(f"BOZZA – {doc.intestazione}" in t for t in pagine)


def _pixel(pdf: bytes, pagine: int, colore) -> int:
    """Quanti pixel del colore (r, g, b) ci sono nelle prime pagine, rese a 40 dpi."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "d.pdf"
        f.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", str(pagine), str(f), str(Path(tmp) / "p")],
                       check=True, capture_output=True)
        n = 0
        for png in Path(tmp).glob("p*.png"):
            b = Image.open(png).convert("RGB").tobytes()
            n += sum(1 for px in zip(b[0::3], b[1::3], b[2::3]) if all(abs(x - c) <= 12 for x, c in zip(px, colore)))
        return n


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm non installato")
def test_la_copia_gse_evidenzia_in_giallo_e_lo_statuto_no(docs):
    giallo = (0xFF, 0xF2, 0x00)
    assert _pixel(docs["statuto_gse"][1], 3, giallo) > 200
    assert _pixel(docs["statuto"][1], 3, giallo) == 0


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm non installato")
def test_i_dati_mancanti_sono_evidenziati_anche_nel_pdf():
    from cer_docs.documents.struttura import Documento, Paragrafo, Segmento

    doc = Documento(tipo="prova", titolo="Prova", intestazione="CER")
    doc.blocchi.append(Paragrafo(segmenti=[Segmento("Nato a "), Segmento("__________", da_completare=True)]))
    assert _pixel(render_pdf(doc), 1, (0xFF, 0xF2, 0x00)) > 10
    assert _pixel(render_pdf(dataclasses.replace(doc, evidenzia=True)), 1, (0x40, 0xE0, 0xD0)) > 10


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts non installato")
def test_solo_caratteri_liberation_nessun_carattere_incorporato_di_typst(docs):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "d.pdf"
        f.write_bytes(docs["atto_costitutivo"][1])
        # stderr ignorato: avviso innocuo di poppler 22 sui PDF di Typst
        righe = subprocess.run(["pdffonts", str(f)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    nomi = {r.split()[0].split("+")[-1] for r in righe}
    assert nomi and all(n.startswith("LiberationSerif") for n in nomi), nomi


def test_metadati_lingua_e_segnalibri(docs):
    from pypdf import PdfReader

    doc, pdf = docs["statuto"]
    r = PdfReader(io.BytesIO(pdf))
    assert r.metadata.title == titolo_metadati(doc)
    assert str(r.trailer["/Root"].get("/Lang", "")).lower().startswith("it")
    # titolo → sezioni («Titolo I – …») → articoli
    radice = r.outline
    assert str(radice[0].title) == "Statuto" and isinstance(radice[1], list)
    sezioni = [o for o in radice[1] if not isinstance(o, list)]
    assert sezioni[0].title.startswith("Titolo I")
    articoli = radice[1][1]
    assert isinstance(articoli, list) and articoli[0].title == "Art. 1 – Costituzione e natura"


def test_genera_non_importa_weasyprint(tmp_path):
    """``cer-docs genera`` di tutto il pacchetto (dossier compreso) senza WeasyPrint nel processo."""
    codice = (
        "import sys, json\n"
        "from cer_docs.cli import main\n"
        "try:\n"
        f"    main(['genera', {str(ESEMPIO)!r}, '--out', {str(tmp_path / 'out')!r}, '--al', '2025-10-20'])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'pydyf'))))\n"
    )
    r = subprocess.run([sys.executable, "-c", codice], capture_output=True, text=True, timeout=600, cwd=str(ROOT),
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout.strip().splitlines()[-1]) == []
    m = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert (tmp_path / "out" / m["dossier"]["pdf"]["file"]).is_file()


def test_rinumerare_non_tocca_le_stringhe():
    from cer_docs.services.documenti_dossier import _rinumera

    assert _rinumera(b"<</T(vedi 5 0 R \\) 6 0 R)/A 5 0 R/K[1 0 R 2 0 R]/H<3520>>>", 10) == \
        b"<</T(vedi 5 0 R \\) 6 0 R)/A 15 0 R/K[11 0 R 12 0 R]/H<3520>>>"


def test_dossier_con_un_pdf_non_di_typst_si_unisce_con_pypdf(tmp_path, docs):
    from pypdf import PdfReader, PdfWriter

    from cer_docs.services import documenti_dossier as dos

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.add_blank_page(595, 842)
    altro = io.BytesIO()
    w.write(altro)
    voci = [dos.VoceDossier("statuto", "Statuto", "statuto.pdf", docs["statuto"][1]),
            dos.VoceDossier("altro", "Altro", "altro.pdf", altro.getvalue())]
    n = dos.pdf_unico_su_file(voci, tmp_path / "d.pdf", "Dossier", "CER")
    r = PdfReader(tmp_path / "d.pdf")
    assert n == len(r.pages) == 1 + len(PdfReader(io.BytesIO(docs["statuto"][1])).pages) + 2
    assert [o.title for o in r.outline if not isinstance(o, list)] == ["Indice", "Statuto", "Altro"]


def test_una_tabella_enorme_si_impagina_a_pezzi_con_la_numerazione_giusta(monkeypatch):
    """Il registro di migliaia di membri si impagina a pezzi (memoria di Typst): stesse righe,
    «pagina X di Y» giusto su ogni pagina, un solo PDF con i segnalibri del documento."""
    from pypdf import PdfReader

    from aiuti_documenti import stesso_testo
    from cer_docs.documents import scrittura_pdf as sp
    from cer_docs.documents.scrittura_docx import render_docx
    sys.path.insert(0, str(ROOT))
    from bench.genera_pratica import genera_pratica

    p = genera_pratica(120)
    # il libro alla data elenca solo gli ammessi a quella data: lo si chiede quando lo sono tutti
    al = max([AL] + [m.data_adesione for m in p.membri if m.data_adesione])
    r = cat.richieste(p, ["registro_membri"], al)[0][0]
    doc = cat.risolvi(p, r, al)
    monkeypatch.setattr(sp, "RIGHE_OLTRE_CUI_A_PEZZI", 50)
    monkeypatch.setattr(sp, "RIGHE_PER_PEZZO", 40)
    assert len(sp._pezzi(doc)) == 3
    pdf, n = sp.Impaginatore().pdf_e_pagine(doc)
    r = PdfReader(io.BytesIO(pdf), strict=True)
    assert n == len(r.pages) and r.metadata.title == titolo_metadati(doc)
    assert [o.title for o in r.outline if not isinstance(o, list)] == [doc.blocchi[0].testo]
    pagine = _pagine(pdf)
    for i, t in enumerate(pagine, 1):
        assert f"pagina {i} di {n}" in t
        assert (doc.intestazione in t) == (i > 1)
    uguale, dove = stesso_testo(render_docx(doc), pdf, doc)
    assert uguale, dove


# ----------------------------------------------------------------------------- pagine: ciò che resta unito

def _riempito(righe: int, *coda) -> "Documento":
    """Un documento con ``righe`` paragrafi di una riga e poi ``coda``: al variare di ``righe`` la
    coda cade in ogni punto della pagina, anche a cavallo di due pagine."""
    from cer_docs.documents.struttura import Documento, Paragrafo, Segmento

    doc = Documento(tipo="prova", titolo="Prova", intestazione="CER Prova")
    doc.blocchi += [Paragrafo([Segmento(f"Riga di riempimento numero {i}.")]) for i in range(righe)]
    doc.blocchi += list(coda)
    return doc


@pytest.mark.parametrize("firmatari, intestazione, righe_finali", [
    (1, "Il dichiarante", 3),                    # DSAN
    (6, None, 3),                                # statuto allegato all'atto: sei fondatori, senza intestazione
    (2, "Letto, approvato e sottoscritto", 12),  # accordo, mandato: un ultimo paragrafo lungo
    (13, None, 2),                               # tanti firmatari: le firme si possono spezzare, ma non da sole
])
def test_le_firme_non_restano_mai_sole_su_una_pagina(firmatari, intestazione, righe_finali):
    """Revisione del notaio (rilievi 4 e 5): il blocco delle firme, con la sua intestazione e il
    luogo e la data, non si spezza e resta sulla pagina di almeno l'ultimo paragrafo del testo."""
    from cer_docs.documents.struttura import Firma, Firme, Paragrafo, Segmento

    for righe in range(18, 40):
        doc = _riempito(righe,
                        Paragrafo([Segmento("Ultimo paragrafo " + "parola " * (13 * righe_finali) + "FINETESTO.")]),
                        Paragrafo([Segmento("Firenze, "), Segmento("__________", da_completare=True)], allineamento="destra"),
                        Firme([Firma(f"Nome Firmatario{j}", "qualifica") for j in range(firmatari)], intestazione=intestazione))
        pagine = _pagine(render_pdf(doc))
        dove = (firmatari, righe)
        prima = next(i for i, t in enumerate(pagine) if "Firmatario" in t or "Firenze" in t)
        assert "FINETESTO" in pagine[prima], dove
        assert all(f"Firmatario{j}" in "".join(pagine) for j in range(firmatari)), dove
        if intestazione:
            assert intestazione in pagine[prima] and "Firmatario0" in pagine[prima], dove
        if firmatari <= 6:
            assert all(f"Firmatario{j}" in pagine[prima] for j in range(firmatari)), dove
        else:  # un blocco più alto di mezza pagina si spezza, ma le prime firme restano col testo
            assert "Firmatario1" in pagine[prima], dove


def test_la_frase_che_introduce_un_elenco_o_una_tabella_non_resta_in_fondo_alla_pagina():
    """Rilievo 18: il titolo di sezione e la frase che finisce con «:» restano con la prima voce
    dell'elenco; il paragrafo prima di una tabella resta con la sua prima riga."""
    from cer_docs.documents.struttura import Colonna, Elenco, Intestazione, Paragrafo, Segmento, Tabella, Voce

    for righe in range(30, 46):
        doc = _riempito(righe, Intestazione("Conservazione"),
                        Paragrafo([Segmento("I dati sono conservati per tempi diversi a seconda della finalità:")]),
                        Elenco([Voce(f"{c})", [Segmento(f"VOCE{c} " + "parola " * 20)]) for c in "abcde"], lettere=True))
        pagine = _pagine(render_pdf(doc))
        p = next(i for i, t in enumerate(pagine) if "seconda della finalità:" in t)
        assert "Conservazione" in pagine[p] and "VOCEa" in pagine[p], righe
        doc = _riempito(righe, Paragrafo([Segmento("Gli impianti sono indicati nella tabella seguente.")]),
                        Tabella([Colonna("Impianto"), Colonna("Potenza")], [[f"RIGA{i}", "10 kW"] for i in range(4)]))
        pagine = _pagine(render_pdf(doc))
        p = next(i for i, t in enumerate(pagine) if "tabella seguente" in t)
        assert "RIGA0" in pagine[p], righe


def test_la_voce_che_introduce_un_sottoelenco_resta_con_lui():
    """DSAN: «• … degli impianti seguenti:» (un elenco) e «a) Impianto …» (l'elenco che segue)."""
    from cer_docs.documents.struttura import Elenco, Segmento, Voce

    for righe in range(30, 46):
        doc = _riempito(righe, Elenco([Voce(None, [Segmento("prima voce;")]),
                                       Voce(None, [Segmento("di essere titolare degli impianti seguenti:")])]),
                        Elenco([Voce("a)", [Segmento("IMPIANTO uno " + "parola " * 30)])], lettere=True))
        pagine = _pagine(render_pdf(doc))
        p = next(i for i, t in enumerate(pagine) if "impianti seguenti:" in t)
        assert "IMPIANTO" in pagine[p], righe


def test_i_codici_non_vanno_a_capo_al_trattino_o_alla_barra():
    """Rilievo 12: «PNRR-CER-0001234», «2003/361/CE», «20/11/2025» restano su una riga (copiati dal
    PDF danno il codice esatto), e un trattino isolato («I1.2 - Promozione») non chiude una riga;
    le parole della prosa («socio-lavoratore») si possono ancora spezzare."""
    from cer_docs.documents.struttura import Documento, Elenco, Paragrafo, Segmento, Voce

    codici = ("PNRR-CER-0001234", "2003/361/CE", "20/11/2025")
    doc = Documento(tipo="prova", titolo="Prova", intestazione="CER Prova")
    for n in range(0, 60, 2):  # il codice cade in ogni punto della riga
        prima = "x" * (n % 9) + " parola" * (n // 2)
        doc.blocchi.append(Paragrafo([Segmento(f"{prima} codice {codici[n % 3]}; fondi M2C2 – I1.2 - Promozione.")]))
        doc.blocchi.append(Elenco([Voce("a)", [Segmento(prima + " codice "), Segmento(codici[(n + 1) % 3], grassetto=True),
                                               Segmento(" fine.")])], lettere=True))
    righe = [r.strip() for p in _pagine(render_pdf(doc)) for r in p.splitlines()]
    testo = "\n".join(righe)
    assert testo.count("PNRR-CER-0001234") == 20 and testo.count("2003/361/CE") == 20 and testo.count("20/11/2025") == 20
    assert not [r for r in righe if r.endswith(" -")]
    assert testo.count("- Promozione") == 30


def test_un_titolo_su_due_righe_non_lascia_una_parola_sola():
    """Rilievo 23: «Dichiarazione sostitutiva di certificazione e dell'atto di / notorietà»: le righe
    di un titolo (e dei sottotitoli) che va a capo hanno lunghezza simile."""
    from cer_docs.documents.struttura import Documento, Paragrafo, Segmento, Titolo

    titoli = ["Dichiarazione sostitutiva di certificazione e dell'atto di notorietà",
              "Accordo per la messa a disposizione di impianti di produzione"]
    titoli += [" ".join(["Titolo"] + [f"parola{'x' * (i % 4)}" for i in range(n)]) for n in range(5, 14)]
    for titolo in titoli:
        doc = Documento(tipo="prova", titolo="Prova", intestazione="CER Prova")
        doc.blocchi += [Titolo(titolo, ["SOTTO " + titolo]), Paragrafo([Segmento("Testo.")])]
        righe = [r.strip() for r in _pagine(render_pdf(doc))[0].splitlines()]
        sotto = next(i for i, r in enumerate(righe) if r.startswith("SOTTO"))
        for parte, attese in ((righe[:sotto], titolo.split()), (righe[sotto:righe.index("Testo.")], ["SOTTO", *titolo.split()])):
            assert " ".join(parte).split() == attese, parte
            if len(parte) > 1:
                assert len(parte[-1].split()) > 1, parte


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm non installato")
def test_il_nome_da_completare_di_un_firmatario_e_evidenziato():
    """Rilievo 19: il nome del segretario della riunione ancora da scrivere («__________») è
    evidenziato come ogni altro dato mancante, nel PDF e nel DOCX."""
    from cer_docs.documents.motore import LACUNA
    from cer_docs.documents.scrittura_docx import render_docx
    from cer_docs.documents.struttura import Documento, Firma, Firme

    doc = Documento(tipo="prova", titolo="Prova", intestazione="CER")
    doc.blocchi.append(Firme([Firma("Giulia Bianchi", "il Presidente"), Firma(LACUNA, "il segretario della riunione")]))
    assert _pixel(render_pdf(doc), 1, (0xFF, 0xF2, 0x00)) > 10
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(render_docx(doc))).read("word/document.xml").decode()
    assert xml.count("w:highlight") == 1 and xml.index("w:highlight") < xml.index(LACUNA)
    senza = Documento(tipo="prova", titolo="Prova", intestazione="CER", blocchi=[Firme([Firma("Giulia Bianchi")])])
    assert _pixel(render_pdf(senza), 1, (0xFF, 0xF2, 0x00)) == 0


def test_la_tabella_degli_elementi_essenziali_non_lascia_il_comma_solo(docs):
    """Rilievo 24: nella copia GSE «… commi 1, 2 e 3» e «… comma 1» non vanno a capo da soli."""
    righe = [r.strip() for r in _pagine(docs["statuto_gse"][1])[0].splitlines()]
    assert any(r.endswith("commi 1, 2 e 3") for r in righe), righe
    assert not [r for r in righe if r in ("1", "2", "3", "comma 1", "e 3")]


def test_la_colonna_si_misura_sulla_parola_piu_larga_non_sulla_prima_lunga_uguale():
    """Nel registro «NNCLCU72L02D612W» usciva dal bordo: la colonna era misurata su «BRTGLI80C54D612H»,
    lunga uguale ma più stretta."""
    from cer_docs.documents.scrittura_pdf import _parola_piu_lunga

    assert _parola_piu_lunga(["BRTGLI80C54D612H", "NNCLCU72L02D612W"]) == "NNCLCU72L02D612W"
    assert _parola_piu_lunga(["Via Roma 1", "Mugnai"]) == "Mugnai"
