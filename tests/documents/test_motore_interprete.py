"""Il motore rende le clausole dall'albero del parser di Jinja senza compilarle (``motore._Modello``):
stesso testo e stessi valori raccolti del modello compilato da Jinja, per ogni clausola di ogni
documento delle pratiche d'esempio; Jinja decide ogni caso che l'interprete non tratta."""

from __future__ import annotations

import pytest

from cer_docs.documents import catalogo as cat
from cer_docs.documents import motore
from cer_docs.documents.clausole import ErroreLibreria
from cer_docs.model import load_pratica

from aiuti_documenti import AL, SAMPLES


def _due_vie(sorgente: str, variabili: dict) -> tuple[tuple[str, list], tuple[str, list]]:
    """(testo, valori raccolti) dall'interprete e dal modello compilato."""
    m = motore._Modello(motore._prepara_sorgente(sorgente))
    assert m.istruzioni is not None, "il modello dovrebbe essere interpretabile"
    return _due_vie_da_modello(m, variabili)


@pytest.mark.parametrize("file", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_ogni_clausola_resa_dall_interprete_e_quella_di_jinja(file, monkeypatch):
    p = load_pratica(SAMPLES / file)
    confrontati = 0
    originale = motore._Modello.render

    def render_e_confronta(self, variabili):
        nonlocal confrontati
        if self.istruzioni is not None:
            a, b = _due_vie_da_modello(self, variabili)
            assert a == b, self.sorgente[:200]
            confrontati += 1
        return originale(self, variabili)

    monkeypatch.setattr(motore._Modello, "render", render_e_confronta)
    richieste, _ = cat.richieste(p, list(cat.TUTTI), AL)
    for r in richieste:
        for bozza in (False, True):
            cat.risolvi(p, r, AL, bozza=bozza)
    assert confrontati > 100


def _due_vie_da_modello(m: motore._Modello, variabili) -> tuple[tuple[str, list], tuple[str, list]]:
    esiti = []
    for via in ("interprete", "compilato"):
        raccolta: list = []
        tok = motore._raccolta.set(raccolta)
        try:
            if via == "interprete":
                out: list[str] = []
                motore._esegui(m.istruzioni, [variabili], out)
                testo = "".join(out)
            else:
                testo = motore._ENV.from_string(m.sorgente).render(variabili)
        finally:
            motore._raccolta.reset(tok)
        esiti.append((testo, [repr(v) for v in raccolta]))
    return esiti[0], esiti[1]


def test_cicli_annidati_loop_e_rami():
    sorgente = ("{% for g in gruppi %}\n"
                "{{ g.nome }}:{% for x in g.voci %} {{ x }}{% if loop.last %}.{% else %},{% endif %}{% endfor %}\n"
                "{% else %}\n"
                "nessuno\n"
                "{% endfor %}\n"
                "{% if a and not b or c.d %}sì{% elif b %}forse{% else %}no{% endif %} {{ g }}\n")
    v = {"gruppi": [{"nome": "A", "voci": ["1", "2"]}, {"nome": "B", "voci": ["3"]}], "a": True, "b": False,
         "c": {"d": ""}, "g": "fuori"}
    interprete, compilato = _due_vie(sorgente, v)
    assert interprete == compilato
    assert interprete[0].startswith("\ue0000\ue001: \ue0001\ue001,")
    vuoto = dict(v, gruppi=[])
    assert _due_vie(sorgente, vuoto)[0] == _due_vie(sorgente, vuoto)[1]


def test_attributo_che_e_un_metodo_del_dizionario_come_in_jinja():
    """Jinja legge prima l'attributo poi la chiave: ``{{ x.items }}`` è il metodo, non la chiave."""
    a, b = _due_vie("{{ x.items }} {{ x.chiave }}", {"x": {"items": "voce", "chiave": "valore"}})
    assert a == b


def test_campo_mancante_stesso_errore_di_prima():
    motore._cache_modelli.clear()
    with pytest.raises(ErroreLibreria, match="campo non fornito dal costruttore del contesto"):
        motore._rendi("Testo {{ ente.assente }}.", {"ente": {"nome": "x"}}, "prova")
    with pytest.raises(ErroreLibreria, match="stampa un flag vero/falso"):
        motore._rendi("{{ flag }}", {"flag": True}, "prova")


def test_un_modello_non_interpretabile_lo_rende_jinja():
    m = motore._Modello(motore._prepara_sorgente("{% set y = x %}{{ y }}"))
    assert m.istruzioni is None
    r = motore._rendi("{% set y = x %}{{ y }}", {"x": "valore"}, "prova")
    assert r.valori == ["valore"]


def test_rese_ripetute_restano_interpretate_e_uguali():
    motore._cache_modelli.clear()
    sorgente = "{% for x in elenco %}{{ x.nome }}{% if not loop.last %}, {% endif %}{% endfor %}"
    v = {"elenco": [{"nome": "a"}, {"nome": "b"}]}
    rese = [motore._rendi(sorgente, v, "prova") for _ in range(20)]
    assert len({(r.testo, tuple(r.valori)) for r in rese}) == 1
    assert rese[0].valori == ["a", "b"]
    assert motore._cache_modelli[sorgente].compilato is None


def test_un_caso_che_l_interprete_lascia_a_jinja_e_reso_da_jinja():
    """Un nome che manca tra le variabili ma che Jinja conosce (una sua funzione globale): decide
    Jinja, come prima; il nome dato dal contesto vale invece più della funzione globale."""
    motore._cache_modelli.clear()
    r = motore._rendi("{{ a }} {{ lipsum }}", {"a": "x"}, "prova")
    assert r.valori == ["x", motore._ENV.globals["lipsum"]]
    assert motore._cache_modelli["{{ a }} {{ lipsum }}"].compilato is not None
    r = motore._rendi("{% for x in range %}{{ x }}{% endfor %}", {"range": ["1", "2"]}, "prova")
    assert r.valori == ["1", "2"]
