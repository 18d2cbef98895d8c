"""Screening delle candidature e conversione delle ammesse in una pratica che `verifica` accetta."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cer_docs.campagne.conversione import ErroreConversione, converti, nuova_pratica
from cer_docs.campagne.esportazione import COLONNE, in_csv, in_xlsx
from cer_docs.campagne.file import carica_campagna, dumps_campagna, parse_campagna
from cer_docs.model import ErrorePratica, load_pratica, parse_text, dumps_yaml
from cer_docs.rules import verifica
from cer_docs.rules.manifestazione import esamina_candidatura, esamina_insieme

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml"
AL = dt.date(2026, 11, 22)


@pytest.fixture
def fc():
    return carica_campagna(FILE)


def _codici(rilievi):
    return {(r.codice, r.gravita, r.oggetto) for r in rilievi}


def test_file_campagna_andata_e_ritorno(fc):
    assert parse_campagna(dumps_campagna(fc), "x.yaml") == fc


def test_candidature_ammissibili_senza_errori(fc):
    for c in fc.candidature[:3]:
        assert not [r for r in esamina_candidatura(fc.campagna, c, AL) if r.gravita == "errore"], c.protocollo


def test_grande_impresa_come_consumatore_e_esclusa(fc):
    r = esamina_candidatura(fc.campagna, fc.candidature[3], AL, "candidature[3]")
    assert ("CAND_GRANDE_IMPRESA", "errore", "candidature[3].dimensione") in _codici(r)
    terzo = fc.candidature[3].model_copy(update={"ruolo": "produttore_terzo"})
    assert "CAND_GRANDE_IMPRESA" not in {x.codice for x in esamina_candidatura(fc.campagna, terzo, AL)}


def test_pod_su_altra_cabina_fuori_area(fc):
    r = esamina_candidatura(fc.campagna, fc.candidature[4], AL, "candidature[4]")
    assert ("CAND_FUORI_AREA", "errore", "candidature[4].pod[0].cabina_primaria") in _codici(r)
    assert "CAND_FUORI_COMUNE" in {x.codice for x in r}


def test_senza_consenso_e_codice_fiscale_errato(fc):
    c = fc.candidature[0].model_copy(update={"consenso_privacy": False, "codice_fiscale": "VNNMRC68B14H937X"})
    codici = {x.codice for x in esamina_candidatura(fc.campagna, c, AL)}
    assert {"CAND_PRIVACY", "ID_CF_PERSONA"} <= codici


def test_mix_di_ruoli_e_bilancio(fc):
    solo_consumatori = [fc.candidature[0], fc.candidature[2]]
    codici = {r.codice for r in esamina_insieme(fc.campagna, solo_consumatori, AL)}
    assert "CAMP_RUOLI" in codici and "CAMP_PRODUZIONE_ASSENTE" in codici


def test_conversione_in_pratica_esistente_accettata_da_verifica(fc):
    base = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    ammesse = [c for c in fc.candidature if c.decisione == "ammessa"]
    nuova, mappa = converti(fc.campagna, ammesse, base)
    assert len(nuova.soggetti) == len(base.soggetti) + 3
    assert len(nuova.membri) == len(base.membri) + 3
    # i dati sono esattamente quelli inseriti
    tarchi = nuova.soggetto(mappa["MI-2026-000002"])
    c = ammesse[1]
    assert (tarchi.nome, tarchi.cognome, tarchi.codice_fiscale, tarchi.nato_il, tarchi.email) == \
        (c.nome, c.cognome, c.codice_fiscale, c.nato_il, c.email)
    assert tarchi.residenza.indirizzo == c.indirizzo.indirizzo
    forno = nuova.soggetto(mappa["MI-2026-000003"])
    assert forno.partita_iva == "03456780489" and forno.rappresentante.cognome == "Pratesi"
    conf = nuova.configurazioni[0]
    assert {p.pod for p in conf.punti_connessione} >= {"IT001E00223344", "IT001E00223345", "IT001E00223346"}
    assert any(i.produttore == mappa["MI-2026-000002"] and i.potenza_kw == 8.5 for i in conf.impianti)
    # la pratica risultante torna dal file e passa la verifica senza errori
    ricaricata = parse_text(dumps_yaml(nuova), "x.yaml")
    errori = [r for r in verifica(ricaricata, AL) if r.gravita == "errore"]
    assert not errori, errori


def test_conversione_in_pratica_nuova_accettata_da_verifica(fc):
    p = nuova_pratica(fc.campagna, "cer-nuova", "Comunità energetica rinnovabile di San Godenzo")
    ammesse = [c for c in fc.candidature if c.decisione == "ammessa"]
    nuova, _ = converti(fc.campagna, ammesse, p)
    nuova = parse_text(dumps_yaml(nuova), "x.yaml")
    assert [r for r in verifica(nuova, AL) if r.gravita == "errore"] == []


def test_solo_ammesse_e_niente_doppioni(fc):
    with pytest.raises(ErroreConversione, match="non è ammessa"):
        converti(fc.campagna, [fc.candidature[4]], load_pratica(ROOT / "samples" / "pratica-esempio.yaml"))
    base = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    doppio = fc.candidature[0].model_copy(update={"codice_fiscale": "RSSMRA75D12D612N"})
    with pytest.raises(ErroreConversione, match="già nella pratica"):
        converti(fc.campagna, [doppio], base)


def test_esportazioni_con_intestazioni_italiane(fc):
    csv = in_csv(fc.candidature).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Protocollo;Ricevuta il;Tipo di soggetto;Nome;Cognome")
    assert "Forno Pratesi S.n.c." in csv and "21000" in csv
    wb = load_workbook(io.BytesIO(in_xlsx(fc.candidature)))
    ws = wb.active
    assert [c.value for c in ws[1]] == [n for n, _ in COLONNE]
    assert ws.max_row == 1 + len(fc.candidature)


def test_formula_nel_foglio_neutralizzata(fc):
    c = fc.candidature[0].model_copy(update={"note": "=HYPERLINK(\"http://x\")"})
    assert "'=HYPERLINK" in in_csv([c]).decode("utf-8-sig")


def test_file_campagna_errato(tmp_path):
    f = tmp_path / "c.yaml"
    f.write_text(FILE.read_text(encoding="utf-8").replace("consumo_annuo_kwh: 2700", "consumo_annuo_kwh: tanti"),
                 encoding="utf-8")
    with pytest.raises(ErrorePratica) as e:
        carica_campagna(f)
    assert "candidature[0].consumo_annuo_kwh" in str(e.value) and "riga" in str(e.value)
