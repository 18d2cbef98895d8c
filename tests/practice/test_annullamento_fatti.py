"""Annullare un fatto registrato per errore: un evento in più, la cronologia resta, il fatto non conta
più per stati, scadenze e regole (SQLite e, con ``TEST_DATABASE_URL``, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.model import load_pratica
from cer_docs.practice import Fatto, FattoRifiutato, annulla_fatto, compute_scadenze, compute_stati, record_fatto
from cer_docs.services import archivio as arc
from cer_docs.services import scadenze as svc
from cer_docs.services import utenti
from cer_docs.services.accesso import AccessoNegato
from database_prova import TIPI, database_vuoto

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
P = "cer-colline-sieve"
D = dt.date
AL = D(2026, 11, 22)


@pytest.fixture(params=TIPI)
def archivio(request, tmp_path, monkeypatch):
    with database_vuoto(request.param, tmp_path) as url:
        monkeypatch.setenv("CER_DOCS_DATABASE_URL", url)
        arc.importa_file(ESEMPIO, autore="test")
        yield arc


def _d16(scadenze):
    return next(s for s in scadenze if s.codice == "D16")


def test_annullare_una_comunicazione_riapre_la_scadenza_e_la_cronologia_la_conserva(archivio):
    fatto = svc.registra_fatto(P, "comunicazione_avvio_lavori", D(2026, 7, 2), "fv-cantina", autore="Anna", al=AL)
    assert _d16(fatto.scadenze).stato == "adempiuta"

    esito = svc.annulla_fatto(P, 0, "PEC inviata per un'altra pratica", autore="Bruno", versione_attesa=fatto.versione,
                              al=AL)

    assert esito.versione == fatto.versione + 1
    assert _d16(esito.scadenze).stato == "scaduta"
    pratica = arc.apri(P).pratica
    assert len(pratica.eventi) == 2  # nulla è cancellato
    assert pratica.eventi[1].tipo == "annullamento" and pratica.eventi[1].annulla == 0
    voci = [v for v in svc.cronologia(P, AL).voci if v.genere == "evento"]
    annullato, annullamento = voci
    assert annullato.annullato and annullato.annullato_il == AL and annullato.annullato_da == "Bruno"
    assert annullato.motivo_annullamento == "PEC inviata per un'altra pratica"
    assert not annullato.annullabile and "già annullato il 22 novembre 2026 da Bruno" in annullato.non_annullabile
    assert annullamento.annulla == 0 and annullamento.autore == "Bruno" and not annullamento.annullabile
    assert "fatto annullato" in arc.eventi(P)[-1].descrizione


def test_annullare_l_entrata_in_esercizio_svuota_il_campo_e_lo_stato_torna_indietro(archivio):
    fatto = svc.registra_fatto(P, "entrata_esercizio", D(2026, 9, 1), "fv-bianchi", al=AL)
    percorso = "configurazioni[0].impianti[2]"
    assert fatto.stati.di(percorso).stato != "in_progetto"
    assert arc.apri(P).pratica.configurazioni[0].impianti[2].data_entrata_esercizio == D(2026, 9, 1)

    esito = svc.annulla_fatto(P, 0, "data sbagliata", al=AL)

    assert arc.apri(P).pratica.configurazioni[0].impianti[2].data_entrata_esercizio is None
    assert esito.stati.di(percorso).etichetta == svc.stati(ESEMPIO, AL).di(percorso).etichetta
    # senza l'entrata in esercizio non c'è il termine della richiesta di accesso che ne nasceva
    assert [s.codice for s in esito.scadenze] == [s.codice for s in svc.scadenze(ESEMPIO, AL).scadenze]
    # e il fatto si può registrare di nuovo, con la data giusta
    di_nuovo = svc.registra_fatto(P, "entrata_esercizio", D(2026, 9, 15), "fv-bianchi", al=AL)
    assert arc.apri(P).pratica.configurazioni[0].impianti[2].data_entrata_esercizio == D(2026, 9, 15)
    assert di_nuovo.versione == esito.versione + 1


def test_non_si_annulla_due_volte_ne_un_annullamento_ne_senza_motivo(archivio):
    svc.registra_fatto(P, "mandato_firmato", D(2026, 3, 1), al=AL)
    with pytest.raises(svc.FattoRifiutato, match="perché"):
        svc.annulla_fatto(P, 0, "   ", al=AL)
    svc.annulla_fatto(P, 0, "mandato mai firmato", autore="Anna", al=AL)
    versione = arc.apri(P).versione
    with pytest.raises(svc.FattoRifiutato, match="già annullato il 22 novembre 2026 da Anna"):
        svc.annulla_fatto(P, 0, "di nuovo", al=AL)
    with pytest.raises(svc.FattoRifiutato, match="non si annulla un annullamento"):
        svc.annulla_fatto(P, 1, "e l'annullamento?", al=AL)
    with pytest.raises(svc.FattoRifiutato, match="non ha un evento numero 9"):
        svc.annulla_fatto(P, 8, "inesistente", al=AL)
    assert arc.apri(P).versione == versione  # un rifiuto non scrive nulla
    assert arc.apri(P).pratica.configurazioni[0].referente.mandato.data_firma is None


def test_conflitto_se_qualcuno_ha_salvato_dopo(archivio):
    svc.registra_fatto(P, "mandato_firmato", D(2026, 3, 1), al=AL)
    with pytest.raises(arc.ConflittoModifica):
        svc.annulla_fatto(P, 0, "sbagliato", versione_attesa=1, al=AL)
    assert len(arc.apri(P).pratica.eventi) == 1


def test_chi_legge_soltanto_non_annulla(archivio):
    svc.registra_fatto(P, "mandato_firmato", D(2026, 3, 1), al=AL)
    utenti.crea_utente("lia", "Lia Lettrice", "una password abbastanza lunga")
    utenti.condividi_pratica(P, "lia", "lettura")
    utenti.crea_utente("remo", "Remo Redattore", "una password abbastanza lunga")
    utenti.condividi_pratica(P, "remo", "redattore")
    with pytest.raises(AccessoNegato):
        svc.annulla_fatto(P, 0, "non posso", al=AL, attore=utenti.attore_da_username("lia"))
    assert len(arc.apri(P).pratica.eventi) == 1
    esito = svc.annulla_fatto(P, 0, "firmato per errore", al=AL, attore=utenti.attore_da_username("remo"))
    assert esito.evento.autore.startswith("Remo Redattore")


# --------------------------------------------------------------------------- funzioni pure

def _senza_atto():
    p = load_pratica(ESEMPIO)
    p.comunita.atto_costitutivo.data = None
    p.comunita.atto_costitutivo.registrazione = None
    return p


def test_prima_si_annulla_il_fatto_che_dipende_poi_quello_da_cui_dipende():
    p = record_fatto(_senza_atto(), Fatto("atto_firmato", D(2026, 2, 10)), AL).pratica
    p = record_fatto(p, Fatto("atto_registrato", D(2026, 2, 20), riferimento="Serie 3T n. 12"), AL).pratica
    assert compute_stati(p, AL).comunita.stato == "data_certa"
    with pytest.raises(FattoRifiutato, match="annulla prima quello"):
        annulla_fatto(p, 0, "data sbagliata", "Anna", AL)

    p = annulla_fatto(p, 1, "registrazione di un altro atto", "Anna", AL).pratica
    atto = p.comunita.atto_costitutivo
    assert atto.registrazione.data is None and atto.registrazione.numero is None and atto.data == D(2026, 2, 10)
    assert compute_stati(p, AL).comunita.stato == "costituita"
    p = annulla_fatto(p, 0, "atto mai firmato", "Anna", AL).pratica
    assert p.comunita.atto_costitutivo.data is None
    assert compute_stati(p, AL).comunita.stato != "costituita"
    assert [e.tipo for e in p.eventi] == ["atto_firmato", "atto_registrato", "annullamento", "annullamento"]
    assert p.eventi_validi() == []
    assert not p.errori_riferimenti()


def test_il_mandato_riprende_le_date_dei_fatti_rimasti():
    p = load_pratica(ESEMPIO)
    for tipo, d in (("mandato_firmato", D(2026, 1, 10)), ("mandato_revocato", D(2026, 4, 1)),
                    ("mandato_firmato", D(2026, 5, 1))):
        p = record_fatto(p, Fatto(tipo, d), AL).pratica
    m = p.configurazioni[0].referente.mandato
    assert (m.data_firma, m.data_revoca) == (D(2026, 5, 1), None)
    p = annulla_fatto(p, 2, "il nuovo mandato non è stato firmato", None, AL).pratica
    m = p.configurazioni[0].referente.mandato
    assert (m.data_firma, m.data_revoca) == (D(2026, 1, 10), D(2026, 4, 1))


def test_un_campo_cambiato_a_mano_dopo_il_fatto_non_si_tocca():
    p = record_fatto(load_pratica(ESEMPIO), Fatto("entrata_esercizio", D(2026, 9, 1), "fv-bianchi"), AL).pratica
    p.configurazioni[0].impianti[2].data_entrata_esercizio = D(2026, 9, 3)  # corretto nella procedura
    esito = annulla_fatto(p, 0, "doppione", None, AL)
    assert esito.pratica.configurazioni[0].impianti[2].data_entrata_esercizio == D(2026, 9, 3)
    assert any("3 settembre 2026" in a and "non l'ho toccato" in a for a in esito.avvisi)


def test_le_scadenze_non_vedono_il_fatto_annullato():
    p = record_fatto(load_pratica(ESEMPIO), Fatto("comunicazione_avvio_lavori", D(2026, 7, 2), "fv-cantina"), AL).pratica
    assert _d16(compute_scadenze(p, AL)).stato == "adempiuta"
    p = annulla_fatto(p, 0, "sbagliato", None, AL).pratica
    assert _d16(compute_scadenze(p, AL)).stato == "scaduta"


def test_un_file_con_annullamenti_incoerenti_e_segnalato():
    p = load_pratica(ESEMPIO)
    p = record_fatto(p, Fatto("mandato_firmato", D(2026, 3, 1)), AL).pratica
    p = annulla_fatto(p, 0, "sbagliato", None, AL).pratica
    doppio = p.model_copy(deep=True)
    doppio.eventi.append(doppio.eventi[1].model_copy())
    assert any("già annullato" in m for _, m in doppio.errori_riferimenti())
    avanti = p.model_copy(deep=True)
    avanti.eventi[1].annulla = 5
    assert any(percorso == "eventi[1].annulla" for percorso, _ in avanti.errori_riferimenti())
