"""La tabella «Soggetti e membri» come la vede chi la compila: il ruolo «Non membro» ha un nome (niente riga
bianca nel menu della cella), il cognome resta in vista scorrendo, i numeri di riga dei messaggi sono quelli
della tabella anche dopo righe tolte, una riga che non si può togliere torna da sé senza perdere il resto."""

from __future__ import annotations

import datetime as dt
import json

from guida_ui import chiave, messaggi, nessun_errore, pulsante, versione

from cer_docs.services import archivio, motore_passi
from ui import campi
from ui.passi import soggetti as passo

CODICE = "cer-colline-sieve"


def apri(at):
    at.query_params["pratica"] = CODICE
    at.query_params["passo"] = "soggetti"
    at.run()
    at.switch_page("pagine/procedura.py").run()
    nessun_errore(at)
    return at


def _editor(at):
    return next(df for df in at.dataframe if "data_adesione" in df.value.columns)


def _modifica(at, **stato) -> None:
    at.session_state[chiave(CODICE, "tabella-soggetti")] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [],
                                                             **stato}


def _base(at):
    return at.session_state["_bozze_basi"][chiave(CODICE, "tabella-soggetti")]


def _aggiungi_soggetti(*persone: tuple[str, str]) -> None:
    """Soggetti senza POD né cariche (si possono togliere), salvati in fondo alla tabella."""
    p = archivio.apri(CODICE).pratica
    righe = motore_passi.righe(p, "soggetti") + [
        {"tipo": "persona_fisica", "nome": n, "cognome": c, "ruolo": "consumatore"} for n, c in persone]
    archivio.salva(CODICE, motore_passi.applica_righe(p, "soggetti", righe, dt.date(2026, 1, 10)), versione(CODICE),
                   autore="prova")


def test_il_ruolo_vuoto_si_chiama_non_membro_e_non_ce_una_riga_bianca(app, riferimento):
    apri(app)
    ruolo = json.loads(_editor(app).proto.columns)["ruolo"]
    voci = {o["value"]: o["label"] for o in ruolo["type_config"]["options"]}
    assert voci[campi.VOCE_VUOTA] == "Non membro"
    assert list(voci)[:3] == ["consumatore", "prosumer", "produttore"]
    # colonna obbligatoria: il menu della cella non aggiunge la riga bianca senza nome; una riga nuova è «Non membro»
    assert ruolo["required"] is True and ruolo["default"] == campi.VOCE_VUOTA
    assert "«Non membro»" in ruolo["help"]
    df = _editor(app).value
    assert df.loc[df["id"] == "energia-verde-mugello", "ruolo"].item() == campi.VOCE_VUOTA   # produttore terzo
    # la tabella riletta senza modifiche non è una modifica
    prima = versione(CODICE)
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    assert versione(CODICE) == prima
    assert any("nessuna modifica da salvare" in s for s in messaggi(app, "success"))


def test_non_membro_e_membro_da_righe_nuove(app, riferimento):
    apri(app)
    _modifica(app, added_rows=[
        {"nome": "Lucia", "cognome": "Neri", "tipo": "persona_fisica", "ruolo": campi.VOCE_VUOTA},
        {"nome": "Paolo", "cognome": "Verdi", "tipo": "persona_fisica", "ruolo": "consumatore"}])
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    p = archivio.apri(CODICE).pratica
    ids = {s.nome_completo: s.id for s in p.soggetti}
    membri = {m.soggetto: m.ruolo for m in p.membri}
    assert ids["Lucia Neri"] not in membri                       # «Non membro»: il soggetto, senza membro
    assert membri[ids["Paolo Verdi"]] == "consumatore"


def test_chi_e_la_riga_resta_in_vista_scorrendo(app, riferimento):
    """Una sola colonna fissa a sinistra (oltre al numero di riga), di sola lettura e stretta: nome e cognome o
    denominazione, per ogni riga (anche per gli enti, che il cognome non ha)."""
    apri(app)
    colonne = json.loads(_editor(app).proto.columns)
    assert [c for c, v in colonne.items() if v.get("pinned")] == [passo.COLONNA_CHI]
    chi = colonne[passo.COLONNA_CHI]
    assert chi["disabled"] is True and chi["label"] == "Soggetto" and chi["width"] <= 150
    df = _editor(app).value
    assert list(df[passo.COLONNA_CHI])[:3] == ["Comune di San Godenzo", "Mario Rossi", "Giulia Bianchi"]
    # dopo un salvataggio non riuscito la colonna segue i nomi scritti
    _modifica(app, edited_rows={1: {"nome": "Marco", "cap": "501"}})
    pulsante(app, "Salva e continua").click().run()
    assert "Riga 2 (Marco Rossi), CAP" in " ".join(messaggi(app))
    assert _editor(app).value.loc[2, passo.COLONNA_CHI] == "Marco Rossi"


