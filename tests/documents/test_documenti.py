"""I documenti costitutivi: elementi essenziali, stesso testo in DOCX e PDF, testo ostile,
copia GSE, atto nelle tre forme, regolamento, gruppi di autoconsumatori."""

from __future__ import annotations

import io
import json
import re
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest
from aiuti_documenti import (
    AL, AL_RO2024, FORME, FORME_ATTO, ROOT, esempio, pagine_pdf, pratica_auc, pratica_ostile, stesso_testo,
    estrai_docx, estrai_pdf, variante,
)

from cer_docs.documents import catalogo as cat
from cer_docs.documents.contesti import contesto_atto, contesto_statuto as contesto_comunita
from cer_docs.documents.elementi import mancanti, requisiti
from cer_docs.documents.motore import clausole_usate
from cer_docs.documents.lettura_docx import testo_paragrafi as paragrafi_docx
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.scrittura_pdf import EVIDENZA, dati_typst, render_pdf
from cer_docs.documents.specifiche import load_spec
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.rules.base import param


def _doc(pratica, documento, al=AL, **kw):
    rs, note = cat.richieste(pratica, [documento])
    assert rs, note
    return cat.risolvi(pratica, rs[0], al, **kw)


# --------------------------------------------------------------------- elementi essenziali


@pytest.mark.parametrize("al,versione", [(AL, "ro_2025"), (AL_RO2024, "ro_2024")])
@pytest.mark.parametrize("forma", FORME)
def test_ogni_variante_dello_statuto_ha_tutti_gli_elementi(forma, al, versione):
    p = variante(forma)
    ctx = contesto_comunita(p, al)
    assert ctx.valori["elementi"]["versione"] == versione
    # 1) dai metadati delle clausole incluse
    lettere = {c.elemento_essenziale for c in clausole_usate(load_spec("statuto"), ctx)} - {None}
    assert lettere == set("abcdefg"), f"{forma}: mancano {set('abcdefg') - lettere}"
    # 2) dal documento risolto, secondo l'elenco dei requisiti della versione in vigore
    doc = _doc(p, "statuto", al)
    assert mancanti(doc, versione) == []
    assert len(requisiti(versione)) == (7 if versione == "ro_2025" else 6)


def test_la_versione_degli_elementi_cambia_il_17_luglio_2025():
    import datetime as dt

    p = esempio()
    prima = canonico(_doc(p, "statuto", dt.date(2025, 7, 16)))
    dopo = canonico(_doc(p, "statuto", dt.date(2025, 7, 17)))
    elenco = "esclusivamente i soggetti che appartengono alle seguenti categorie"
    assert elenco not in prima and elenco in dopo
    assert "fermo restando quanto stabilito dall'art. 8 per l'esercizio dei poteri di controllo" in prima
    # prima del DL 19/2025 le associazioni controllano solo se riconosciute (parametro datato)
    vecchio = canonico(_doc(p, "statuto", dt.date(2025, 1, 10)))
    assert "associazioni dotate di personalità giuridica di diritto privato" in vecchio


# --------------------------------------------------------------------- DOCX e PDF

@pytest.fixture(scope="module")
def resi():
    """I quattro documenti della pratica di riferimento e della pratica ostile, nei due formati."""
    out = {}
    for nome, p, docs in (("esempio", esempio(), cat.ORDINE), ("ostile", pratica_ostile(), cat.ORDINE),
                          ("auc", pratica_auc(), ("atto_costitutivo_gruppo",))):
        rs, _ = cat.richieste(p, list(docs))
        for r in rs:
            doc = cat.risolvi(p, r, AL)
            out[(nome, r.tipo.id)] = (doc, render_docx(doc), render_pdf(doc))
    return out


CHIAVI = [(n, d) for n in ("esempio", "ostile") for d in cat.ORDINE if d != "atto_costitutivo_gruppo"] + [
    ("auc", "atto_costitutivo_gruppo")]


@pytest.mark.parametrize("chiave", CHIAVI, ids=lambda k: f"{k[0]}-{k[1]}")
def test_docx_e_pdf_portano_lo_stesso_testo(resi, chiave):
    doc, docx, pdf = resi[chiave]
    uguale, dove = stesso_testo(docx, pdf, doc)
    assert uguale, dove


