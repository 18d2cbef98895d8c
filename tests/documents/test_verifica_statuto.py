"""Verifica degli elementi essenziali dello statuto su testi scritti in modi diversi.

Gli statuti di prova stanno in ``tests/fixtures/statuti/`` come testo; qui diventano DOCX
(python-docx con stili Titolo, come il nostro generatore) e PDF (WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from cer_docs.documents.verifica_statuto import (
    ErroreLetturaStatuto,
    ParagrafoStatuto,
    carica_versioni,
    estrai_paragrafi,
    paragrafi_da_righe,
    verifica_file,
    verifica_paragrafi,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statuti"
AL_2025 = dt.date(2025, 10, 20)
AL_2024 = dt.date(2025, 1, 10)
LETTERE_2025 = list("abcdefg")


# --- costruzione dei file di prova -------------------------------------------------------


def blocchi(nome: str) -> list[tuple[str, str]]:
    """Il testo di prova come lista di (tipo, testo): titolo, articolo, paragrafo, voce."""
    out: list[tuple[str, str]] = []
    corrente: list[str] = []

    def chiudi() -> None:
        if corrente:
            out.append(("paragrafo", " ".join(corrente)))
            corrente.clear()

    for riga in (FIXTURES / nome).read_text(encoding="utf-8").splitlines():
        r = riga.strip()
        if not r:
            chiudi()
        elif r.startswith("= "):
            chiudi()
            out.append(("titolo", r[2:]))
        elif r.startswith("# "):
            chiudi()
            out.append(("articolo", r[2:]))
        elif r.startswith("- "):
            chiudi()
            out.append(("voce", r[2:]))
        else:
            corrente.append(r)
    chiudi()
    return out


def senza(bl: list[tuple[str, str]], *frammenti: str) -> list[tuple[str, str]]:
    """Toglie i paragrafi che contengono uno dei frammenti."""
    return [b for b in bl if not any(f in b[1] for f in frammenti)]


def scrivi_docx(bl: list[tuple[str, str]], path: Path) -> Path:
    d = docx.Document()
    for tipo, testo in bl:
        if tipo == "titolo":
            d.add_heading(testo, level=0)
        elif tipo == "articolo":
            d.add_heading(testo, level=2)
        elif tipo == "voce":
            d.add_paragraph(testo, style="List Bullet")
        else:
            d.add_paragraph(testo)
    d.save(str(path))
    return path


CSS = """
@page { size: A4; margin: 2.5cm 2cm; @bottom-center { content: "Pagina " counter(page) " di " counter(pages); } }
body { font-family: serif; font-size: 11pt; line-height: 1.4; text-align: justify; hyphens: auto; }
h1 { font-size: 14pt; text-align: center; } h2 { font-size: 11pt; margin: 1em 0 0.3em; }
p { margin: 0 0 0.6em; }
"""


def scrivi_pdf(bl: list[tuple[str, str]], path: Path) -> Path:
    from weasyprint import HTML

    parti = [f"<!doctype html><html lang='it'><head><meta charset='utf-8'><style>{CSS}</style></head><body>"]
    in_elenco = False
    for tipo, testo in bl:
        t = html.escape(testo)
        if tipo == "voce" and not in_elenco:
            parti.append("<ul>")
            in_elenco = True
        elif tipo != "voce" and in_elenco:
            parti.append("</ul>")
            in_elenco = False
        parti.append({"titolo": f"<h1>{t}</h1>", "articolo": f"<h2>{t}</h2>",
                      "voce": f"<li>{t}</li>"}.get(tipo, f"<p>{t}</p>"))
    if in_elenco:
        parti.append("</ul>")
    parti.append("</body></html>")
    HTML(string="".join(parti)).write_pdf(str(path))
    return path


def esiti(path: Path, al: dt.date = AL_2025) -> dict[str, object]:
    return {e.lettera: e for e in verifica_file(path, al).elementi}


def presenti(path: Path, al: dt.date = AL_2025) -> dict[str, bool]:
    return {k: e.presente for k, e in esiti(path, al).items()}


@pytest.fixture(scope="module")
def cartella(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("statuti")


@pytest.fixture(scope="module")
def pdf_diverso(cartella: Path) -> Path:
    return scrivi_pdf(blocchi("diverso.txt"), cartella / "diverso.pdf")


@pytest.fixture(scope="module")
def pdf_notarile(cartella: Path) -> Path:
    return scrivi_pdf(blocchi("notarile.txt"), cartella / "notarile.pdf")


# --- statuti completi e incompleti -------------------------------------------------------


@pytest.mark.parametrize("nome", ["notarile.txt", "diverso.txt"])
def test_statuto_completo_docx_ha_tutti_gli_elementi(nome: str, tmp_path: Path) -> None:
    esito = verifica_file(scrivi_docx(blocchi(nome), tmp_path / "s.docx"), AL_2025)
    assert [e.lettera for e in esito.elementi] == LETTERE_2025
    mancanti = {e.lettera: e.concetti_mancanti for e in esito.mancanti}
    assert mancanti == {}
    assert esito.completo
    for e in esito.elementi:
        assert e.passaggio and e.riferimento.startswith("Regole Operative GSE 2025")


def test_statuto_con_parole_diverse_in_pdf_ha_tutti_gli_elementi(pdf_diverso: Path) -> None:
    assert presenti(pdf_diverso) == dict.fromkeys(LETTERE_2025, True)


def test_statuto_notarile_in_pdf_ha_tutti_gli_elementi(pdf_notarile: Path) -> None:
    assert presenti(pdf_notarile) == dict.fromkeys(LETTERE_2025, True)


def test_il_passaggio_e_quello_giusto(tmp_path: Path) -> None:
    e = esiti(scrivi_docx(blocchi("notarile.txt"), tmp_path / "s.docx"))
    assert "recedere dalla Comunità in qualsiasi momento" in e["e"].passaggio
    assert "equi e proporzionati" in e["e"].passaggio
    assert "soggetto delegato responsabile del riparto" in e["f"].passaggio
    assert "ai soli consumatori diversi dalle imprese" in e["g"].passaggio
    assert e["c"].passaggio.startswith("I poteri di controllo sulla Comunità")
    assert "consorzi di bonifica" in e["b"].passaggio
    # il passaggio è breve: non l'intero statuto
    assert all(len(x.passaggio) < 2000 for x in e.values())


def test_statuto_incompleto_segnala_uscita_e_eccedenza(tmp_path: Path) -> None:
    e = esiti(scrivi_docx(blocchi("incompleto.txt"), tmp_path / "s.docx"))
    assert {k: v.presente for k, v in e.items()} == {
        "a": True, "b": True, "c": True, "d": True, "e": False, "f": True, "g": False}
    assert e["e"].concetti_mancanti == [
        "possibilità di uscire o recedere in qualsiasi momento",
        "per l'uscita anticipata solo corrispettivi equi e proporzionati, concordati per gli "
        "investimenti condivisi",
    ]
    assert "i soci mantengono i diritti di cliente finale" in e["e"].concetti_trovati
    assert any("in qualsiasi momento" in c for c in e["e"].cosa_scrivere)
    assert "quota eccedente la soglia" in e["g"].concetti_mancanti
    assert e["g"].cosa_scrivere and "non sono imprese" in " ".join(e["g"].cosa_scrivere)


def test_statuto_incompleto_anche_in_pdf(tmp_path: Path) -> None:
    p = scrivi_pdf(blocchi("incompleto.txt"), tmp_path / "s.pdf")
    assert [k for k, v in presenti(p).items() if not v] == ["e", "g"]


@pytest.mark.parametrize("nome, frammenti", [
    ("notarile.txt", ("può recedere dalla Comunità",)),
    ("diverso.txt", ("lasciare la cooperativa in ogni tempo",)),
])
def test_togliere_il_recesso_fa_mancare_l_elemento_e(nome: str, frammenti: tuple[str, ...], tmp_path: Path) -> None:
    p = scrivi_docx(senza(blocchi(nome), *frammenti), tmp_path / "s.docx")
    e = esiti(p)
    assert [k for k, v in e.items() if not v.presente] == ["e"]
    assert e["e"].concetti_mancanti == ["possibilità di uscire o recedere in qualsiasi momento"]


def test_togliere_l_eccedenza_fa_mancare_g(tmp_path: Path) -> None:
    p = scrivi_docx(senza(blocchi("notarile.txt"), "eccede il valore soglia"), tmp_path / "s.docx")
    assert [k for k, v in presenti(p).items() if not v] == ["g"]


def test_l_organo_di_controllo_non_vale_come_poteri_di_controllo(tmp_path: Path) -> None:
    """Tolto l'articolo sui poteri di controllo restano «organo di controllo» e «controllo
    contabile»: non bastano per l'elemento c)."""
    p = scrivi_docx(senza(blocchi("notarile.txt"), "Art. 7 – Poteri", "I poteri di controllo sulla"), tmp_path / "s.docx")
    e = esiti(p)
    assert [k for k, v in e.items() if not v.presente] == ["c"]
    assert "chi esercita i poteri di controllo" in e["c"].concetti_mancanti


