"""La matrice degli accessi: per ogni ruolo e ogni azione dei servizi, permesso o rifiuto come da
specifica (issue 15), su SQLite e su PostgreSQL.

La tabella ``PUO`` qui sotto è la specifica scritta a mano, non una copia di quella del codice:
se qualcuno allarga o restringe un permesso nel codice, questo test lo dice. «Permesso» vuol dire
che il servizio non solleva ``AccessoNegato`` (e, dove ha senso, che l'effetto c'è davvero);
«rifiutato» che lo solleva e che nulla è cambiato.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.campagne.file import carica_campagna
from cer_docs.services import archivio, campagne, documenti, pnrr, scadenze, utenti
from cer_docs.services.accesso import AccessoNegato, attore_locale

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
CAMPAGNA = ROOT / "samples" / "campagne" / "avviso-san-godenzo.yaml"
P = "cer-colline-sieve"
AL = dt.date(2026, 11, 22)
PW = "una password abbastanza lunga"

TUTTI = {"titolare", "redattore", "revisore", "ufficio_comunale", "lettura"}
# azione → ruoli (sulla pratica o sulla campagna) che la possono compiere; l'amministratore può sempre,
# chi non ha alcuna condivisione mai.
PUO = {
    "leggi": TUTTI,
    "modifica": {"titolare", "redattore"},
    "genera": {"titolare", "redattore"},
    "scarica": {"titolare", "redattore", "revisore"},
    "carica": {"titolare", "redattore", "revisore"},
    "condividi": {"titolare"},
    "esporta": {"titolare", "redattore"},
    "cancella": {"titolare"},
    "campagna_leggi": TUTTI,
    "campagna_esporta": {"titolare", "ufficio_comunale"},
    "campagna_decidi": {"titolare", "ufficio_comunale"},
    "campagna_converti": {"titolare", "ufficio_comunale"},
}
CHI = [*sorted(TUTTI), "amministratore", "nessuno"]


@pytest.fixture
def installazione(db_url, monkeypatch):
    """Una pratica e una campagna dell'amministratore locale, un documento caricato, due account."""
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", db_url)
    archivio.importa_file(ESEMPIO, autore="ufficio")
    fc = carica_campagna(CAMPAGNA)
    campagne.crea_campagna(fc.campagna.model_copy(update={"codice": "mi-prova", "pratica": None}), fc.candidature)
    sha = archivio.carica_documento(P, "statuto-rivisto.pdf", b"%PDF-1.4 statuto rivisto dal notaio")
    utenti.crea_utente("amm", "Alba Amministratrice", PW, amministratore=True)
    utenti.crea_utente("terzo", "Tito Terzo", PW)
    return {"sha": sha}


def _attore(ruolo: str):
    if ruolo == "amministratore":
        return utenti.attore_da_username("amm")
    utenti.crea_utente("persona", "Paola Persona", PW)
    if ruolo != "nessuno":
        utenti.condividi_pratica(P, "persona", ruolo)
        utenti.condividi_campagna("mi-prova", "persona", ruolo)
    return utenti.attore_da_username("persona")


def _azioni(chi, sha: str):
    """Ogni azione come chiamata ai servizi, con l'effetto da controllare quando è permessa."""

    def modifica():
        a = archivio.apri(P)  # l'amministratore locale legge la versione corrente
        p = a.pratica.model_copy(deep=True)
        p.pratica.stato = "operativa"
        archivio.salva(P, p, a.versione, attore=chi, descrizione="prova dei permessi")
        assert archivio.apri(P).pratica.pratica.stato == "operativa"

    def genera():
        nome, dati = documenti.genera_documento(archivio.apri(P).pratica, "informativa_privacy", "docx", al=AL,
                                                attore=chi)
        assert nome.endswith(".docx") and dati[:2] == b"PK"

    def decidi():
        v = campagne.candidature("mi-prova")[0]
        campagne.decidi(v.protocollo, "ammessa", None, "finto nome", v.versione, attore=chi)
        assert campagne.candidature("mi-prova")[0].decisione == "ammessa"

    def converti():
        for v in campagne.candidature("mi-prova"):
            if v.decisione != "ammessa":
                campagne.decidi(v.protocollo, "ammessa", None, "ufficio", v.versione)
        esito = campagne.converti_in_pratica("mi-prova", None, nuova_codice="cer-da-campagna", attore=chi)
        assert esito.nuova and archivio.apri("cer-da-campagna").pratica.membri

    return {
        "leggi": lambda: archivio.apri(P, attore=chi),
        "modifica": modifica,
        "genera": genera,
        "scarica": lambda: pnrr.contenuto_documento(P, sha, attore=chi),
        "carica": lambda: archivio.carica_documento(P, "rivisto.docx", b"PK\x03\x04 statuto corretto", attore=chi),
        "condividi": lambda: utenti.condividi_pratica(P, "terzo", "lettura", attore=chi),
        "esporta": lambda: archivio.esporta(P, "json", attore=chi),
        "campagna_leggi": lambda: campagne.candidature("mi-prova", attore=chi),
        "campagna_esporta": lambda: campagne.esporta_csv("mi-prova", attore=chi),
        "campagna_decidi": decidi,
        "campagna_converti": converti,
        "cancella": lambda: archivio.elimina(P, attore=chi),  # per ultima: toglie la pratica
    }