@pytest.mark.parametrize("chiave", CHIAVI, ids=lambda k: f"{k[0]}-{k[1]}")
def test_nessun_tag_residuo(resi, chiave):
    doc, docx, pdf = resi[chiave]
    for testo in (canonico(doc), estrai_docx(docx), estrai_pdf(pdf)):
        assert "\ue000" not in testo and "{%" not in testo
        # le sole graffe ammesse sono quelle scritte dall'utente, intatte
        assert testo.count("{{") == testo.count("{{ 7*7 }}")
        if chiave[0] == "ostile":
            assert testo.count("{{ 7*7 }}") >= 1


def test_docx_si_riapre_con_stili_veri(resi):
    from docx import Document

    doc, docx, _ = resi[("esempio", "regolamento")]
    d = Document(io.BytesIO(docx))
    stili = {p.style.name for p in d.paragraphs}
    assert {"Title", "Heading 2", "Normal", "Elenco lettere"} <= stili
    # «Art. 3» è l'etichetta della numerazione di Word: nel testo del paragrafo c'è «– Titolo»
    assert all(p.text.startswith("– ") for p in d.paragraphs if p.style.name == "Heading 2")
    assert any(t.startswith("Art. 3 – ") for t in paragrafi_docx(docx))
    assert d.tables and d.tables[0].style.name == "Table Grid"
    assert d.tables[0].rows[0].cells[0].text == "POD"
    sez = d.sections[0]
    assert abs(sez.page_width.mm - 210) < 0.5 and abs(sez.page_height.mm - 297) < 0.5
    assert "CER Colline della Sieve" in sez.header.paragraphs[0].text
    piede = sez.footer._element.xml
    assert "PAGE" in piede and "NUMPAGES" in piede and "pagina" in sez.footer.paragraphs[0].text
    assert "BOZZA" not in sez.first_page_header.paragraphs[0].text
    # intestazione di riga ripetuta sulle pagine successive
    assert "w:tblHeader" in d.tables[0]._tbl.xml


def test_testo_ostile_esce_letterale_in_entrambi_i_formati(resi):
    doc, docx, pdf = resi[("ostile", "atto_costitutivo")]
    td, tp = estrai_docx(docx), estrai_pdf(pdf)
    for testo in (td, tp):
        assert "Rossi & Figli <S.r.l.> {{ 7*7 }} ** # ’–€" in testo
        assert "seconda riga" in testo
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "\x0b" not in xml and "&amp; Figli &lt;S.r.l.&gt;" in xml
    assert "<w:br/>" in xml  # il tab verticale è diventato un a capo
    # verso Typst il testo viaggia come dato JSON (una stringa), mai come markup
    assert "Rossi & Figli <S.r.l.> {{ 7*7 }}" in json.dumps(dati_typst(doc), ensure_ascii=False)


def test_la_pagina_ha_numeri_e_intestazione(resi):
    doc, _, pdf = resi[("esempio", "statuto")]
    testo = estrai_pdf(pdf)
    n = pagine_pdf(pdf)
    assert n >= 5
    assert f"pagina 1 di {n}" in testo and f"pagina {n} di {n}" in testo
    assert testo.count(doc.intestazione) == n - 1  # niente intestazione sulla prima pagina


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) non installato")
@pytest.mark.slow
def test_libreoffice_converte_il_docx(resi):
    from cer_docs.documents.libreoffice import converti_in_pdf

    _, docx, _ = resi[("ostile", "regolamento")]
    pdf = converti_in_pdf(docx)
    assert pdf.startswith(b"%PDF") and pagine_pdf(pdf) >= 3
    assert "Rossi & Figli <S.r.l.> {{ 7*7 }}" in estrai_pdf(pdf)


# --------------------------------------------------------------------- copia GSE


def test_copia_gse_evidenzia_ogni_elemento_e_ha_la_mappa(resi):
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    doc, docx, pdf = resi[("esempio", "statuto_gse")]
    d = Document(io.BytesIO(docx))
    evidenziati = " ".join(r.text for p in d.paragraphs for r in p.runs
                           if r.font.highlight_color == WD_COLOR_INDEX.YELLOW)
    for frammento in ("Scopo prevalente della Comunità", "consorzi di bonifica", "possono esercitare poteri di controllo",
                      "partecipazione alla Comunità è aperta", "scegliere il proprio venditore",
                      "soggetto delegato responsabile del riparto", "la parte eccedente"):
        assert frammento in evidenziati, frammento
    # il testo non essenziale non è evidenziato
    assert "tentativo di conciliazione" not in evidenziati
    mappa = d.tables[0]
    righe = [[c.text for c in r.cells] for r in mappa.rows]
    assert [r[0] for r in righe[1:]] == ["a)", "b)", "c)", "d)", "e)", "f)", "g)"]
    assert all(r[2].startswith("art. ") for r in righe[1:])
    colori = {s.get("h") for parte in dati_typst(doc)["parti"] for b in parte["blocchi"] for s in b.get("s", [])
              if isinstance(s, dict)}
    assert EVIDENZA in colori
    # lo statuto normale non evidenzia nulla
    _, docx_n, _ = resi[("esempio", "statuto")]
    assert "w:highlight" not in zipfile.ZipFile(io.BytesIO(docx_n)).read("word/document.xml").decode()