def test_una_negazione_non_vale_come_recesso_libero(tmp_path: Path) -> None:
    bl = [(t, "Il socio non può recedere prima che siano trascorsi cinque anni dall'ingresso; "
              "dopo tale termine il recesso è ammesso con preavviso di sei mesi.")
          if "può recedere dalla Comunità" in s else (t, s) for t, s in blocchi("notarile.txt")]
    e = esiti(scrivi_docx(bl, tmp_path / "s.docx"))
    assert not e["e"].presente
    assert "possibilità di uscire o recedere in qualsiasi momento" in e["e"].concetti_mancanti


def test_scopo_di_lucro_dichiarato_non_vale(tmp_path: Path) -> None:
    bl = [(t, "La Comunità ha lo scopo di generare benefici economici per i propri associati "
              "e di massimizzare i profitti finanziari della gestione.")
          if s.startswith("La Comunità si propone") else (t, s) for t, s in blocchi("notarile.txt")]
    e = esiti(scrivi_docx(bl, tmp_path / "s.docx"))
    assert not e["a"].presente
    assert e["a"].concetti_mancanti == ["nessuno scopo di profitto finanziario"]


def test_elenco_soci_troppo_corto(tmp_path: Path) -> None:
    bl = [("articolo", "Art. 1 – Soci"),
          ("paragrafo", "Possono essere soci le persone fisiche e le piccole e medie imprese.")]
    e = esiti(scrivi_docx(bl, tmp_path / "s.docx"))
    assert not e["b"].presente
    assert e["b"].concetti_mancanti[0] == "enti territoriali, autorità locali o comuni"