def test_i_numeri_dei_messaggi_sono_quelli_della_tabella_dopo_una_riga_tolta(app, riferimento):
    """Tolta la riga 8, Paolo Verdi resta la riga 9 nella tabella: il messaggio dice «Riga 9», non «Riga 8»
    (la sua posizione), e la tabella dopo l'errore tiene lo stesso numero."""
    _aggiungi_soggetti(("Lucia", "Neri"), ("Paolo", "Verdi"))
    apri(app)
    df = _editor(app).value
    assert list(df.loc[[8, 9], "nome"]) == ["Lucia", "Paolo"]
    prima = versione(CODICE)
    _modifica(app, deleted_rows=[7], edited_rows={8: {"cap": "501"}})            # posizioni: Lucia, Paolo
    app.run()
    app.checkbox(key=f"conferma-tolte-{chiave(CODICE, 'tabella-soggetti')}-1").check().run()
    pulsante(app, "Salva e continua").click().run()
    errori = " ".join(messaggi(app))
    assert "Riga 9 (Paolo Verdi), CAP" in errori, errori
    assert "Riga 8" not in errori
    assert versione(CODICE) == prima
    base = _base(app)
    assert base.loc[9, "nome"] == "Paolo" and 8 not in base.index     # la tabella mostra ancora 9
    assert _editor(app).value.loc[9, "nome"] == "Paolo"


def test_una_riga_nuova_non_prende_il_numero_di_una_riga_tolta(app, riferimento):
    """Tolta l'ultima riga e aggiunta una nuova: la nuova ha un numero suo, e l'eliminazione si vede."""
    apri(app)
    _modifica(app, deleted_rows=[6], added_rows=[{"nome": "Lucia", "cognome": "Neri", "tipo": "persona_fisica"}])
    app.run()
    avvisi = " ".join(messaggi(app, "warning"))
    assert "riga 7 (Energia Verde Mugello S.p.A.)" in avvisi, avvisi
    assert pulsante(app, "Salva e continua").disabled


def test_un_titolare_di_pod_tolto_torna_da_se_e_le_altre_modifiche_restano(app, riferimento):
    apri(app)
    prima = versione(CODICE)
    df = _editor(app).value
    giulia = list(df["nome"]).index("Giulia")
    _modifica(app, deleted_rows=[list(df["nome"]).index("Mario")],
              edited_rows={giulia: {"email": "giulia.bianchi@example.it"}})
    app.run()
    app.checkbox(key=f"conferma-tolte-{chiave(CODICE, 'tabella-soggetti')}-1").check().run()
    pulsante(app, "Salva e continua").click().run()
    assert versione(CODICE) == prima
    errori = " ".join(messaggi(app))
    assert "«Mario Rossi» non si può togliere perché è" in errori and "titolare del POD" in errori
    info = " ".join(messaggi(app, "info"))
    assert "La riga di «Mario Rossi» è tornata nella tabella" in info and "Le altre modifiche restano" in info
    # la riga è tornata al suo posto, con il suo numero; la modifica di Giulia c'è ancora
    vista = _editor(app).value
    assert list(vista.index) == [1, 2, 3, 4, 5, 6, 7]
    assert vista.loc[2, "nome"] == "Mario" and vista.loc[3, "email"] == "giulia.bianchi@example.it"
    assert not messaggi(app, "warning")                       # nessuna riga tolta da confermare
    # salvando ora, resta solo la modifica di Giulia
    pulsante(app, "Salva e continua").click().run()
    nessun_errore(app)
    p = archivio.apri(CODICE).pratica
    assert p.soggetto("rossi-mario") is not None
    assert p.soggetto("bianchi-giulia").email == "giulia.bianchi@example.it"