def test_mappa_gse_nella_versione_2024():
    doc = _doc(esempio(), "statuto_gse", AL_RO2024)
    righe = [r for r in canonico(doc).splitlines() if re.match(r"^[1-6] \| ", r)]
    assert len(righe) == 6 and "NON PRESENTE" not in canonico(doc)


# --------------------------------------------------------------------- bozza


def test_bozza_ha_filigrana_e_intestazione():
    doc = _doc(esempio(), "regolamento", bozza=True)
    docx, pdf = render_docx(doc), render_pdf(doc)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        intestazioni = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
    assert "BOZZA" in intestazioni and "v:textpath" in intestazioni
    n = pagine_pdf(pdf)
    # filigrana su ogni pagina e «BOZZA –» nell'intestazione delle pagine successive alla prima
    # (la filigrana è ruotata: pdftotext la spezza in lettere, quindi si contano senza spazi)
    assert "".join(estrai_pdf(pdf).split()).count("BOZZA") >= 2 * n - 1


# --------------------------------------------------------------------- atto costitutivo


@pytest.mark.parametrize("forma_atto", FORME_ATTO)
def test_atto_costitutivo_nelle_tre_forme(forma_atto):
    p = variante("associazione_riconosciuta" if forma_atto == "atto_pubblico" else None, forma_atto)
    t = canonico(_doc(p, "atto_costitutivo"), con_evidenze=False)
    assert "Allegato A all'atto costitutivo" in t and "\nStatuto\n" in t
    assert "Mario Rossi, nato a Firenze il 12 aprile 1975, residente a San Godenzo (FI), Via del Castagno 3, " \
           "codice fiscale RSSMRA75D12D612N" in t
    assert "Giulia Bianchi, nata a Borgo San Lorenzo" in t
    assert "Comune di San Godenzo, con sede in San Godenzo (FI), Via Roma 12, codice fiscale 80012340487, " \
           "in persona di Paolo Marini" in t
    assert "quota associativa di 10,00\u00a0€ (euro dieci/00)" in t
    assert "60,00\u00a0€ (euro sessanta/00)" in t
    # lo statuto fa eleggere il Presidente dal consiglio: l'atto nomina il consiglio, che lo elegge
    assert "elegge tra i propri componenti, come prevede lo statuto, Presidente, con la legale rappresentanza " \
           "della Comunità, Giulia Bianchi" in t
    if forma_atto == "atto_pubblico":
        assert t.startswith("Repertorio n. __________ – Raccolta n. __________")
        assert "REPUBBLICA ITALIANA" in t
        assert "L'anno duemilaventicinque, il giorno venti del mese di ottobre, in San Godenzo" in t
        assert "La data del presente atto pubblico è la data di costituzione della Comunità" in t
        assert "io notaio" in t
    elif forma_atto == "scrittura_privata_registrata":
        giorni = param("registrazione_termine_giorni", AL)
        assert f"entro {giorni} (trenta) giorni dalla sottoscrizione" in t
        # la comunità nasce alla firma; la registrazione dà data certa (art. 2704 c.c.)
        assert "La Comunità è costituita con la sottoscrizione del presente atto" in t
        assert "la registrazione gli conferisce data certa nei confronti dei terzi" in t
    else:
        assert "AUTENTICA DELLE SOTTOSCRIZIONI" in t and "certifico che" in t


def test_atto_senza_dati_nascita_lascia_spazi():
    t = canonico(_doc(esempio(), "atto_costitutivo"))
    assert "in persona di Lorenzo Ferri, nato a __________ il __________" in t


def test_avviso_se_la_forma_dell_atto_non_e_quella_richiesta():
    ctx = contesto_atto(variante("cooperativa", "scrittura_privata_registrata"), AL)
    assert any("atto pubblico" in a for a in ctx.avvisi)


# --------------------------------------------------------------------- regolamento