# --- versioni per data -------------------------------------------------------------------


def test_versioni_e_date_dai_dati() -> None:
    versioni = carica_versioni()
    assert [(v.id, v.dal) for v in versioni] == [
        ("ro-2024", dt.date(2024, 2, 23)), ("ro-2025", dt.date(2025, 7, 17))]
    assert [len(v.elementi) for v in versioni] == [6, 7]


def test_date_coerenti_con_il_parametro_delle_regole() -> None:
    """Se rules/params/ dichiara da quando vale ogni versione degli elementi, le date coincidono."""
    from cer_docs.rules import base

    parametro = base.tutti_i_parametri().get("statuto_elementi_versione")
    if parametro is None:
        pytest.skip("parametro statuto_elementi_versione non ancora definito")
    assert [v.dal for v in parametro.voci] == [v.dal for v in carica_versioni()]


def test_ogni_elemento_ha_fonti_censite_e_consigli() -> None:
    """Le fonti del file YAML esistono in rules/fonti/ e ogni concetto dice cosa scrivere."""
    for v in carica_versioni():
        assert v.riferimento.startswith("Regole Operative GSE")
        for e in v.elementi:
            assert e.riferimento.startswith(v.riferimento.split(",")[0]), e.lettera
            assert e.concetti and all(c.se_manca and c.cerca for c in e.concetti)


