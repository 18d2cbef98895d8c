"""Campagne nel database: ufficio (import, screening, decisioni, conversione) e modulo pubblico
(registrazione, limiti, nessuna lettura dei dati altrui)."""

from __future__ import annotations

import datetime as dt
import inspect
import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from cer_docs.campagne.file import carica_campagna
from cer_docs.services import archivio, campagne, pubblico
from cer_docs.services.verifica import verifica_pratica
from cer_docs.store import get_engine
from cer_docs.store.tables import AllegatoCandidaturaRecord, CandidaturaRecord

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml"
ORA = dt.datetime(2026, 9, 20, 10, 0, tzinfo=dt.timezone.utc)
AL = dt.date(2026, 11, 22)


@pytest.fixture
def campagna_aperta():
    fc = carica_campagna(FILE)
    c = fc.campagna.model_copy(update={"stato": "aperta", "codice": "mi-aperta"})
    campagne.crea_campagna(c)
    return c


def _dati_validi(**extra):
    d = {"tipo": "persona_fisica", "nome": "Marco", "cognome": "Vannini", "nato_il": "1968-02-14",
         "codice_fiscale": "VNNMRC68B14H937Q",
         "indirizzo": {"indirizzo": "Via del Mulino 4", "cap": "50060", "comune": "San Godenzo", "provincia": "FI"},
         "ruolo": "consumatore", "pod": [{"pod": "IT001E00223344", "cabina_primaria": "AC001E00934"}],
         "consumo_annuo_kwh": 2700, "consenso_privacy": True}
    d.update(extra)
    return d


def _conta(model):
    with Session(get_engine()) as s:
        return len(s.exec(select(model)).all())


def test_importa_esamina_decidi_converti():
    archivio.importa_file(ROOT / "samples" / "pratica-esempio.yaml", autore="test")
    campagne.importa_file_campagna(FILE)
    assert [v.codice for v in campagne.elenco_campagne()] == ["mi-san-godenzo-2026"]
    esami, insieme, bil = campagne.esamina("mi-san-godenzo-2026", AL)
    per_prot = {e.protocollo: {r.codice for r in e.rilievi} for e in esami}
    assert "CAND_GRANDE_IMPRESA" in per_prot["MI-2026-000004"]
    assert "CAND_FUORI_AREA" in per_prot["MI-2026-000005"]
    assert bil.consumo_kwh > 0
    voce = next(v for v in campagne.candidature("mi-san-godenzo-2026") if v.protocollo == "MI-2026-000005")
    campagne.decidi("MI-2026-000005", "esclusa", "POD fuori area", "Ufficio", voce.versione)
    with pytest.raises(campagne.ConflittoCandidatura):
        campagne.decidi("MI-2026-000005", "ammessa", None, "Altro", voce.versione)
    esito = campagne.converti_in_pratica("mi-san-godenzo-2026", None, autore="Ufficio")
    assert esito.codice_pratica == "cer-colline-sieve" and not esito.nuova
    p = archivio.apri("cer-colline-sieve").pratica
    assert len(p.membri) == 9
    assert not [r for r in verifica_pratica(p, AL).rilievi if r.gravita == "errore"]
    assert any(e.descrizione.startswith("ingresso di 3 candidati") for e in archivio.eventi("cer-colline-sieve"))


def test_converti_in_pratica_nuova():
    campagne.importa_file_campagna(FILE)
    esito = campagne.converti_in_pratica("mi-san-godenzo-2026", None, nuova_codice="cer-nuova",
                                         nuova_denominazione="Comunità energetica di prova", autore="Ufficio")
    assert esito.nuova
    p = archivio.apri("cer-nuova").pratica
    assert p.pratica.stato == "promozione" and len(p.soggetti) == 3
    assert not [r for r in verifica_pratica(p, AL).rilievi if r.gravita == "errore"]


def test_invio_pubblico_valido_con_ricevuta(campagna_aperta):
    pdf = b"%PDF-1.4\n%test\n"
    r = pubblico.invia_candidatura("mi-aperta", _dati_validi(), [("bolletta.pdf", pdf)], "sessione-1", ORA)
    assert r.protocollo == "MI-APERTA-000001" and r.candidato == "Marco Vannini"
    assert _conta(CandidaturaRecord) == 1 and _conta(AllegatoCandidaturaRecord) == 1
    voce = campagne.candidature("mi-aperta")[0]
    assert voce.candidatura.codice_fiscale == "VNNMRC68B14H937Q" and voce.decisione == "da_valutare"


def test_il_pubblico_non_puo_decidere_da_solo(campagna_aperta):
    pubblico.invia_candidatura("mi-aperta", _dati_validi(decisione="ammessa", note="ammettimi"), [], "s", ORA)
    c = campagne.candidature("mi-aperta")[0].candidatura
    assert c.decisione == "da_valutare" and c.note is None