def test_regolamento_tabelle_priorita_pnrr_e_termini():
    doc = _doc(esempio(), "regolamento")
    t = canonico(doc, con_evidenze=False)
    assert "IT001E00112233 | Comune di San Godenzo | Prosumer (consuma e produce) | Municipio | Via Roma 12, San Godenzo | AC001E00934 | sì" in t
    assert "«Fotovoltaico sulla copertura della cantina»" in t and "fv-cantina" not in t
    assert "80,0\u00a0kW" in t
    assert "attribuita in via prioritaria agli impianti finanziati" in t
    giorni = param("variazioni_configurazione_termine_giorni", AL)
    assert f"entro {giorni} (centoventi) giorni dalla data della variazione" in t
    soglie = param("quota_eccedentaria_soglia_pct", AL)
    assert f"{soglie['solo_tariffa']}% per gli impianti che percepiscono la sola tariffa premio" in t
    assert "Energia Verde Mugello S.p.A., per l'impianto" in t and "al quale spetta il 30% della tariffa premio" in t
    # senza impianti finanziati sparisce la clausola di priorità e la colonna «Esente»
    p = esempio()
    for imp in p.configurazioni[0].impianti:
        imp.contributo_pnrr = None
    t2 = canonico(_doc(p, "regolamento"), con_evidenze=False)
    assert "in via prioritaria" not in t2 and "| Esente" not in t2
    assert "Art. 8 – Impianti finanziati" not in t2


def test_gruppo_di_autoconsumatori_ha_regolamento_e_atto_del_gruppo():
    p = pratica_auc()
    rs, note = cat.richieste(p, list(cat.ORDINE))
    assert [r.tipo.id for r in rs] == ["regolamento", "atto_costitutivo_gruppo"]
    rs = rs[:1]
    assert len(note) == 3 and all("non descrive una comunità" in n for n in note)
    doc = cat.risolvi(p, rs[0], AL)
    t = canonico(doc, con_evidenze=False)
    assert "il Gruppo" in t and "contratto di diritto privato" in t
    assert "Comunità" not in t.replace("comunità energetica", "")
    assert "Letto, approvato e sottoscritto dai partecipanti" in t
    assert "Giulia Bianchi" in t.split("Letto, approvato")[-1]
    stesso, dove = stesso_testo(render_docx(doc), render_pdf(doc), doc)
    assert stesso, dove


# --------------------------------------------------------------------- varianti del contesto


@pytest.mark.parametrize("mesi,efficacia,attesa", [
    (6, "fine_esercizio", "con la chiusura dell'esercizio sociale nel corso del quale scade il preavviso di 6 (sei) mesi"),
    (1, "immediata", "alla scadenza del preavviso di 1 (uno) mese"),
    (0, "fine_esercizio", "con la chiusura dell'esercizio sociale in corso alla data di ricezione"),
    (0, "immediata", "Il recesso ha effetto dalla data di ricezione della dichiarazione."),
])
def test_varianti_del_recesso(mesi, efficacia, attesa):
    p = esempio()
    p.comunita.recesso.preavviso_mesi = mesi
    p.comunita.recesso.efficacia = efficacia
    assert attesa in canonico(_doc(p, "statuto"))


def test_riparto_non_indicato_e_delegato_diverso_dalla_comunita():
    p = esempio()
    p.comunita.riparto_benefici = None
    p.comunita.soggetto_delegato_riparto = "comune-san-godenzo"
    p.comunita.destinazione_eccedenza = ["finalita_sociali"]
    t = canonico(_doc(p, "statuto"), con_evidenze=False)
    assert "sono stabilite dal regolamento di ciascuna configurazione" in t
    assert "soggetto delegato responsabile del riparto dell'energia elettrica condivisa tra i partecipanti " \
           "alle configurazioni Comune di San Godenzo" in t
    assert "è impiegata unicamente per finalità sociali" in t and "consumatori che non sono imprese" not in t


@pytest.mark.parametrize("forma", FORME)
def test_il_verificatore_di_statuti_trova_tutti_gli_elementi(tmp_path, forma):
    """Controllo indipendente: il verificatore degli statuti (che legge il file, non i
    metadati delle clausole) trova gli elementi essenziali nel DOCX e nel PDF generati."""
    verifica = pytest.importorskip("cer_docs.documents.verifica_statuto")
    doc = _doc(variante(forma), "statuto")
    for nome, dati in (("statuto.docx", render_docx(doc)), ("statuto.pdf", render_pdf(doc))):
        f = tmp_path / nome
        f.write_bytes(dati)
        esito = verifica.verifica_file(f, AL)
        assert esito.completo, f"{forma} {nome}: mancano {[e.lettera for e in esito.mancanti]}"