@pytest.mark.parametrize("al, lettere", [
    (dt.date(2025, 7, 16), list("abcdef")),
    (dt.date(2025, 7, 17), LETTERE_2025),
])
def test_la_data_sceglie_la_versione(al: dt.date, lettere: list[str], tmp_path: Path) -> None:
    esito = verifica_file(scrivi_docx(blocchi("notarile.txt"), tmp_path / "s.docx"), al)
    assert [e.lettera for e in esito.elementi] == lettere
    assert esito.completo


def test_ro_2024_soci_e_controllo_insieme(tmp_path: Path) -> None:
    p = scrivi_docx(senza(blocchi("notarile.txt"), "Art. 7 – Poteri", "I poteri di controllo sulla"), tmp_path / "s.docx")
    e = esiti(p, AL_2024)
    assert e["b"].titolo.startswith("Soci che esercitano i poteri di controllo")
    assert not e["b"].presente
    assert e["b"].riferimento.startswith("Regole Operative GSE 2024")
    assert e["d"].titolo.startswith("Diritti di cliente finale")  # le lettere scalano di uno


def test_data_anteriore_alle_regole(tmp_path: Path) -> None:
    p = scrivi_docx(blocchi("notarile.txt"), tmp_path / "s.docx")
    with pytest.raises(ValueError, match="Nessuna versione delle Regole Operative"):
        verifica_file(p, dt.date(2023, 12, 31))


# --- estrazione: DOCX reali di studio e PDF ----------------------------------------------


def _paragrafo_con_testo(d: docx.document.Document, frammento: str):
    for p in d.paragraphs:
        if frammento in p.text:
            return p
    raise AssertionError(frammento)


def _avvolgi_runs(p, tag: str) -> None:
    """Mette tutti i run del paragrafo dentro una revisione w:ins o w:del (come Word)."""
    runs = list(p._p.findall(qn("w:r")))
    rev = p._p.makeelement(qn(tag), {qn("w:id"): "1", qn("w:author"): "Notaio",
                                     qn("w:date"): "2025-10-01T10:00:00Z"})
    for r in runs:
        if tag == "w:del":
            for t in r.findall(qn("w:t")):
                t.tag = qn("w:delText")
        rev.append(r)
    p._p.append(rev)


def test_revisioni_del_notaio_contano_solo_le_parti_inserite(tmp_path: Path) -> None:
    bl = blocchi("notarile.txt")
    d = docx.Document(str(scrivi_docx(bl, tmp_path / "base.docx")))
    _avvolgi_runs(_paragrafo_con_testo(d, "può recedere dalla Comunità"), "w:del")
    d.save(str(tmp_path / "cancellato.docx"))
    assert [k for k, v in presenti(tmp_path / "cancellato.docx").items() if not v] == ["e"]

    d = docx.Document(str(scrivi_docx(bl, tmp_path / "base.docx")))
    _avvolgi_runs(_paragrafo_con_testo(d, "può recedere dalla Comunità"), "w:ins")
    d.save(str(tmp_path / "inserito.docx"))
    assert all(presenti(tmp_path / "inserito.docx").values())


def test_testo_in_tabella_e_titoli_senza_stile(tmp_path: Path) -> None:
    """Statuto di un altro studio: articoli in grassetto senza stile Titolo e l'elenco dei
    soci dentro una tabella."""
    d = docx.Document()
    for tipo, testo in blocchi("notarile.txt"):
        if testo.startswith("Possono acquisire la qualità"):
            d.add_paragraph(testo)
            tab = d.add_table(rows=0, cols=1)
            continue
        if tipo == "voce":
            tab.add_row().cells[0].text = testo
            continue
        par = d.add_paragraph()
        par.add_run(testo).bold = tipo in ("titolo", "articolo")
    d.save(str(tmp_path / "tabella.docx"))
    testi = [p.testo for p in estrai_paragrafi(tmp_path / "tabella.docx")]
    assert "i consorzi di bonifica;" in testi
    assert all(presenti(tmp_path / "tabella.docx").values())