@pytest.mark.parametrize("modifica, campo", [
    ({"codice_fiscale": "VNNMRC68B14H937X"}, "codice_fiscale"),
    ({"consenso_privacy": False}, "consenso_privacy"),
    ({"pod": [{"pod": "IT001X0022"}]}, "pod[0].pod"),
    ({"indirizzo": {"cap": "5006", "comune": "San Godenzo"}}, "indirizzo.cap"),
    ({"nato_il": "1968-02-30"}, "nato_il"),
    ({"consumo_annuo_kwh": "molti"}, "consumo_annuo_kwh"),
])
def test_invio_pubblico_non_valido_non_salva_nulla(campagna_aperta, modifica, campo):
    with pytest.raises(pubblico.ErroreInvio) as e:
        pubblico.invia_candidatura("mi-aperta", _dati_validi(**modifica), [], "s", ORA)
    assert any(c == campo for c, _m in e.value.problemi), e.value.problemi
    assert _conta(CandidaturaRecord) == 0


def test_testo_ostile_conservato_letteralmente(campagna_aperta):
    nome = "Rossi & Figli <S.r.l.> {{ 7*7 }} ** # ’–€\x0b"
    r = pubblico.invia_candidatura("mi-aperta", _dati_validi(tipo="associazione", nome=None, cognome=None,
                                                             denominazione=nome, codice_fiscale="94012340488"),
                                   [], "s", ORA)
    assert campagne.candidature("mi-aperta")[0].candidatura.denominazione == nome.strip()
    assert r.candidato == nome.strip()


def test_allegati_limitati(campagna_aperta):
    with pytest.raises(pubblico.ErroreInvio, match="PDF, un JPEG o un PNG"):
        pubblico.invia_candidatura("mi-aperta", _dati_validi(), [("x.exe", b"MZ\x90\x00")], "s", ORA)
    with pytest.raises(pubblico.ErroreInvio, match="supera"):
        pubblico.invia_candidatura("mi-aperta", _dati_validi(),
                                   [("big.pdf", b"%PDF-" + b"0" * pubblico.MAX_ALLEGATO_BYTE)], "s", ORA)
    with pytest.raises(pubblico.ErroreInvio, match="al massimo"):
        pubblico.invia_candidatura("mi-aperta", _dati_validi(), [("a.pdf", b"%PDF-1")] * 4, "s", ORA)
    assert _conta(CandidaturaRecord) == 0 and _conta(AllegatoCandidaturaRecord) == 0


def test_frequenza_degli_invii_limitata(campagna_aperta):
    for i in range(pubblico.MAX_INVII_PER_ORA):
        pubblico.invia_candidatura("mi-aperta", _dati_validi(), [], "stesso", ORA + dt.timedelta(minutes=i))
    with pytest.raises(pubblico.ErroreInvio, match="Troppi invii"):
        pubblico.invia_candidatura("mi-aperta", _dati_validi(), [], "stesso", ORA + dt.timedelta(minutes=10))
    # il limite segue il codice fiscale, non la sessione: un nuovo browser non lo azzera
    with pytest.raises(pubblico.ErroreInvio, match="Troppi invii"):
        pubblico.invia_candidatura("mi-aperta", _dati_validi(), [], "altro", ORA + dt.timedelta(minutes=10))
    pubblico.invia_candidatura("mi-aperta", _dati_validi(tipo="associazione", nome=None, cognome=None,
                                                         denominazione="Pro Loco", codice_fiscale="94012340488"),
                               [], "altro", ORA + dt.timedelta(minutes=10))


def test_campagna_chiusa_o_scaduta(campagna_aperta):
    dopo = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone.utc)
    with pytest.raises(pubblico.ErroreInvio, match="chiusa"):
        pubblico.invia_candidatura("mi-aperta", _dati_validi(), [], "s", dopo)
    assert pubblico.campagne_aperte(dopo.date()) == []
    assert [c.codice for c in pubblico.campagne_aperte(ORA.date())] == ["mi-aperta"]


def test_il_servizio_pubblico_non_legge_candidature():
    """Nessuna funzione pubblica restituisce candidature registrate: solo campagne e la propria ricevuta."""
    pubbliche = {n for n, f in inspect.getmembers(pubblico, inspect.isfunction)
                 if f.__module__ == pubblico.__name__ and not n.startswith("_")}
    assert pubbliche == {"campagne_aperte", "campagna_pubblica", "controlla_candidatura", "impronta_mittente",
                         "invia_candidatura"}
    sorgente = inspect.getsource(pubblico)
    assert "select(CandidaturaRecord)" not in sorgente and "select(AllegatoCandidaturaRecord)" not in sorgente
    info = pubblico.InfoPubblica.__dataclass_fields__
    assert "candidature" not in info