def test_pratica_quasi_vuota_genera_lo_stesso_con_spazi_da_completare():
    """Una pratica appena iniziata (dall'interfaccia) produce bozze leggibili, non errori."""
    from cer_docs.model import parse_data

    p = parse_data({
        "formato": "cer-docs/pratica@1", "pratica": {"id": "nuova"},
        "comunita": {"denominazione": "CER Nuova", "atto_costitutivo": {"forma": "atto_pubblico"}},
        "configurazioni": [{"id": "c1", "punti_connessione": [], "impianti": []}],
    })
    rs, note = cat.richieste(p, list(cat.ORDINE))
    assert [r.tipo.id for r in rs] == [d for d in cat.ORDINE if d != "atto_costitutivo_gruppo"]
    for r in rs:
        ctx = cat.contesto_per(p, r, AL)
        doc = cat.risolvi(p, r, AL, contesto=ctx)
        t = canonico(doc)
        assert "None" not in t and "{{" not in t
        if r.tipo.id == "atto_costitutivo":
            assert "l'anno __________, il giorno __________ del mese di __________" in t.lower()
            assert any("fondatori" in a for a in ctx.avvisi)
        render_docx(doc)


def test_allegato_condivide_le_pagine_e_il_parallelo_non_cambia_i_byte():
    import cer_docs.documents.parallelo as par
    from cer_docs.documents.scrittura_pdf import Impaginatore, _inclusione_finale

    p = esempio()
    rs, _ = cat.richieste(p, ["statuto", "atto_costitutivo", "regolamento", "statuto_gse"])
    docs = [cat.risolvi(p, r, AL) for r in rs]
    # lo statuto allegato all'atto (con frontespizio) si impagina a parte: ha il suo piè di
    # pagina («Allegato A – Statuto – pagina X di Y») e le firme delle parti in fondo
    assert _inclusione_finale(docs[1]) is not None and _inclusione_finale(docs[3]) is None
    assert par._gruppi(docs) == [[0], [1], [2], [3]]
    # i PDF nei thread (Typst lascia libero il GIL) sono identici a quelli fatti uno dopo l'altro
    piccoli = [docs[2], cat.risolvi(pratica_auc(), cat.richieste(pratica_auc(), ["regolamento"])[0][0], AL)]
    in_parallelo = par.render_pdf_molti(piccoli)
    assert in_parallelo == [Impaginatore().pdf(d) for d in piccoli]
    assert par.thread_di_impaginazione(2) == min(2, os.cpu_count() or 1) or (os.cpu_count() or 1) == 1


def test_i_pdf_nei_thread_hanno_ciascuno_il_suo_compilatore():
    """Un ``Compiler`` di Typst non accetta compilazioni concorrenti («Already borrowed»): ogni thread
    ha il suo; i caratteri si caricano una volta sola."""
    import threading

    from cer_docs.documents import scrittura_pdf as sp

    visti: dict[str, object] = {}
    caratteri = []

    def prendi(nome: str) -> None:
        visti[nome] = sp._compilatore()
        caratteri.append(sp._caratteri_typst())

    fili = [threading.Thread(target=prendi, args=(f"t{i}",)) for i in range(3)]
    for f in fili:
        f.start()
    for f in fili:
        f.join()
    assert len({id(c) for c in visti.values()}) == 3
    assert len({id(c) for c in caratteri}) == 1


def test_le_arene_di_malloc_si_limitano_solo_per_molti_pdf(monkeypatch, tmp_path):
    """Con molti PDF (il pacchetto di una CER grande) i thread di Typst non moltiplicano le arene di
    malloc (memoria piatta); con pochi non si carica nemmeno ``ctypes``."""
    import cer_docs.documents.parallelo as par

    chiamate = []
    monkeypatch.setattr(par, "limita_arene_malloc", lambda: chiamate.append(1))
    p = esempio()
    doc = cat.risolvi(p, cat.richieste(p, ["regolamento"])[0][0], AL)
    for attesi, atteso in ((3, []), (par.PDF_PER_LIMITARE_LE_ARENE, [1])):
        chiamate.clear()
        resa = par.ResaSuDisco(thread=2, attesi=attesi)
        resa.aggiungi(par.Lavoro(doc, "pdf", tmp_path / f"r{attesi}.pdf"))
        resa.completa()
        assert chiamate == atteso
        assert (tmp_path / f"r{attesi}.pdf").read_bytes().startswith(b"%PDF")