def test_titoli_docx_riconosciuti(tmp_path: Path) -> None:
    paragrafi = estrai_paragrafi(scrivi_docx(blocchi("notarile.txt"), tmp_path / "s.docx"))
    titoli = [p.testo for p in paragrafi if p.titolo]
    assert "Art. 10 – Recesso" in titoli
    assert not any(p.titolo for p in paragrafi if p.testo.startswith("Ciascun associato"))


def test_pdf_ricomposto_in_paragrafi(pdf_notarile: Path) -> None:
    testi = [p.testo for p in estrai_paragrafi(pdf_notarile)]
    assert "Art. 10 – Recesso" in testi
    recesso = next(t for t in testi if t.startswith("Ciascun associato può recedere"))
    assert recesso.endswith("dal primo giorno del mese successivo.")  # riga spezzata ricucita
    assert not any(t.startswith("Pagina ") for t in testi)  # piè di pagina tolti
    assert not any("\n" in t for t in testi)


def test_righe_pdf_sillabate_e_numeri_di_pagina() -> None:
    pagine = [
        "Art. 1 – Scopo\nLa Comunità persegue benefici ambientali, economici e sociali per i\n"
        "propri soci e non persegue profitti finanzia-\nri di alcun genere.\n1",
        "Art. 2 – Soci\nPossono aderire:\na) le persone fisiche;\nb) le PMI.\n2",
    ]
    testi = [(p.testo, p.titolo) for p in paragrafi_da_righe(pagine)]
    assert testi == [
        ("Art. 1 – Scopo", True),
        ("La Comunità persegue benefici ambientali, economici e sociali per i propri soci e "
         "non persegue profitti finanziari di alcun genere.", False),
        ("Art. 2 – Soci", True),
        ("Possono aderire:", False),
        ("a) le persone fisiche;", False),
        ("b) le PMI.", False),
    ]


def test_verifica_paragrafi_senza_file() -> None:
    par = [ParagrafoStatuto("Articolo 4 - Eccedenze", True),
           ParagrafoStatuto("La parte della tariffa premio oltre la soglia va solo ai consumatori "
                            "che non siano imprese.")]
    _, elementi = verifica_paragrafi(par, AL_2025)
    assert {e.lettera: e.presente for e in elementi}["g"] is True


# --- file ostili -------------------------------------------------------------------------


def _messaggio(path: Path) -> str:
    with pytest.raises(ErroreLetturaStatuto) as err:
        estrai_paragrafi(path)
    msg = str(err.value)
    assert str(path) in msg or path.name in msg
    return msg


def test_byte_casuali_con_estensione_docx(tmp_path: Path) -> None:
    p = tmp_path / "statuto.docx"
    p.write_bytes(os.urandom(4096))
    assert "né un documento Word .docx né un PDF" in _messaggio(p)


def test_zip_rotto_con_estensione_docx(tmp_path: Path) -> None:
    p = tmp_path / "statuto.docx"
    p.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    assert "salvalo di nuovo come .docx" in _messaggio(p)


def test_zip_che_non_e_un_docx(tmp_path: Path) -> None:
    p = tmp_path / "statuto.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("ciao.txt", "non sono un documento")
    assert "docx" in _messaggio(p)


def test_docx_vuoto(tmp_path: Path) -> None:
    p = tmp_path / "vuoto.docx"
    docx.Document().save(str(p))
    assert "non contiene testo" in _messaggio(p)


def test_file_di_zero_byte(tmp_path: Path) -> None:
    p = tmp_path / "statuto.pdf"
    p.write_bytes(b"")
    assert "è vuoto" in _messaggio(p)


