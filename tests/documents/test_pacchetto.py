"""Il pacchetto di documenti per il GSE e per i membri: quali documenti ha ciascuna pratica,
le varianti, lo stesso testo in DOCX e PDF, il testo ostile, i documenti della campagna."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys

import pytest
from aiuti_documenti import (
    AL, OSTILE, OSTILE_VT, ROOT, SAMPLES, esempio, estrai_docx, estrai_pdf, pratica_auc, stesso_testo,
)

from cer_docs.campagne.file import carica_campagna
from cer_docs.documents import catalogo as cat
from cer_docs.documents.contesti import contesto_campagna
from cer_docs.documents.motore import resolve
from cer_docs.documents.scrittura_docx import render_docx
from cer_docs.documents.scrittura_pdf import render_pdf
from cer_docs.documents.specifiche import load_spec
from cer_docs.documents.struttura import testo_canonico as canonico
from cer_docs.model import load_pratica
from cer_docs.rules.base import param
from cer_docs.services import documenti as svc

CAMPAGNA = SAMPLES / "campagne" / "avviso-san-godenzo.yaml"
PNRR_DOCS = ("lettera_fornitori_pnrr",)


def _chiavi(p) -> list[str]:
    rs, _ = cat.richieste(p, list(cat.ORDINE_PACCHETTO))
    return [r.chiave for r in rs]


def _testo(p, chiave: str, al: dt.date = AL) -> str:
    rs, _ = cat.richieste(p, list(cat.ORDINE_PACCHETTO))
    r = next(x for x in rs if x.chiave == chiave)
    return canonico(cat.risolvi(p, r, al), con_evidenze=False)


def test_la_pratica_di_riferimento_ha_esattamente_i_documenti_che_servono():
    p = esempio()
    membri = ["comune-san-godenzo", "rossi-mario", "bianchi-giulia", "il-poggio", "parrocchia-san-gaudenzio",
              "pro-loco"]
    attese = (["accordo_produttore_terzo:energia-verde-mugello"]
              + [f"dsan:{x}" for x in ["comunita", *membri, "energia-verde-mugello"]]
              + ["lettera_fornitori_pnrr:fv-cantina"]
              # tutti i membri sono fondatori: aderiscono firmando l'atto, nessuna domanda di ammissione
              + ["informativa_privacy", "registro_membri"])
    assert _chiavi(p) == attese
    _, note = cat.richieste(p, ["mandato_referente"])
    assert note and "referente di ogni configurazione è la comunità stessa" in note[0]


def test_lettera_ai_fornitori_della_cantina():
    t = _testo(esempio(), "lettera_fornitori_pnrr:fv-cantina")
    assert t.count("J81B25000340006") >= 3
    assert "PNRR-CER-0001234" in t
    assert f"«{param('pnrr_dicitura_fattura', AL)}»" in t
    assert "bonifico bancario o bonifico postale" in t
    assert "Il Poggio Società Agricola S.r.l., partita IVA 12345670488" in t
    assert "il numero e la data della fattura pagata" in t
    assert "direzione dei lavori" in t and "CIG" not in t


def test_lettera_senza_cup_usa_il_codice_del_progetto_gse():
    p = esempio()
    imp = next(i for _, _, i in p.impianti() if i.id == "fv-cantina")
    imp.contributo_pnrr.cup = None
    imp.contributo_pnrr.cig = "Z1234567AB"
    t = _testo(p, "lettera_fornitori_pnrr:fv-cantina")
    assert "J81B25000340006" not in t and "che sostituisce il CUP finché questo non viene assegnato" in t
    assert "CIG) Z1234567AB" in t


def test_accordo_con_energia_verde_mugello():
    t = _testo(esempio(), "accordo_produttore_terzo:energia-verde-mugello")
    assert "Energia Verde Mugello S.p.A." in t
    assert "nella disponibilità e sotto il controllo della Comunità" in t
    assert "L'energia immessa resta di proprietà del produttore" in t
    assert "Al produttore spetta il 30% della tariffa premio" in t and "il restante 70%" in t
    assert "mandato senza rappresentanza" in t
    # l'impianto del terzo non ha contributo PNRR: niente clausola di permanenza
    assert "Impianti finanziati dal PNRR" not in t


def test_accordo_con_impianto_finanziato_ha_la_permanenza_minima():
    p = esempio()
    imp = next(i for _, _, i in p.impianti() if i.id == "fv-mugello-terzo")
    imp.contributo_pnrr = next(i for _, _, i in p.impianti() if i.id == "fv-cantina").contributo_pnrr
    t = _testo(p, "accordo_produttore_terzo:energia-verde-mugello")
    anni = int(param("pnrr_esercizio_minimo_anni", AL))
    assert f"per almeno {anni} (" in t


def test_dsan_per_dichiarante_con_le_sole_voci_pertinenti():
    p = esempio()
    ref = _testo(p, "dsan:comunita")
    assert "In qualità di referente" in ref and "In qualità di associat" not in ref
    assert "articolo 76 del DPR 28 dicembre 2000, n. 445" in ref and "articolo 75" in ref
    assert "La sottoscritta Giulia Bianchi" in ref
    assert "cause di esclusione previste dagli articoli da 94 a 98" in ref
    poggio = _testo(p, "dsan:il-poggio")
    assert "In qualità di associato" in poggio and "In qualità di produttore" in poggio
    assert "In qualità di beneficiario del contributo PNRR" in poggio
    assert "01.21.00" in poggio and "non è una grande impresa" in poggio
    assert "contributo PNRR richiesto di 36.800,00" in poggio  # concesso solo il 12/05/2026, dopo AL
    rossi = _testo(p, "dsan:rossi-mario")
    assert "Il sottoscritto Mario Rossi" in rossi
    assert "In qualità di produttore" not in rossi and "ATECO" not in rossi and "residenza" in rossi
    terzo = _testo(p, "dsan:energia-verde-mugello")
    assert "produttore terzo" in terzo and "In qualità di associat" not in terzo and "PNRR" not in terzo


@pytest.mark.parametrize("nome", ["cer-fondazione-borgo.yaml", "auc-condominio-aurora.yaml"])
def test_pratica_senza_pnrr_non_ha_carte_pnrr(nome):
    p = load_pratica(SAMPLES / nome)
    chiavi = _chiavi(p)
    assert not any(k.split(":")[0] in PNRR_DOCS for k in chiavi)
    _, note = cat.richieste(p, ["lettera_fornitori_pnrr"])
    assert "nessun impianto della pratica è finanziato dal PNRR" in note[0]
    for k in chiavi:
        if k.startswith("dsan:"):
            assert "beneficiario del contributo PNRR" not in _testo(p, k)


def test_gruppo_di_autoconsumatori_ha_le_varianti_auc():
    p = load_pratica(SAMPLES / "auc-condominio-aurora.yaml")
    chiavi = _chiavi(p)
    assert "mandato_referente:conf-aurora" in chiavi
    assert "registro_membri" not in chiavi and "accordo_produttore_terzo" not in " ".join(chiavi)
    t = _testo(p, "mandato_referente:conf-aurora")
    assert "L'assemblea del condominio" in t and "gruppo di autoconsumatori" in t
    durata = "un anno" if param("referente_mandato_durata_anni", AL) == 1 else "anni"
    assert f"durata di {durata}" in t and "si rinnova tacitamente" in t and "revocare il mandato, per quanto lo riguarda, in qualsiasi" in t
    assert "Comunità" not in t
    # la variante con la firma di tutti i partecipanti
    q = pratica_auc()
    tq = _testo(q, "mandato_referente:conf-1")
    assert "Ciascuno dei partecipanti al gruppo" in tq and "Mario Rossi" in tq


def test_mandato_cer_a_un_membro_e_a_una_esco():
    p = load_pratica(SAMPLES / "cer-valle-due-cabine.yaml")
    confs = [r.configurazione.id for r in cat.richieste(p, ["mandato_referente"])[0]]
    assert len(confs) == 1
    t = _testo(p, f"mandato_referente:{confs[0]}")
    assert "che agisce come legale rappresentante secondo lo statuto" in t and "UNI CEI 11352" not in t
    conf = next(c for c in p.configurazioni if c.id == confs[0])
    conf.referente.qualifica = "esco_uni_11352"
    assert "certificata secondo la norma UNI CEI 11352" in _testo(p, f"mandato_referente:{confs[0]}")


def test_aid_ha_il_mandato_del_cliente_finale():
    p = pratica_auc()
    p.configurazioni[0].tipo = "AID"
    p.configurazioni[0].referente.qualifica = "esco_uni_11352"
    t = _testo(p, "mandato_referente:conf-1")
    assert "Il cliente finale titolare di tutti i punti di prelievo" in t and "UNI CEI 11352" in t


def test_registro_dei_membri_e_una_tabella():
    t = _testo(esempio(), "registro_membri")
    assert "Libro degli associati" in t and "sei" in t
    assert "Comune di San Godenzo" in t and "RSSMRA75D12D612N" in t


# --------------------------------------------------------------------- DOCX e PDF


def _campagna_doc(nome: str, campagna=None):
    c = campagna or carica_campagna(CAMPAGNA).campagna
    return resolve(load_spec(nome), contesto_campagna(c, AL))


def _pratica_ostile():
    p = esempio()
    for sid in ("il-poggio", "energia-verde-mugello", "rossi-mario"):
        s = p.soggetto(sid)
        if s.tipo == "persona_fisica":
            s.cognome = OSTILE_VT
        else:
            s.denominazione = OSTILE_VT
    p.comunita.denominazione = OSTILE_VT
    next(i for _, _, i in p.impianti() if i.id == "fv-cantina").denominazione = OSTILE
    return p


def _documenti_da_rendere():
    out = []
    for nome, p in (("esempio", esempio()), ("ostile", _pratica_ostile())):
        rs, _ = cat.richieste(p, list(cat.ORDINE_PACCHETTO))
        visti = set()
        for r in rs:
            # un documento per tipo, più le DSAN che toccano il testo ostile
            if r.tipo.id in visti and not (r.tipo.id == "dsan" and r.oggetto in ("il-poggio", "rossi-mario")):
                continue
            visti.add(r.tipo.id)
            out.append((f"{nome}-{r.chiave}", lambda p=p, r=r: cat.risolvi(p, r, AL)))
    q = load_pratica(SAMPLES / "auc-condominio-aurora.yaml")
    r = cat.richieste(q, ["mandato_referente"])[0][0]
    out.append(("aurora-mandato", lambda: cat.risolvi(q, r, AL)))
    out.append(("campagna-avviso", lambda: _campagna_doc("avviso_manifestazione")))
    out.append(("campagna-modulo", lambda: _campagna_doc("modulo_manifestazione")))
    return out


DOCUMENTI = _documenti_da_rendere()


@pytest.mark.parametrize("nome,produci", DOCUMENTI, ids=[n for n, _ in DOCUMENTI])
def test_docx_e_pdf_portano_lo_stesso_testo(nome, produci):
    doc = produci()
    docx, pdf = render_docx(doc), render_pdf(doc)
    uguale, dove = stesso_testo(docx, pdf, doc)
    assert uguale, dove
    for testo in (canonico(doc), estrai_docx(docx), estrai_pdf(pdf)):
        assert "\ue000" not in testo and "{%" not in testo
        assert testo.count("{{") == testo.count("{{ 7*7 }}")
    if nome.startswith("ostile") and ("il-poggio" in nome or "fv-cantina" in nome or "rossi" in nome):
        for testo in (estrai_docx(docx), estrai_pdf(pdf)):
            assert OSTILE in testo and "seconda riga" in testo


def test_campagna_ostile_esce_letterale():
    c = carica_campagna(CAMPAGNA).campagna
    c.ente.denominazione = OSTILE
    c.finalita = OSTILE_VT
    doc = _campagna_doc("avviso_manifestazione", c)
    docx, pdf = render_docx(doc), render_pdf(doc)
    for testo in (estrai_docx(docx), estrai_pdf(pdf)):
        assert OSTILE in testo


def test_avviso_contiene_gli_elementi_dell_avviso_pubblico():
    t = canonico(_campagna_doc("avviso_manifestazione"), con_evidenze=False)
    for atteso in ("Responsabile del procedimento è Dott.ssa Maria Lotti", "non vincola",
                   "mappa interattiva delle cabine primarie", "AC001E00934", "31 ottobre 2026",
                   "35.12.00", "produttore terzo", "copia del documento d'identità", "Regolamento (UE) 2016/679",
                   "albo pretorio"):
        assert atteso in t, atteso
    m = canonico(_campagna_doc("modulo_manifestazione"), con_evidenze=False)
    assert "MANIFESTA INTERESSE" in m and "articolo 76 del DPR" in m and "codici POD" in m


def test_cli_campagna_documenti(tmp_path):
    out = tmp_path / "avviso"
    r = subprocess.run([sys.executable, "-m", "cer_docs", "campagna", "documenti", str(CAMPAGNA), "--out", str(out),
                        "--al", "2026-09-01"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["campagna"] == "mi-san-godenzo-2026"
    assert {v["documento"] for v in m["documenti"]} == {"avviso_manifestazione", "modulo_manifestazione"}
    assert {v["formato"] for v in m["documenti"]} == {"docx", "pdf"}
    for v in m["documenti"]:
        assert hashlib.sha256((out / v["file"]).read_bytes()).hexdigest() == v["sha256"]
    r2 = subprocess.run([sys.executable, "-m", "cer_docs", "campagna", "documenti", str(CAMPAGNA), "--out",
                         str(tmp_path / "x"), "--formati", "odt"], capture_output=True, text=True, cwd=ROOT,
                        timeout=300)
    assert r2.returncode == 2 and "formato" in r2.stderr


def test_genera_solo_dsan(tmp_path):
    esito = svc.genera(esempio(), tmp_path, documenti=["dsan"], formati=["docx"], al=AL)
    assert len(esito.file) == 8
    assert {f.oggetto for f in esito.file} >= {"comunita", "il-poggio", "energia-verde-mugello"}


# --------------------------------------------------------------------- dossier


def test_dossier_zip_e_manifest_concordano_e_il_pdf_unico_ha_i_segnalibri(tmp_path):
    import io
    import zipfile

    from pypdf import PdfReader

    esito = svc.genera(esempio(), tmp_path, al=AL)
    m = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    d = m["dossier"]
    zdati = (tmp_path / d["zip"]["file"]).read_bytes()
    assert hashlib.sha256(zdati).hexdigest() == d["zip"]["sha256"]
    with zipfile.ZipFile(io.BytesIO(zdati)) as z:
        nomi = z.namelist()
        # ogni file del manifest è nello zip, con lo stesso contenuto
        for v in m["documenti"]:
            assert hashlib.sha256(z.read(v["file"])).hexdigest() == v["sha256"]
        assert set(nomi) == {v["file"] for v in m["documenti"]} | {d["pdf"]["file"]}
        assert [c["file"] for c in d["zip"]["contenuto"]] == nomi
    pdati = (tmp_path / d["pdf"]["file"]).read_bytes()
    assert hashlib.sha256(pdati).hexdigest() == d["pdf"]["sha256"]
    r = PdfReader(io.BytesIO(pdati))
    pdf_singoli = [v for v in m["documenti"] if v["formato"] == "pdf"]
    assert len(r.pages) == d["pdf"]["pagine"] == sum(v["pagine"] for v in pdf_singoli) + r.get_destination_page_number(
        [o for o in r.outline if not isinstance(o, list)][1])
    principali = [o for o in r.outline if not isinstance(o, list)]
    assert principali[0].title == "Indice"
    assert len(principali) == 1 + len(pdf_singoli)
    assert principali[1].title.startswith("Statuto – copia per il GSE")
    assert any("Energia Verde Mugello" in o.title for o in principali)
    assert d["pdf"]["ordine"][0].startswith("statuto-gse-")
    assert d["pdf"]["ordine"][-1].startswith("lettera-fornitori-pnrr-fv-cantina")
    indice = r.pages[0].extract_text()
    assert "Dossier" in indice and "statuto-gse-cer-colline-sieve.pdf" in indice.replace("\n", "")
    assert esito.dossier == d


def test_senza_richiesta_di_tutto_niente_dossier(tmp_path):
    svc.genera(esempio(), tmp_path, documenti=["registro_membri"], formati=["pdf"], al=AL)
    m = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert "dossier" not in m and not list(tmp_path.glob("dossier-*"))


def test_autoconsumatore_referente_di_se_stesso_non_ha_mandato():
    p = pratica_auc()
    p.configurazioni[0].tipo = "AID"
    p.configurazioni[0].referente.qualifica = "autoconsumatore"
    rs, note = cat.richieste(p, ["mandato_referente"])
    assert rs == [] and "autoconsumatore stesso" in note[0]
