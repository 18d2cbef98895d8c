"""App pubblica della manifestazione di interesse (AppTest): invio valido, errori, testo ostile,
campagna chiusa, e nessuna via per vedere i dati di altri candidati."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cer_docs.campagne.file import carica_campagna
from cer_docs.services import campagne

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "ui" / "modulo_pubblico.py")
FILE = ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml"


@pytest.fixture
def campagna():
    fc = carica_campagna(FILE)
    scadenza = dt.date.today() + dt.timedelta(days=30)
    c = fc.campagna.model_copy(update={"stato": "aperta", "scadenza": scadenza})
    campagne.crea_campagna(c, fc.candidature)  # le candidature dell'avviso sono "di altri"
    return c


def _app(codice="mi-san-godenzo-2026") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if codice:
        at.query_params["campagna"] = codice
    return at.run()


def _compila(at: AppTest, **valori) -> AppTest:
    base = {"nome": "Anna", "cognome": "Rinaldi", "codice_fiscale": "RNLNNA85M41D612S", "indirizzo": "Via Roma 1",
            "cap": "50060", "comune": "San Godenzo", "provincia": "FI", "pod": "IT001E00112299",
            "cabina": "AC001E00934"}
    base.update(valori)
    for k, v in base.items():
        at.text_input(key=k).input(v)
    at.checkbox(key="consenso").check()
    return at.button[0].click().run() if False else at.get("button")[0].click().run()


def _testo(at: AppTest) -> str:
    parti = []
    for tipo in ("markdown", "success", "error", "info", "warning", "code", "caption", "title", "subheader"):
        parti += [str(getattr(e, "value", "")) for e in at.get(tipo)]
    return "\n".join(parti)


def _cf_valido():
    from codicefiscale import codicefiscale
    return codicefiscale.encode(lastname="Rinaldi", firstname="Anna", gender="F", birthdate="01/08/1985",
                                birthplace="Firenze")


def test_elenco_senza_campagne_aperte():
    at = _app(codice=None)
    assert not at.exception
    assert "non ci sono manifestazioni di interesse aperte" in _testo(at)


def test_invio_valido_mostra_ricevuta(campagna):
    at = _app()
    assert not at.exception
    at = _compila(at, codice_fiscale=_cf_valido())
    assert not at.exception
    testo = _testo(at)
    assert "Candidatura registrata con protocollo" in testo and "MI-SAN-GODENZO-2026" in testo
    assert len(campagne.candidature("mi-san-godenzo-2026")) == 6


def test_codice_fiscale_errato_nessun_salvataggio_dati_conservati(campagna):
    at = _compila(_app(), codice_fiscale="RNLNNA85M41D612X")
    assert not at.exception
    testo = _testo(at)
    assert "non è stata inviata" in testo and "Codice fiscale" in testo and "controllo" in testo
    assert at.text_input(key="nome").value == "Anna"  # nulla perso
    assert len(campagne.candidature("mi-san-godenzo-2026")) == 5


def test_senza_consenso_rifiutata(campagna):
    at = _app()
    for k, v in {"nome": "Anna", "cognome": "Rinaldi", "codice_fiscale": _cf_valido(), "indirizzo": "Via Roma 1",
                 "cap": "50060", "comune": "San Godenzo", "provincia": "FI", "pod": "IT001E00112299"}.items():
        at.text_input(key=k).input(v)
    at = at.get("button")[0].click().run()
    assert "informativa" in _testo(at).lower()
    assert len(campagne.candidature("mi-san-godenzo-2026")) == 5


def test_testo_ostile_letterale(campagna):
    ostile = "Rossi & Figli <S.r.l.> {{ 7*7 }} ** # ’–€"
    at = _app()
    at.selectbox(key="tipo").select("associazione").run()
    for k, v in {"denominazione": ostile, "codice_fiscale": "94012340488", "indirizzo": "Via <b>1</b>",
                 "cap": "50060", "comune": "San Godenzo", "provincia": "FI", "pod": "IT001E00112298"}.items():
        at.text_input(key=k).input(v)
    at.checkbox(key="consenso").check()
    at = at.get("button")[0].click().run()
    assert not at.exception
    c = next(v.candidatura for v in campagne.candidature("mi-san-godenzo-2026") if v.candidatura.tipo == "associazione")
    assert c.denominazione == ostile and c.indirizzo.indirizzo == "Via <b>1</b>"
    assert ostile in "\n".join(e.value for e in at.get("code"))


def test_campagna_scaduta(campagna):
    c, v = campagne.apri_campagna("mi-san-godenzo-2026")
    campagne.salva_campagna(c.model_copy(update={"scadenza": dt.date.today() - dt.timedelta(days=1)}), v)
    at = _app()
    assert "scaduto" in _testo(at) and not at.get("button")


def test_nessun_dato_di_altri_candidati(campagna):
    """Con qualunque indirizzo l'app non mostra nomi, codici fiscali o protocolli di altri candidati."""
    altri = [v.candidatura for v in campagne.candidature("mi-san-godenzo-2026")]
    segreti = [x for c in altri for x in (c.nome_completo, c.codice_fiscale, c.protocollo) if x]
    for params in ({}, {"campagna": "mi-san-godenzo-2026"}, {"campagna": "mi-san-godenzo-2026", "protocollo": "MI-2026-000001"},
                   {"campagna": "../pratica", "pratica": "cer-colline-sieve"}, {"campagna": "mi-san-godenzo-2026' OR 1=1 --"}):
        at = AppTest.from_file(APP, default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception
        testo = _testo(at) + "\n".join(str(e.value) for e in at.get("text_input"))
        for s in segreti:
            assert s not in testo, f"{s} visibile con {params}"
    # dopo un invio, la ricevuta mostra solo i dati del candidato stesso
    at = _compila(_app(), codice_fiscale=_cf_valido())
    testo = _testo(at)
    for s in segreti:
        assert s not in testo


def test_tutti_gli_errori_insieme_in_cima_senza_prefissi_tecnici(campagna):
    """Un modulo con più errori: un solo elenco, in cima (prima del modulo), tutti i punti insieme."""
    at = _app()
    for k, v in {"nome": "Anna", "codice_fiscale": "RNLNNA85M41D612X", "cap": "501", "provincia": "ZZ",
                 "email": "anna@", "pod": "IT001E1"}.items():
        at.text_input(key=k).input(v)
    at = at.get("button")[0].click().run()
    assert not at.exception
    errori = [e.value for e in at.error]
    assert len(errori) == 2                         # l'elenco in cima e il rimando sotto il pulsante
    elenco, rimando = errori
    assert "elencati in cima al modulo" in rimando
    for atteso in ("Cognome: è obbligatorio", "Indirizzo: è obbligatorio", "Comune: è obbligatorio",
                   "Informativa sulla privacy"):
        assert atteso in elenco, elenco
    assert "modulo:" not in elenco.lower() and "indirizzo.cap" not in elenco
    # l'elenco sta prima del modulo (in cima), il rimando dopo
    blocchi = [type(e).__name__ for e in at.main]
    assert blocchi.index("Error") < max(i for i, t in enumerate(blocchi) if t == "Error")
    assert len(campagne.candidature("mi-san-godenzo-2026")) == 5


def test_ricevuta_va_a_capo_sul_telefono(campagna):
    at = _compila(_app(), codice_fiscale=_cf_valido())
    assert at.code and at.code[0].proto.wrap_lines


def test_data_di_nascita_impossibile_non_parte_e_resta_scritta(campagna):
    """La data di nascita è testo «GG/MM/AAAA» letto all'italiana: il 31/02 non diventa il 28/02."""
    at = _compila(_app(), codice_fiscale=_cf_valido(), nato_il="31/02/1985")
    assert not at.exception
    testo = _testo(at)
    assert "non è stata inviata" in testo
    assert "«Data di nascita»: '31/02/1985' non esiste: febbraio 1985 ha 28 giorni" in testo
    assert any("Data di nascita" in e.value for e in at.get("error")[1:])     # anche sotto il campo
    assert at.text_input(key="nato_il").value == "31/02/1985"                 # nulla perso
    assert len(campagne.candidature("mi-san-godenzo-2026")) == 5
    futura = (dt.date.today() + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    at = _compila(at, codice_fiscale=_cf_valido(), nato_il=futura)
    assert "è nel futuro" in _testo(at) and len(campagne.candidature("mi-san-godenzo-2026")) == 5


def test_data_di_nascita_giorno_mese_anno(campagna):
    at = _compila(_app(), codice_fiscale=_cf_valido(), nato_il="01/08/1985")
    assert "Candidatura registrata con protocollo" in _testo(at)
    c = next(v.candidatura for v in campagne.candidature("mi-san-godenzo-2026") if v.candidatura.nome == "Anna")
    assert c.nato_il == dt.date(1985, 8, 1)