def test_doc_vecchio_formato(tmp_path: Path) -> None:
    p = tmp_path / "statuto.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "Word 97-2003" in _messaggio(p)


def test_pdf_cifrato(tmp_path: Path, pdf_notarile: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(str(pdf_notarile)))
    w.encrypt(user_password="segreta", owner_password="segreta", algorithm="RC4-128")
    p = tmp_path / "cifrato.pdf"
    with p.open("wb") as f:
        w.write(f)
    assert "protetto da password" in _messaggio(p)


def test_pdf_con_sola_password_del_proprietario_si_legge(tmp_path: Path, pdf_notarile: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(str(pdf_notarile)))
    w.encrypt(user_password="", owner_password="proprietario", algorithm="RC4-128")
    p = tmp_path / "solo_proprietario.pdf"
    with p.open("wb") as f:
        w.write(f)
    assert all(presenti(p).values())


def test_pdf_troncato(tmp_path: Path, pdf_notarile: Path) -> None:
    p = tmp_path / "troncato.pdf"
    p.write_bytes(pdf_notarile.read_bytes()[:700])
    msg = _messaggio(p)
    assert "PDF" in msg


def test_pdf_senza_testo(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    p = tmp_path / "scansione.pdf"
    with p.open("wb") as f:
        w.write(f)
    assert "OCR" in _messaggio(p)


def test_file_inesistente_e_cartella(tmp_path: Path) -> None:
    assert "non esiste" in _messaggio(tmp_path / "manca.docx")
    assert "non è un file" in _messaggio(tmp_path)


# --- riga di comando ---------------------------------------------------------------------


def _cli(*args: str):
    from cer_docs.cli import _register_all, app

    _register_all()
    return CliRunner().invoke(app, list(args))


def test_cli_statuto_completo(tmp_path: Path) -> None:
    p = scrivi_docx(blocchi("notarile.txt"), tmp_path / "s.docx")
    r = _cli("statuto", "verifica", str(p), "--al", "2025-10-20")
    assert r.exit_code == 0, r.output
    assert "✓ a) Scopo prevalente non lucrativo" in r.output
    assert "✓ g) Destinazione della tariffa premio eccedentaria" in r.output
    assert "Fonte: Regole Operative GSE 2025" in r.output
    assert "tutti gli elementi essenziali sono presenti (7 su 7)" in r.output
    assert "in vigore dal 17 luglio 2025" in r.output


def test_cli_statuto_incompleto_json(tmp_path: Path) -> None:
    p = scrivi_docx(blocchi("incompleto.txt"), tmp_path / "s.docx")
    r = _cli("statuto", "verifica", str(p), "--al", "2025-10-20", "--json")
    assert r.exit_code == 1, r.output
    dati = json.loads(r.stdout)
    assert [d["elemento"] for d in dati] == LETTERE_2025
    for d in dati:
        assert {"elemento", "titolo", "presente", "passaggio", "concetti_mancanti",
                "riferimento"} <= set(d)
    per_lettera = {d["elemento"]: d for d in dati}
    assert per_lettera["e"]["presente"] is False
    assert per_lettera["e"]["concetti_mancanti"]
    assert per_lettera["a"]["concetti_mancanti"] == []
    assert "D.lgs. 199/2021" in per_lettera["a"]["riferimento"]


def test_cli_statuto_incompleto_testo(tmp_path: Path) -> None:
    p = scrivi_docx(blocchi("incompleto.txt"), tmp_path / "s.docx")
    r = _cli("statuto", "verifica", str(p), "--al", "2025-10-20")
    assert r.exit_code == 1
    assert "✗ e) Diritti di cliente finale e uscita in qualsiasi momento" in r.output
    assert "Cosa scrivere:" in r.output
    assert "mancano: e), g)" in r.output


def test_cli_file_illeggibile(tmp_path: Path) -> None:
    p = tmp_path / "rotto.docx"
    p.write_bytes(os.urandom(300))
    r = _cli("statuto", "verifica", str(p))
    assert r.exit_code == 2
    assert "rotto.docx" in r.stderr
    assert "Traceback" not in r.output + r.stderr


@pytest.mark.parametrize("data", ["20/10/2025", "2023-01-01"])
def test_cli_data_non_valida(data: str, tmp_path: Path) -> None:
    p = scrivi_docx(blocchi("notarile.txt"), tmp_path / "s.docx")
    r = _cli("statuto", "verifica", str(p), "--al", data)
    assert r.exit_code == 2
    assert r.stderr.startswith("Errore:")


# --- concetti, non frasi: formulazioni diverse per ogni elemento -------------------------


def _elemento_in(testi: list[str], lettera: str) -> bool:
    par = [ParagrafoStatuto("Art. 1 – Disposizione", True)] + [ParagrafoStatuto(t) for t in testi]
    _, elementi = verifica_paragrafi(par, AL_2025)
    return {e.lettera: e.presente for e in elementi}[lettera]


@pytest.mark.parametrize("lettera, testi", [
    ("a", ["L'ente non ha fini di lucro e si prefigge soprattutto di recare vantaggi ambientali "
           "e sociali alla collettività locale."]),
    ("a", ["Obiettivo prevalente della CER sono i benefici economici e ambientali per i membri, "
           "anziché la realizzazione di profitti finanziari."]),
    ("b", ["Possono essere soci della CER:", "a) persone fisiche;", "b) PMI;",
           "c) enti territoriali e autorità locali;", "d) enti religiosi;",
           "e) enti del terzo settore;"]),
    ("c", ["Il controllo effettivo della comunità è riservato ai membri residenti o aventi sede "
           "nei comuni ove sono installati gli impianti."]),
    ("d", ["La CER è un soggetto di diritto autonomo.",
           "L'adesione è libera e volontaria; per le imprese l'adesione non può costituire "
           "l'attività commerciale o industriale principale."]),
    ("e", ["I membri restano titolari dei diritti di cliente finale e possono cambiare "
           "fornitore di energia.",
           "È sempre possibile uscire dalla configurazione in ogni momento; in caso di uscita "
           "anticipata restano dovuti i soli corrispettivi equi e proporzionati concordati per "
           "gli investimenti sostenuti."]),
    ("f", ["La ripartizione dell'energia condivisa è affidata al Referente, nominato "
           "dall'organo amministrativo."]),
    ("g", ["Le somme incentivanti eccedenti la soglia sono utilizzate per iniziative sociali "
           "sul territorio o attribuite ai soli soci che non siano imprese."]),
])
def test_formulazioni_diverse_riconosciute(lettera: str, testi: list[str]) -> None:
    assert _elemento_in(testi, lettera)


@pytest.mark.parametrize("lettera, testi", [
    ("a", ["La Comunità produce benefici economici per i soci e persegue profitti finanziari."]),
    ("b", ["Possono essere soci le persone fisiche."]),
    ("c", ["Il collegio dei revisori, composto da soci residenti nei comuni in cui sono "
           "ubicati gli impianti, esercita il controllo sulla comunità."]),
    ("d", ["La CER ha autonomia patrimoniale perfetta.",
           "L'adesione è aperta e volontaria; per le imprese la partecipazione non può "
           "costituire l'attività commerciale o industriale principale."]),
    ("e", ["I soci mantengono i diritti di cliente finale e scelgono il venditore.",
           "Il socio non può recedere prima di cinque anni; i corrispettivi per gli "
           "investimenti sono equi e proporzionati."]),
    ("f", ["Il regolamento disciplina il riparto dell'energia condivisa tra i soci."]),
    ("g", ["La tariffa premio eccedente la soglia è ripartita tra tutti i soci in proporzione "
           "ai consumi."]),
])
def test_formulazioni_che_non_bastano(lettera: str, testi: list[str]) -> None:
    assert not _elemento_in(testi, lettera)
