"""«Soggetti e membri»: una riga tolta che non si può togliere (titolare di un POD) torna nella tabella ogni
volta che il salvataggio la rifiuta, in qualunque ordine, e le altre modifiche restano; i messaggi sulle righe
tolte spariscono quando non sono più veri (la riga è tornata, «Annulla le modifiche»)."""

from __future__ import annotations

import pytest
from guida_ui import CAMPIONI, apri_passo, chiave_griglia, messaggi, pulsante, versione

from cer_docs.services import archivio

CODICE = "cer-fondazione-borgo"
RIGHE = {3: "Davide Montanari", 6: "Caseificio del Borgo S.r.l."}     # titolari di un POD


@pytest.fixture
def borgo():
    return archivio.importa_file(CAMPIONI / "cer-fondazione-borgo.yaml", autore="prova")


def _editor(at):
    return next(df for df in at.dataframe if "data_adesione" in df.value.columns)


def _k(at) -> str:
    return chiave_griglia(at, CODICE, "tabella-soggetti")


def _modifica(at, **stato) -> None:
    """Le modifiche della tabella come le manda il browser: tutte quelle fatte finora sul widget, con le
    posizioni (da 0) nella tabella di partenza."""
    k = _k(at)
    prima = at.session_state[k] if k in at.session_state else {}
    at.session_state[k] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **prima, **stato}
    at.run()


def _togli_e_salva(at, riga: int) -> None:
    _modifica(at, deleted_rows=[list(_editor(at).value.index).index(riga)])
    assert f"riga {riga} ({RIGHE[riga]})" in " ".join(messaggi(at, "warning"))
    at.checkbox(key=f"conferma-tolte-{_k(at)}-1").check().run()
    pulsante(at, "Salva e continua").click().run()


@pytest.mark.parametrize("ordine", [(6, 3), (3, 6), (6, 6, 3, 6)])
def test_la_riga_tolta_torna_a_ogni_rifiuto(app, borgo, ordine):
    apri_passo(app, "soggetti", CODICE)
    prima = versione(CODICE)
    luca = list(_editor(app).value["nome"]).index("Luca")
    _modifica(app, edited_rows={luca: {"nome": "Lucas"}})
    for riga in ordine:
        _togli_e_salva(app, riga)
        assert versione(CODICE) == prima
        assert f"«{RIGHE[riga]}» non si può togliere" in " ".join(messaggi(app))
        assert f"La riga di «{RIGHE[riga]}» è tornata nella tabella" in " ".join(messaggi(app, "info"))
        vista = _editor(app).value
        assert list(vista.index) == [1, 2, 3, 4, 5, 6, 7], riga
        assert vista.loc[4, "nome"] == "Lucas"
        # la tabella riparte da lì: nessuna riga ancora tolta, niente da confermare
        assert not app.session_state[_k(app)]["deleted_rows"], riga
        assert not messaggi(app, "warning"), riga
        assert not [c for c in app.checkbox if c.label.startswith("Sì, elimina")], riga
    # salvando ora resta solo «Lucas»
    pulsante(app, "Salva e continua").click().run()
    assert not messaggi(app), messaggi(app)
    p = archivio.apri(CODICE).pratica
    assert p.soggetto("bertoni-luca").nome == "Lucas"
    assert p.soggetto("montanari-davide") is not None and p.soggetto("caseificio-borgo") is not None


def test_annullate_le_modifiche_il_problema_del_salvataggio_non_resta(app, borgo):
    apri_passo(app, "soggetti", CODICE)
    luca = list(_editor(app).value["nome"]).index("Luca")
    _modifica(app, edited_rows={luca: {"nome": "Lucas"}})
    _togli_e_salva(app, 3)
    assert "«Davide Montanari» non si può togliere" in " ".join(messaggi(app))
    pulsante(app, "Annulla le modifiche").click().run()
    # la tabella è quella salvata, e nulla parla più della riga tolta
    assert not messaggi(app), messaggi(app)
    assert not messaggi(app, "info") and not messaggi(app, "warning")
    assert _editor(app).value.loc[4, "nome"] == "Luca"
    pulsante(app, "Salva e continua").click().run()
    assert not messaggi(app), messaggi(app)
