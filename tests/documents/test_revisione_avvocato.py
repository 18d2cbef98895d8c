"""Il giro dell'avvocato: il DOCX generato modificato come in Word (una frase cambiata, la
clausola di recesso cancellata, un articolo nuovo, un articolo spostato, la CER rinominata),
poi confronto, redline, controlli e unione dopo un cambio dei dati. Tutto anche dopo un
passaggio del file modificato da LibreOffice Writer."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from cer_docs.documents import catalogo as cat
from cer_docs.documents.coerenza import Dato, verifica_dati, verifica_elementi
from cer_docs.documents.confronto import confronta
from cer_docs.documents.libreoffice import soffice
from cer_docs.documents.lettura_docx import leggi_clausole
from cer_docs.documents.redline import redline_docx
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.unione import unisci_docx

from aiuti_documenti import AL, esempio
from avvocato import (W, andata_e_ritorno_libreoffice, cambia_frase, elimina_clausola, inserisci_articolo, q,
                      rinomina, sposta_articolo)

NOME = "Colline della Sieve"
NUOVO_NOME = "Valle del Mugello"
FRASE = ("nell'ambito dello stesso Comune", "all'interno del medesimo Comune")

CON_LO = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) non installato")
PASSAGGI = ["word", pytest.param("libreoffice", marks=CON_LO)]


def _genera(pratica, tipo: str) -> bytes:
    r = cat.richieste(pratica, [tipo])[0][0]
    return render_docx(cat.risolvi(pratica, r, AL))


def _modifiche_avvocato(g: bytes) -> bytes:
    m = cambia_frase(g, "cl_sede_trasferimento", *FRASE)
    m = elimina_clausola(m, "cl_recesso_libero")
    m = inserisci_articolo(m, "cl_controversie", "Mediazione obbligatoria",
                           "Prima di ogni azione giudiziaria le parti tentano la mediazione presso un organismo "
                           "iscritto nel registro del Ministero della giustizia.")
    m = sposta_articolo(m, "art_dati", "cl_durata_illimitata")
    return rinomina(m, NOME, NUOVO_NOME)


@pytest.fixture(scope="module")
def generato() -> bytes:
    return _genera(esempio(), "statuto")


@pytest.fixture(scope="module")
def modificati(generato) -> dict[str, bytes]:
    m = _modifiche_avvocato(generato)
    out = {"word": m}
    if soffice() is not None:
        out["libreoffice"] = andata_e_ritorno_libreoffice(m)
    return out


# ----------------------------------------------------------------------------- confronto

@pytest.mark.parametrize("passaggio", PASSAGGI)
def test_il_confronto_riporta_esattamente_le_clausole_toccate(generato, modificati, passaggio):
    c = confronta(generato, modificati[passaggio])
    per_esito = {e: {v.segnalibro for v in c.per_esito(e) if v.segnalibro} for e in
                 ("modificata", "rimossa", "spostata", "aggiunta")}
    con_nome = {x.segnalibro for x in leggi_clausole(generato) if NOME in x.testo}
    assert con_nome, "la denominazione della CER deve comparire in qualche clausola"
    assert per_esito["modificata"] == {"cl_sede_trasferimento"} | con_nome
    assert per_esito["rimossa"] == {"cl_recesso_libero"}
    assert per_esito["spostata"] == {"art_dati", "cl_dati_personali"}
    assert per_esito["aggiunta"] == set()
    aggiunte = [v.modificata.testo for v in c.per_esito("aggiunta")]
    assert len(aggiunte) == 2
    assert aggiunte[0].endswith("– Mediazione obbligatoria") and aggiunte[0].startswith("Art. ")
    assert aggiunte[1].startswith("Prima di ogni azione giudiziaria")
    # fuori dalle clausole è cambiato solo il titolo con il nome della CER
    fuori = [v for v in c.per_esito("modificata") if v.segnalibro is None]
    assert all(NUOVO_NOME in v.modificata.testo for v in fuori)
    # gli articoli rinumerati dallo spostamento non risultano cambiati: i rinvii valgono l'articolo
    assert not c.per_contenuto and not c.avvisi


def test_differenze_parola_per_parola(generato, modificati):
    c = confronta(generato, modificati["word"])
    (v,) = [v for v in c.voci if v.segnalibro == "cl_sede_trasferimento"]
    assert ("-", "nell'ambito dello stesso") in v.differenze
    assert ("+", "all'interno del medesimo") in v.differenze
    prima = "".join(t for op, t in v.differenze if op != "+")
    dopo = "".join(t for op, t in v.differenze if op != "-")
    assert (prima, dopo) == (v.originale.testo, v.modificata.testo)


def test_json_del_confronto(generato, modificati):
    d = confronta(generato, modificati["word"]).as_dict()
    voci = {v["clausola"]: v for v in d["clausole"] if v["clausola"]}
    assert voci["recesso_libero"]["esito"] == "rimossa" and voci["recesso_libero"]["testo_modificato"] is None
    assert voci["sede_trasferimento"]["esito"] == "modificata"
    assert voci["dati_personali"]["esito"] == "spostata"
    assert voci["scopo_prevalente"]["esito"] == "invariata"
    assert {v["esito"] for v in d["clausole"]} <= {"invariata", "modificata", "aggiunta", "rimossa", "spostata"}


def test_identita_perduta_si_abbina_per_contenuto(generato):
    """Segnalibro cancellato (testo incollato altrove): la clausola si ritrova per contenuto e lo si dice."""
    z = zipfile.ZipFile(io.BytesIO(generato))
    radice = etree.fromstring(z.read("word/document.xml"))
    for b in list(radice.iter(q("bookmarkStart"))):
        if b.get(q("name")) == "cl_sede_legale":
            b.getparent().remove(b)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zo:
        for info in z.infolist():
            zo.writestr(info, etree.tostring(radice) if info.filename == "word/document.xml" else z.read(info))
    m = cambia_frase(out.getvalue(), "cl_sede_trasferimento", *FRASE)
    c = confronta(generato, m)
    (v,) = [v for v in c.voci if v.id == "sede_legale"]
    assert v.esito == "invariata" and v.per_contenuto and "abbinata per contenuto" in v.nota
    assert [x.segnalibro for x in c.cambiate()] == ["cl_sede_trasferimento"]
    assert c.avvisi


# ----------------------------------------------------------------------------- redline

def _testi(docx: bytes) -> tuple[str, list[str], list[str]]:
    radice = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    ins = ["".join(t.text or "" for t in e.iter(q("t"))) for e in radice.iter(q("ins"), q("moveTo"))]
    dele = ["".join(t.text or "" for t in e.iter(q("delText"), q("t"))) for e in radice.iter(q("del"), q("moveFrom"))]
    return etree.tostring(radice, encoding="unicode"), [x for x in ins if x], [x for x in dele if x]


def _accetta_tutto(docx: bytes) -> str:
    radice = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    return re.sub(r"\s+", "", "".join(t.text or "" for t in radice.iter(q("t"))))


def _rifiuta_tutto(docx: bytes) -> str:
    radice = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    testo = []
    for t in radice.iter(q("t"), q("delText")):
        if any(a.tag == q("ins") for a in t.iterancestors()):
            continue
        testo.append(t.text or "")
    return re.sub(r"\s+", "", "".join(testo))


def test_redline_accetta_tutto_da_il_modificato_rifiuta_tutto_l_originale(generato, modificati):
    m = modificati["word"]
    r = redline_docx(generato, m, autore="Avv. Bruni")
    assert _accetta_tutto(r) == _accetta_tutto(m)
    assert _rifiuta_tutto(r) == _accetta_tutto(generato)
    xml, ins, dele = _testi(r)
    assert 'w:author="Avv. Bruni"' in xml
    assert "all'interno del medesimo" in ins and "nell'ambito dello stesso" in dele
    assert any("Mediazione obbligatoria" in x for x in ins)
    assert any("Ciascun associato è libero di lasciare" in x for x in dele)


@CON_LO
@pytest.mark.parametrize("passaggio", PASSAGGI)
def test_la_redline_passa_da_libreoffice_con_le_revisioni(generato, modificati, passaggio):
    r = andata_e_ritorno_libreoffice(redline_docx(generato, modificati[passaggio]))
    _xml, ins, dele = _testi(r)
    assert any("all'interno del medesimo" in x for x in ins)
    assert any("nell'ambito dello stesso" in x for x in dele)
    assert any("Mediazione obbligatoria" in x for x in ins)
    assert any("Ciascun associato è libero di lasciare" in x for x in dele)
    # l'articolo spostato: LibreOffice lo riconosce come spostamento (moveFrom/moveTo) o come ins/del
    assert any("Trattamento dei dati personali" in x for x in ins)
    assert any("Trattamento dei dati personali" in x for x in dele)


# ----------------------------------------------------------------------------- controlli

@pytest.mark.parametrize("passaggio", PASSAGGI)
def test_elemento_e_mancante_dove_e_stata_cancellata_la_clausola_di_recesso(generato, modificati, passaggio):
    rilievi = verifica_elementi(modificati[passaggio], AL, generato)
    mancanti = [r for r in rilievi if r.codice == "elemento_mancante"]
    assert mancanti and all("elemento essenziale e)" in r.messaggio for r in mancanti)
    (recesso,) = [r for r in mancanti if r.segnalibro == "cl_recesso_libero"]
    assert recesso.gravita == "errore" and "cancellata" in recesso.messaggio and "Recesso" in recesso.articolo
    presenti = {r.messaggio[len("Elemento essenziale "):][:2] for r in rilievi if r.codice == "elemento_presente"}
    assert presenti == {"a)", "b)", "c)", "d)", "f)", "g)"}
    # sullo statuto generato nessun elemento manca
    assert not [r for r in verifica_elementi(generato, AL, generato) if r.gravita == "errore"]


@pytest.mark.parametrize("passaggio", PASSAGGI)
def test_dati_della_pratica_non_piu_nel_testo(generato, modificati, passaggio):
    p = esempio()
    dati = [Dato("Denominazione", p.comunita.denominazione, "comunita.denominazione"),
            Dato("Sede", p.comunita.sede.indirizzo, "comunita.sede.indirizzo")]
    rilievi = verifica_dati(modificati[passaggio], generato, dati)
    con_nome = {x.segnalibro for x in leggi_clausole(generato) if p.comunita.denominazione in x.testo}
    assert {r.segnalibro for r in rilievi if r.codice == "dato_non_coerente"} == con_nome
    assert all("comunita.denominazione" in r.messaggio and r.articolo for r in rilievi)
    assert verifica_dati(generato, generato, dati) == []


# ----------------------------------------------------------------------------- unione

@pytest.fixture(scope="module")
def atti():
    p = esempio()
    base = _genera(p, "atto_costitutivo")
    p2 = esempio()
    (rossi,) = [s for s in p2.soggetti if s.id == "rossi-mario"]
    rossi.residenza.indirizzo = "Via dei Mille 8"
    return base, _genera(p2, "atto_costitutivo")


@pytest.mark.parametrize("passaggio", PASSAGGI)
def test_unione_conserva_la_modifica_dell_avvocato_e_porta_i_dati_nuovi(atti, passaggio):
    base, nuovo = atti
    avv = cambia_frase(base, "A1_cl_sede_trasferimento", *FRASE)
    if passaggio == "libreoffice":
        avv = andata_e_ritorno_libreoffice(avv)
    e = unisci_docx(avv, nuovo, base=base)
    esiti = {v.segnalibro: v.esito for v in e.cambiate()}
    assert esiti == {"cl_atto_preambolo_privato": "aggiornata", "A1_cl_sede_trasferimento": "tenuta_avvocato"}
    assert not e.conflitti and e.docx is not None
    unito = {c.segnalibro: c for c in leggi_clausole(e.docx)}
    assert FRASE[1] in unito["A1_cl_sede_trasferimento"].testo
    assert "Via dei Mille 8" in unito["cl_atto_preambolo_privato"].testo
    assert "Via del Castagno 3" not in unito["cl_atto_preambolo_privato"].testo
    # il file unito porta ancora identità e impronte: un'altra unione non trova niente da fare
    generati = {c.segnalibro: c.sha256 for c in leggi_clausole(nuovo)}
    assert {k: c.sha256_generato for k, c in unito.items() if k in generati} == generati
    assert [v.segnalibro for v in unito.values() if v.modificata] == ["A1_cl_sede_trasferimento"]
    again = unisci_docx(e.docx, nuovo)
    assert {v.segnalibro: v.esito for v in again.cambiate()} == {"A1_cl_sede_trasferimento": "tenuta_avvocato"}


@pytest.mark.parametrize("passaggio", PASSAGGI)
def test_clausola_cambiata_da_tutti_e_due_e_un_conflitto(atti, passaggio):
    base, nuovo = atti
    avv = cambia_frase(base, "cl_atto_preambolo_privato", "Via del Castagno 3", "Via del Castagno 3 (interno 2)")
    if passaggio == "libreoffice":
        avv = andata_e_ritorno_libreoffice(avv)
    e = unisci_docx(avv, nuovo, base=base)
    (c,) = e.conflitti
    assert c.segnalibro == "cl_atto_preambolo_privato" and c.scelta is None and e.docx is None
    assert "(interno 2)" in c.testo_avvocato and "Via dei Mille 8" in c.testo_generato
    tieni = unisci_docx(avv, nuovo, {"cl_atto_preambolo_privato": "avvocato"}, base=base)
    testo = {x.segnalibro: x.testo for x in leggi_clausole(tieni.docx)}["cl_atto_preambolo_privato"]
    assert "(interno 2)" in testo and "Via dei Mille 8" not in testo
    prendi = unisci_docx(avv, nuovo, {"cl_atto_preambolo_privato": "generato"}, base=base)
    testo = {x.segnalibro: x.testo for x in leggi_clausole(prendi.docx)}["cl_atto_preambolo_privato"]
    assert "(interno 2)" not in testo and "Via dei Mille 8" in testo


def test_unione_aggiorna_il_testo_fuori_clausola_non_toccato(generato):
    """La CER cambia nome nei dati: titolo e clausole prendono il nome nuovo, la modifica resta."""
    p2 = esempio()
    p2.comunita.denominazione = p2.comunita.denominazione.replace(NOME, NUOVO_NOME)
    nuovo = _genera(p2, "statuto")
    avv = cambia_frase(generato, "cl_sede_trasferimento", *FRASE)
    e = unisci_docx(avv, nuovo, base=generato)
    assert e.docx is not None
    c = confronta(nuovo, e.docx)
    assert [v.segnalibro for v in c.cambiate()] == ["cl_sede_trasferimento"]


def test_senza_alcuna_identita_il_confronto_si_fa_per_contenuto(generato):
    """Un programma che perde segnalibri e proprietà: il confronto trova ancora solo la frase cambiata."""
    m = cambia_frase(generato, "cl_sede_trasferimento", *FRASE)
    z = zipfile.ZipFile(io.BytesIO(m))
    radice = etree.fromstring(z.read("word/document.xml"))
    for b in list(radice.iter(q("bookmarkStart"), q("bookmarkEnd"))):
        b.getparent().remove(b)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zo:
        for info in z.infolist():
            if info.filename != "docProps/custom.xml":
                zo.writestr(info, etree.tostring(radice) if info.filename == "word/document.xml" else z.read(info))
    c = confronta(generato, out.getvalue())
    assert [(v.esito, v.id) for v in c.cambiate()] == [("modificata", "sede_trasferimento")]
    assert c.cambiate()[0].per_contenuto
    assert "il confronto è fatto tutto per contenuto" in c.avvisi[0]


@CON_LO
def test_regolamento_pod_nuovo_nella_tabella_e_unione_che_riparte_da_libreoffice():
    """Un POD cambia nei dati: la tabella dei punti (fuori clausola) si aggiorna, le modifiche
    dell'avvocato restano; il file unito, passato da LibreOffice, si riunisce senza novità."""
    base = _genera(esempio(), "regolamento")
    avv = cambia_frase(base, "cl_reg_uscita", "in ogni momento", "in qualunque momento")
    p2 = esempio()
    vecchio = p2.configurazioni[0].punti_connessione[1].pod
    p2.configurazioni[0].punti_connessione[1].pod = "IT001E00999999"
    nuovo = _genera(p2, "regolamento")
    e = unisci_docx(avv, nuovo, base=base)
    assert {v.segnalibro: v.esito for v in e.cambiate() if v.tipo != "testo"} == {"cl_reg_uscita": "tenuta_avvocato"}
    from cer_docs.documents.lettura_docx import testo_paragrafi

    testo = " ".join(testo_paragrafi(e.docx))
    assert "IT001E00999999" in testo and vecchio not in testo and "in qualunque momento" in testo
    lo = andata_e_ritorno_libreoffice(e.docx)
    assert [v.segnalibro for v in confronta(nuovo, lo).cambiate()] == ["cl_reg_uscita"]
    assert {v.segnalibro: v.esito for v in unisci_docx(lo, nuovo, base=nuovo).cambiate()} == {
        "cl_reg_uscita": "tenuta_avvocato"}
