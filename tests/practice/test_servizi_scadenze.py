"""Servizi di fatti, scadenze, cronologia, cruscotto e calendario sull'archivio (SQLite di prova)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from cer_docs.services import archivio as arc
from cer_docs.services import scadenze as svc

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
VALLE = ROOT / "samples" / "cer-valle-due-cabine.yaml"
D = dt.date
AL = D(2026, 11, 22)


@pytest.fixture
def archivio():
    arc.importa_file(ESEMPIO, autore="test")
    arc.importa_file(VALLE, autore="test")
    return arc


def test_registra_fatto_salva_evento_e_versione(archivio):
    esito = svc.registra_fatto("cer-colline-sieve", "comunicazione_avvio_lavori", D(2026, 7, 2), "fv-cantina",
                               nota="PEC prot. 77", autore="Anna", al=AL)
    assert esito.versione == 2
    assert esito.evento.tipo == "comunicazione_avvio_lavori" and esito.evento.autore == "Anna"
    aperta = arc.apri("cer-colline-sieve")
    assert aperta.versione == 2 and aperta.pratica.eventi[-1] == esito.evento
    assert aperta.pratica.eventi[-1].nota == "PEC prot. 77"
    ultimo = arc.eventi("cer-colline-sieve")[-1]
    assert ultimo.autore == "Anna" and "fatto registrato" in ultimo.descrizione
    d16 = next(s for s in esito.scadenze if s.codice == "D16")
    assert d16.stato == "adempiuta"


def test_fatto_rifiutato_non_scrive_nulla(archivio):
    with pytest.raises(svc.FattoRifiutato) as e:
        svc.registra_fatto("cer-colline-sieve", "mandato_revocato", D(2026, 3, 1), al=AL)
    assert "mai firmato" in str(e.value)
    assert arc.apri("cer-colline-sieve").versione == 1


def test_conflitto_se_qualcuno_ha_salvato_dopo(archivio):
    svc.registra_fatto("cer-colline-sieve", "mandato_firmato", D(2026, 3, 1), versione_attesa=1, al=AL)
    with pytest.raises(arc.ConflittoModifica):
        svc.registra_fatto("cer-colline-sieve", "entrata_esercizio", D(2026, 3, 2), "fv-bianchi",
                           versione_attesa=1, al=AL)
    assert arc.apri("cer-colline-sieve").pratica.configurazioni[0].impianti[2].data_entrata_esercizio is None


def test_pratica_inesistente(archivio):
    with pytest.raises(arc.PraticaNonTrovata):
        svc.registra_fatto("non-c-e", "atto_firmato", D(2026, 1, 1), al=AL)
    with pytest.raises(svc.PraticaNonDisponibile):
        svc.scadenze("non-c-e", AL)
    with pytest.raises(svc.PraticaNonDisponibile):
        svc.scadenze("cartella/che/non/esiste.yaml", AL)


def test_file_e_archivio_danno_le_stesse_scadenze(archivio):
    da_file = svc.scadenze(ESEMPIO, AL)
    da_archivio = svc.scadenze("cer-colline-sieve", AL)
    assert da_file.scadenze == da_archivio.scadenze
    assert da_file.codice == "cer-colline-sieve" and da_file.al == AL
    json_ = da_file.as_json()
    assert {"codice", "data", "titolo", "oggetto", "conseguenza", "riferimento", "stato"} <= set(json_[0])


def test_cruscotto(archivio):
    c = svc.cruscotto(AL)
    assert c.al == AL and not c.illeggibili
    assert {g.codice for g in c.per_pratica} == {"cer-colline-sieve", "cer-valle-due-cabine"}
    # la comunicazione dell'avvio lavori della pratica d'esempio è scaduta e aperta
    assert any(v.codice_pratica == "cer-colline-sieve" and v.scadenza.codice == "D16" for v in c.scadute)
    for v in c.scadute:
        assert v.scadenza.stato == "scaduta" and v.scadenza.adempiuta_il is None and v.giorni < 0
    for fascia, (da, a) in ((c.entro_30, (0, 30)), (c.entro_60, (31, 60)), (c.entro_90, (61, 90))):
        for v in fascia:
            assert da <= v.giorni <= a and v.scadenza.aperta
    tutte = [*c.scadute, *c.entro_30, *c.entro_60, *c.entro_90]
    assert all(v.scadenza.stato != "adempiuta" for v in tutte)
    assert c.per_pratica[0].scadute, "le pratiche con scadenze scadute vengono prima"
    # guardando più avanti compaiono le scadenze del 2027 (conguaglio del 15 maggio)
    maggio = svc.cruscotto(D(2027, 4, 20))
    assert any(v.scadenza.codice == "D10" and v.giorni == 25 for v in maggio.entro_30)


def test_cronologia_in_ordine(archivio):
    cr = svc.cronologia("cer-valle-due-cabine", AL)
    date = [v.data for v in cr.voci]
    assert date == sorted(date)
    generi = {v.genere for v in cr.voci}
    assert generi == {"evento", "scadenza"}
    # a parità di data gli eventi precedono le scadenze
    for a, b in zip(cr.voci, cr.voci[1:]):
        if a.data == b.data:
            assert not (a.genere == "scadenza" and b.genere == "evento")
    primo = cr.voci[0]
    assert primo.genere == "evento" and primo.data == D(2025, 6, 14)
    assert cr.passate() and cr.future() and cr.stati.pratica in ("qualificata", "operativa")


def test_esporta_ics_da_codice_o_file_stessi_uid(archivio, tmp_path):
    adesso = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.timezone.utc)
    a = svc.esporta_ics("cer-colline-sieve", AL, adesso=adesso)
    b = svc.esporta_ics(ESEMPIO, AL, adesso=adesso)
    assert a == b
    f = svc.scrivi_ics(tmp_path / "scadenze.ics", a)
    cal = Calendar.from_ical(f.read_bytes())
    assert len(cal.walk("VEVENT")) == len(svc.scadenze(ESEMPIO, AL).scadenze)
    assert not list(tmp_path.glob(".*.tmp")), "il file temporaneo deve sparire"


def test_tipi_fatto_per_la_ui():
    tipi = svc.tipi_fatto()
    assert [t.codice for t in tipi][:2] == ["atto_firmato", "atto_registrato"]
    assert all(t.etichetta for t in tipi)
