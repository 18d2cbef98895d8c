"""Account: hash Argon2, blocco dopo tentativi sbagliati, sessioni che scadono, cambio e
reimpostazione della password, disattivazione, ultimo amministratore; ruoli come eventi."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from cer_docs.services import archivio, utenti
from cer_docs.services.accesso import AccessoNegato
from cer_docs.store import get_engine

ROOT = Path(__file__).resolve().parents[2]
PW = "cavallo batteria graffetta"
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)


class Orologio:
    def __init__(self) -> None:
        self.ora = T0

    def __call__(self) -> dt.datetime:
        return self.ora

    def avanza(self, **kw) -> None:
        self.ora += dt.timedelta(**kw)


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", db_url)
    utenti.crea_utente("amm", "Alba Amministratrice", PW, amministratore=True)
    utenti.crea_utente("bruno", "Bruno Bianchi", PW)
    return db_url


def _riga(username: str) -> dict:
    with get_engine().connect() as c:
        return dict(c.execute(sa.text("SELECT * FROM utente WHERE username = :u"), {"u": username}).mappings().one())


def test_password_solo_come_hash_argon2(db):
    r = _riga("bruno")
    assert r["password_hash"].startswith("$argon2id$")
    assert PW not in r["password_hash"]
    with get_engine().connect() as c:
        tutto = " ".join(str(v) for row in c.exec_driver_sql("SELECT * FROM utente").all() for v in row)
    assert PW not in tutto


def test_accesso_e_sessione(db):
    orologio = Orologio()
    esito = utenti.accedi("Bruno", PW, clock=orologio)  # il nome utente non distingue maiuscole
    assert esito.attore.username == "bruno" and not esito.attore.amministratore
    assert utenti.attore_da_sessione(esito.token, clock=orologio).nome == "Bruno Bianchi"
    # nel database c'è solo l'impronta del gettone
    with get_engine().connect() as c:
        assert esito.token not in str(c.exec_driver_sql("SELECT * FROM sessione").all())
    utenti.esci(esito.token)
    assert utenti.attore_da_sessione(esito.token, clock=orologio) is None


def test_sessione_scade_per_inattivita_e_comunque_dopo_la_durata_massima(db):
    orologio = Orologio()
    esito = utenti.accedi("bruno", PW, clock=orologio)
    orologio.avanza(minutes=29)
    assert utenti.attore_da_sessione(esito.token, clock=orologio) is not None  # l'uso rinnova l'inattività
    orologio.avanza(minutes=30)
    assert utenti.attore_da_sessione(esito.token, clock=orologio) is None
    esito = utenti.accedi("bruno", PW, clock=orologio)
    inizio = orologio.ora
    while utenti.attore_da_sessione(esito.token, clock=orologio) is not None:  # uso continuo, ogni 15 minuti
        orologio.avanza(minutes=15)
        assert orologio.ora - inizio <= utenti.DURATA_MASSIMA
    assert orologio.ora - inizio == utenti.DURATA_MASSIMA == dt.timedelta(hours=10)


def test_blocco_dopo_tentativi_sbagliati(db):
    orologio = Orologio()
    for _ in range(utenti.MAX_TENTATIVI):
        with pytest.raises(utenti.CredenzialiErrate):
            utenti.accedi("bruno", "password sbagliata!!", clock=orologio)
    # bloccato: anche la password giusta non basta, e il messaggio dice fino a quando
    with pytest.raises(utenti.UtenteBloccato) as e:
        utenti.accedi("bruno", PW, clock=orologio)
    assert "bloccato fino alle" in str(e.value)
    orologio.avanza(minutes=16)
    assert utenti.accedi("bruno", PW, clock=orologio).attore.username == "bruno"
    assert any(ev.tipo == "utente_bloccato" for ev in _eventi("utente:bruno"))


def test_stesso_messaggio_per_utente_inesistente_e_password_sbagliata(db):
    with pytest.raises(utenti.CredenzialiErrate) as a:
        utenti.accedi("nessuno", PW)
    with pytest.raises(utenti.CredenzialiErrate) as b:
        utenti.accedi("bruno", "password sbagliata!!")
    assert str(a.value) == str(b.value) == "nome utente o password non corretti"


def test_cambio_e_reimpostazione_della_password(db):
    bruno = utenti.accedi("bruno", PW).attore
    with pytest.raises(utenti.ErroreUtenti, match="attuale non è corretta"):
        utenti.cambia_password(bruno, "non è questa la password", "una nuova password lunga")
    with pytest.raises(utenti.ErroreUtenti, match="almeno 12"):
        utenti.cambia_password(bruno, PW, "corta")
    utenti.cambia_password(bruno, PW, "una nuova password lunga")
    with pytest.raises(utenti.CredenzialiErrate):
        utenti.accedi("bruno", PW)
    sessione = utenti.accedi("bruno", "una nuova password lunga")
    # solo un amministratore reimposta; la password provvisoria obbliga al cambio e chiude le sessioni
    with pytest.raises(AccessoNegato):
        utenti.reimposta_password("amm", "presa di potere totale", attore=bruno)
    utenti.reimposta_password("bruno", "provvisoria 2026 ufficio")
    assert utenti.attore_da_sessione(sessione.token) is None
    assert utenti.accedi("bruno", "provvisoria 2026 ufficio").attore.deve_cambiare_password


def test_disattivazione_e_ultimo_amministratore(db):
    sessione = utenti.accedi("bruno", PW)
    utenti.disattiva("bruno")
    assert utenti.attore_da_sessione(sessione.token) is None
    with pytest.raises(utenti.CredenzialiErrate):
        utenti.accedi("bruno", PW)
    with pytest.raises(utenti.ErroreUtenti, match="ultimo amministratore"):
        utenti.disattiva("amm")
    with pytest.raises(utenti.ErroreUtenti, match="ultimo amministratore"):
        utenti.imposta_amministratore("amm", False)
    assert utenti.amministratori_attivi() == 1
    utenti.riattiva("bruno")
    assert utenti.accedi("bruno", PW).attore.username == "bruno"


def test_solo_un_amministratore_crea_account(db):
    bruno = utenti.attore_da_username("bruno")
    with pytest.raises(AccessoNegato):
        utenti.crea_utente("carla", "Carla", PW, attore=bruno)
    with pytest.raises(AccessoNegato):
        utenti.elenco_utenti(attore=bruno)
    amm = utenti.attore_da_username("amm")
    utenti.crea_utente("carla", "Carla Conti", PW, attore=amm)
    assert [v.username for v in utenti.elenco_utenti(attore=amm)] == ["amm", "bruno", "carla"]
    [ev] = _eventi("utente:carla")
    assert (ev.tipo, ev.autore) == ("utente_creato", "Alba Amministratrice (amm)")


def test_cambi_di_ruolo_sono_eventi_della_pratica(db):
    archivio.importa_file(ROOT / "samples" / "pratica-esempio.yaml", autore="ufficio")
    amm = utenti.attore_da_username("amm")
    utenti.condividi_pratica("cer-colline-sieve", "bruno", "redattore", attore=amm)
    utenti.condividi_pratica("cer-colline-sieve", "bruno", "revisore", attore=amm)
    utenti.condividi_pratica("cer-colline-sieve", "bruno", None, attore=amm)
    ruoli = [e for e in archivio.eventi("cer-colline-sieve") if e.tipo == "ruolo"]
    assert [(e.autore, e.dettagli["utente"], e.dettagli["ruolo"], e.dettagli["ruolo_precedente"]) for e in ruoli] == [
        ("Alba Amministratrice (amm)", "bruno", "redattore", None),
        ("Alba Amministratrice (amm)", "bruno", "revisore", "redattore"),
        ("Alba Amministratrice (amm)", "bruno", None, "revisore")]
    with pytest.raises(ValueError, match="ruolo 'padrone' sconosciuto"):
        utenti.condividi_pratica("cer-colline-sieve", "bruno", "padrone", attore=amm)


def test_l_account_firma_le_modifiche_non_il_nome_dichiarato(db):
    archivio.importa_file(ROOT / "samples" / "pratica-esempio.yaml", autore="ufficio")
    utenti.condividi_pratica("cer-colline-sieve", "bruno", "redattore")
    bruno = utenti.attore_da_username("bruno")
    a = archivio.apri("cer-colline-sieve", attore=bruno)
    p = a.pratica.model_copy(deep=True)
    p.pratica.stato = "operativa"
    archivio.salva("cer-colline-sieve", p, a.versione, autore="Sindaco (finto)", attore=bruno)
    assert archivio.eventi("cer-colline-sieve")[-1].autore == "Bruno Bianchi (bruno)"


def _eventi(codice: str):
    from cer_docs.store import repository as repo
    from sqlmodel import Session

    with Session(get_engine()) as s:
        return repo.list_events(s, codice)


def test_accesso_con_il_fornitore_d_identita_solo_per_un_account_con_quella_email(db):
    utenti.crea_utente("carla", "Carla Conti", PW, email="Carla.Conti@comune.example.it")
    esito = utenti.accedi_con_identita("carla.conti@comune.example.it")
    assert esito.attore.username == "carla" and utenti.attore_da_sessione(esito.token).nome == "Carla Conti"
    with pytest.raises(utenti.CredenzialiErrate):
        utenti.accedi_con_identita("estraneo@example.it")
    utenti.disattiva("carla")
    with pytest.raises(utenti.CredenzialiErrate):
        utenti.accedi_con_identita("carla.conti@comune.example.it")
