"""Dentro ``catalogo.una_generazione()`` le parti del contesto comuni a tutta la pratica (ente,
rappresentante, membri attivi, punti per soggetto) si calcolano una volta: i contesti devono
restare quelli calcolati documento per documento, senza passare nulla da una pratica all'altra
né da un documento al successivo."""

from __future__ import annotations

from cer_docs.documents import catalogo as cat
from cer_docs.model import load_pratica

from aiuti_documenti import AL, SAMPLES, esempio


def _contesti(p, tipi=tuple(cat.TUTTI)):
    rs = cat.richieste(p, list(tipi), AL)[0]
    return [(r.chiave, cat.contesto_per(p, r, AL)) for r in rs]


def _forma(contesti):
    return [(k, repr(c.valori), repr(c.flag), c.avvisi) for k, c in contesti]


def test_stessi_contesti_con_e_senza_generazione():
    for p in (esempio(), load_pratica(SAMPLES / "cer-valle-due-cabine.yaml")):
        senza = _forma(_contesti(p))
        with cat.una_generazione():
            con = _forma(_contesti(p))
        assert con == senza


def test_due_pratiche_nella_stessa_generazione_restano_distinte():
    a, b = esempio(), esempio()
    b.comunita.denominazione = "Comunità Energetica Rinnovabile Altra Valle"
    b.soggetto(b.comunita.organi.presidente).nome = "Ottavia"
    with cat.una_generazione():
        ca = dict(_contesti(a, ("dsan",)))
        cb = dict(_contesti(b, ("dsan",)))
    assert "Altra Valle" in repr(cb["dsan:comunita"].valori)
    assert "Altra Valle" not in repr(ca["dsan:comunita"].valori)
    assert "Ottavia" in repr(cb["dsan:comunita"].valori) and "Ottavia" not in repr(ca["dsan:comunita"].valori)


def test_un_costruttore_che_modifica_il_suo_contesto_non_tocca_il_successivo():
    p = esempio()
    with cat.una_generazione():
        primo = _contesti(p, ("dsan",))
        primo[0][1].valori["ente"]["denominazione"] = "MODIFICATO"
        primo[0][1].valori["rappresentante_ente"]["firma"]["nome"] = "MODIFICATO"
        secondo = _contesti(p, ("dsan",))
    assert "MODIFICATO" not in repr([c.valori for _, c in secondo])


def test_fuori_dalla_generazione_una_modifica_della_pratica_si_vede_subito():
    p = esempio()
    prima = dict(_contesti(p, ("dsan",)))["dsan:comunita"]
    p.comunita.denominazione = "Comunità Energetica Rinnovabile Nome Nuovo"
    dopo = dict(_contesti(p, ("dsan",)))["dsan:comunita"]
    assert "Nome Nuovo" in repr(dopo.valori) and "Nome Nuovo" not in repr(prima.valori)
