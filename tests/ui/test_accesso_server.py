"""L'app dell'ufficio in modalità server: nulla dell'archivio prima del login, poi solo le
pratiche condivise; password provvisoria da cambiare; sessione chiusa con «Esci»."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cer_docs.services import archivio, utenti
from guida_ui import APP

ROOT = Path(__file__).resolve().parents[2]
PW = "cavallo batteria graffetta"


@pytest.fixture
def ufficio(monkeypatch):
    """Due pratiche nell'archivio; Bruno è redattore di una sola."""
    archivio.importa_file(ROOT / "samples" / "pratica-esempio.yaml", autore="ufficio")
    archivio.importa_file(ROOT / "samples" / "cer-fondazione-borgo.yaml", autore="ufficio")
    utenti.crea_utente("amm", "Alba Amministratrice", PW, amministratore=True)
    utenti.crea_utente("bruno", "Bruno Bianchi", PW)
    utenti.condividi_pratica("cer-colline-sieve", "bruno", "redattore")
    monkeypatch.setenv("CER_DOCS_MODALITA", "server")


def _testo(at: AppTest) -> str:
    parti = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parti += [e.value for e in at.subheader]
    parti += [str(e.value) for e in at.info] + [str(e.value) for e in at.error] + [str(e.value) for e in at.warning]
    parti += [str(e.value) for e in at.success]
    parti += [str(d.value) for d in at.dataframe] + [str(s.options) for s in at.selectbox]
    return "\n".join(str(p) for p in parti)


def _accedi(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="accesso-utente").input(username)
    at.text_input(key="accesso-password").input(password)
    return at.button[0].click().run()


def test_prima_del_login_nessun_dato_poi_solo_le_pratiche_condivise(ufficio):
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    testo = _testo(at)
    assert "Accedi" in testo
    for segreto in ("cer-colline-sieve", "Colline", "cer-fondazione-borgo", "Borgo", "pratiche"):
        assert segreto not in testo, segreto
    # anche un collegamento diretto a una pratica non mostra nulla
    at.query_params["pratica"] = "cer-colline-sieve"
    at.run()
    assert "Colline" not in _testo(at) and "Accedi" in _testo(at)

    _accedi(at, "bruno", "password sbagliata!!")
    assert "nome utente o password non corretti" in _testo(at)
    assert "Colline" not in _testo(at)

    _accedi(at, "bruno", PW)
    assert not at.exception
    testo = _testo(at)
    assert "cer-colline-sieve" in testo and "Bruno Bianchi" in testo
    assert "cer-fondazione-borgo" not in testo and "Borgo" not in testo
    assert "1 pratica nell'archivio" in testo
    # nessun campo «Il tuo nome»: firma l'account
    assert not [t for t in at.text_input if t.label == "Il tuo nome"]


def test_l_amministratore_vede_tutto_e_esci_chiude_la_sessione(ufficio):
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    _accedi(at, "amm", PW)
    testo = _testo(at)
    assert "cer-colline-sieve" in testo and "cer-fondazione-borgo" in testo
    token = at.session_state["_sessione_cer_docs"]
    assert utenti.attore_da_sessione(token) is not None
    at.button(key="esci").click().run()
    assert utenti.attore_da_sessione(token) is None
    assert "Accedi" in _testo(at) and "cer-colline-sieve" not in _testo(at)


def test_password_provvisoria_da_cambiare_prima_di_tutto(ufficio):
    utenti.reimposta_password("bruno", "provvisoria 2026 ufficio")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    _accedi(at, "bruno", "provvisoria 2026 ufficio")
    assert "Cambia la password" in _testo(at) and "cer-colline-sieve" not in _testo(at)
    at.text_input(key="pw-vecchia").input("provvisoria 2026 ufficio")
    at.text_input(key="pw-nuova").input("la mia password personale")
    at.text_input(key="pw-ripeti").input("la mia password personale")
    at.button[0].click().run()
    assert not at.exception
    assert "cer-colline-sieve" in _testo(at)
    assert utenti.accedi("bruno", "la mia password personale").attore.username == "bruno"


def test_modalita_personale_resta_senza_login(monkeypatch):
    archivio.importa_file(ROOT / "samples" / "pratica-esempio.yaml", autore="ufficio")
    utenti.crea_utente("amm", "Alba Amministratrice", PW, amministratore=True)  # gli account non cambiano nulla
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert "cer-colline-sieve" in _testo(at) and "Accedi" not in [t.value for t in at.title]


def test_il_ruolo_decide_quali_comandi_compaiono(ufficio):
    utenti.crea_utente("lia", "Lia Lettrice", PW)
    utenti.condividi_pratica("cer-colline-sieve", "lia", "lettura")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    _accedi(at, "lia", PW)
    assert "cer-colline-sieve" in _testo(at)
    etichette = [b.label for b in at.get("download_button")] + [e.label for e in at.expander]
    assert "Esporta in YAML" not in etichette and "Elimina" not in etichette and "Condivisione" in etichette
    at2 = AppTest.from_file(str(APP), default_timeout=120).run()
    _accedi(at2, "bruno", PW)  # redattore: esporta sì, elimina no
    etichette = [b.label for b in at2.get("download_button")] + [e.label for e in at2.expander]
    assert "Esporta in YAML" in etichette and "Elimina" not in etichette