@pytest.mark.parametrize("ruolo", CHI)
def test_matrice_ruoli_per_azione(installazione, ruolo):
    chi = _attore(ruolo)
    esiti = {}
    for azione, fai in _azioni(chi, installazione["sha"]).items():
        versione = archivio.apri(P).versione if archivio.elenco_pratiche() else None
        try:
            fai()
        except AccessoNegato as e:
            esiti[azione] = False
            # un rifiuto non cambia nulla e non rivela nulla
            if versione is not None:
                assert archivio.apri(P).versione == versione, azione
            assert "CRSMRA" not in str(e)
        else:
            esiti[azione] = True
    attesi = {a: ruolo == "amministratore" or ruolo in roles for a, roles in PUO.items()}
    assert esiti == attesi


def test_chi_non_ha_condivisioni_non_vede_nulla(installazione):
    chi = _attore("nessuno")
    assert archivio.elenco_pratiche(attore=chi) == []
    assert campagne.elenco_campagne(attore=chi) == []
    assert scadenze.cruscotto(AL, attore=chi).per_pratica == ()
    for fai in (lambda: archivio.apri(P, attore=chi), lambda: archivio.eventi(P, attore=chi),
                lambda: scadenze.scadenze(P, AL, attore=chi), lambda: pnrr.documenti_caricati(P, attore=chi),
                lambda: campagne.apri_campagna("mi-prova", attore=chi),
                lambda: utenti.condivisioni_pratica(P, attore=chi)):
        with pytest.raises(AccessoNegato) as e:
            fai()
        # stesso messaggio per «non esiste» e «non è tua»: non si scopre nemmeno che esiste
        assert "non è nell'archivio o non è condivisa con te" in str(e.value)
    with pytest.raises(AccessoNegato) as e:
        archivio.apri("cer-inesistente", attore=chi)
    assert "non è nell'archivio o non è condivisa con te" in str(e.value)


def test_chi_ha_una_condivisione_vede_solo_quella(installazione):
    archivio.importa_file(ROOT / "samples" / "cer-fondazione-borgo.yaml", autore="ufficio")
    chi = _attore("lettura")
    assert [v.codice for v in archivio.elenco_pratiche(attore=chi)] == [P]
    assert [g.codice for g in scadenze.cruscotto(AL, attore=chi).per_pratica] in ([P], [])
    assert len(archivio.elenco_pratiche()) == 2  # l'amministratore locale le vede tutte


def test_chi_crea_con_il_suo_account_ne_diventa_titolare(installazione):
    chi = _attore("nessuno")
    fc = carica_campagna(CAMPAGNA)
    pratica = archivio.apri(P).pratica.model_copy(deep=True)
    pratica.pratica = pratica.pratica.model_copy(update={"id": "cer-di-paola"})
    archivio.importa_pratica(pratica, autore="Qualcun Altro", attore=chi)
    campagne.crea_campagna(fc.campagna.model_copy(update={"codice": "mi-di-paola"}), attore=chi)
    assert [v.codice for v in archivio.elenco_pratiche(attore=chi)] == ["cer-di-paola"]
    assert [v.codice for v in campagne.elenco_campagne(attore=chi)] == ["mi-di-paola"]
    assert utenti.condivisioni_pratica("cer-di-paola", attore=chi) == [("persona", "Paola Persona", "titolare")]
    # il registro dice chi è stato davvero, non il nome dichiarato
    assert archivio.eventi("cer-di-paola", attore=chi)[0].autore == "Paola Persona (persona)"


def test_modalita_server_rifiuta_chi_non_passa_l_attore(installazione):
    from cer_docs.services import accesso

    accesso.richiedi_attore_esplicito(True)
    with pytest.raises(AccessoNegato):
        archivio.elenco_pratiche()
    with pytest.raises(AccessoNegato):
        campagne.elenco_campagne()
    assert [v.codice for v in archivio.elenco_pratiche(attore=attore_locale())] == [P]