def test_accesso_con_il_fornitore_d_identita(ufficio):
    utenti.crea_utente("carla", "Carla Conti", PW, email="carla.conti@comune.example.it")
    utenti.condividi_pratica("cer-fondazione-borgo", "carla", "lettura")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "cer-docs", "client_secret": "s",
                          "server_metadata_url": "https://idp.example.it/.well-known/openid-configuration"}
    at.run()
    assert [b.label for b in at.button if b.key == "oidc-accedi"] == ["Accedi con l'identità dell'ente"]
    # il fornitore ha riconosciuto una persona senza account: nessun dato
    at.user = {"is_logged_in": True, "email": "estraneo@example.it"}
    at.run()
    assert "Nessun account di cer-docs attivo" in _testo(at) and "Borgo" not in _testo(at)
    at.user = {"is_logged_in": True, "email": "carla.conti@comune.example.it"}
    at.run()
    testo = _testo(at)
    assert "cer-fondazione-borgo" in testo and "cer-colline-sieve" not in testo and "Carla Conti" in testo


def _pagina(radice: str, nome: str) -> None:
    import sys

    if radice not in sys.path:
        sys.path.insert(0, radice)
    from ui import amministrazione

    getattr(amministrazione, nome)()


def _app_pagina(nome: str, username: str) -> AppTest:
    at = AppTest.from_function(_pagina, args=(str(ROOT), nome), default_timeout=120)
    at.session_state["_attore_corrente"] = utenti.attore_da_username(username)
    return at.run()


def test_pagina_utenti_solo_per_l_amministratore(ufficio):
    at = _app_pagina("pagina_utenti", "bruno")
    assert "Solo un amministratore" in _testo(at)
    at = _app_pagina("pagina_utenti", "amm")
    assert not at.exception
    at.text_input(key="nu-username").input("dario")
    at.text_input(key="nu-nome").input("Dario Donati")
    at.text_input(key="nu-password").input("provvisoria numero 1")
    at.button[0].click().run()
    assert not at.exception
    assert utenti.accedi("dario", "provvisoria numero 1").attore.deve_cambiare_password


def test_pagina_dati_personali(ufficio):
    at = _app_pagina("pagina_dati_personali", "amm")
    at.text_input(key="dp-cf").input("RSSMRA75D12D612N").run()
    at.button(key="dp-esporta").click().run()
    assert not at.exception
    assert "Trovate: 1 pratica e 0 candidature" in _testo(at)
    assert {b.label for b in at.get("download_button")} == {"Scarica il JSON completo", "Scarica il PDF leggibile"}
    at.checkbox(key="dp-conferma").check().run()
    at.button(key="dp-cancella").click().run()
    testo = _testo(at)
    # la pratica d'esempio è di una comunità costituita: la cancellazione è rifiutata con il motivo
    assert "Cancellati: 0 pratiche" in testo and "comunità costituita" in testo
    # il redattore di una sola pratica non può cancellare
    at = _app_pagina("pagina_dati_personali", "bruno")
    at.text_input(key="dp-cf").input("RSSMRA75D12D612N").run()
    at.checkbox(key="dp-conferma").check().run()
    at.button(key="dp-cancella").click().run()
    assert "Non cancellato" in _testo(at)


def _carla_con_ruolo(ruolo: str, pagina: str) -> AppTest:
    """Carla entra con ``ruolo`` sulla pratica d'esempio e apre ``pagina`` su quella pratica."""
    utenti.crea_utente("carla", "Carla Conti", PW)
    utenti.condividi_pratica("cer-colline-sieve", "carla", ruolo)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    _accedi(at, "carla", PW)
    at.switch_page(pagina)
    at.query_params["pratica"] = "cer-colline-sieve"
    return at.run()


def test_chi_ha_solo_la_lettura_non_vede_il_modulo_di_generazione(ufficio):
    at = _carla_con_ruolo("lettura", "pagine/documenti.py")
    assert not at.exception
    assert "non permette di generare i documenti" in _testo(at)
    assert not [b for b in at.button if "Genera i documenti" in str(b.label)]


def test_chi_ha_solo_la_lettura_non_vede_il_modulo_dei_fatti(ufficio):
    """La cronologia si legge; registrare o annullare un fatto è una modifica: il modulo non c'è."""
    at = _carla_con_ruolo("revisore", "pagine/cronologia.py")
    assert not at.exception
    testo = _testo(at)
    assert "Cronologia e scadenze" in testo and "non di registrare o annullare fatti" in testo
    assert not [b for b in at.button if str(b.label) in ("Registra il fatto", "Annulla il fatto")]
