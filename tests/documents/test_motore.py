"""Il motore dei documenti: struttura del testo, testo dell'utente come dato, flag, rinvii."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from cer_docs.documents.clausole import ErroreLibreria, carica_clausole
from cer_docs.documents.motore import LACUNA, Contesto, numera_articoli, pulisci_testo, resolve
from cer_docs.documents.specifiche import leggi_specifica
from cer_docs.documents.struttura import Elenco, Paragrafo, Tabella, TitoloArticolo
from cer_docs.documents.struttura import testo_canonico as canonico


def _libreria(tmp_path: Path, clausole: dict[str, str], spec: str):
    cart = tmp_path / "clausole"
    cart.mkdir()
    for cid, testo in clausole.items():
        (cart / f"{cid}.j2").write_text(textwrap.dedent(testo).lstrip("\n"), encoding="utf-8")
    s = tmp_path / "prova.yaml"
    s.write_text(textwrap.dedent(spec), encoding="utf-8")
    carica_clausole.cache_clear()
    return carica_clausole(cart), leggi_specifica(s)


SPEC = """
id: prova
titolo: Prova
intestazione: "{{ nome }}"
commi_numerati: true
parti:
  - titolo: {testo: Prova, sottotitoli: ["{{ nome }}"]}
  - articolo: primo
    titolo: Primo
    contenuto:
      - uno
      - {clausola: due, se: mostra}
  - articolo: secondo
    titolo: Secondo
    contenuto:
      - {clausola: due, se_non: mostra}
      - rinvio
"""

CLAUSOLE = {
    "uno": """
        ---
        id: uno
        titolo: Uno
        elemento_essenziale: a
        ---
        Il nome è {{ nome }}, scritto
        su due righe del modello.

        Elenco{% if mostra %} con flag{% endif %}:
        {% for x in voci %}
        -) {{ x }}{% if loop.last %}.{% else %};{% endif %}
        {% endfor %}
        = centrato
    """,
    "due": """
        ---
        id: due
        titolo: Due
        ---
        Secondo paragrafo.
    """,
    "rinvio": """
        ---
        id: rinvio
        titolo: Rinvio
        ---
        Si veda l'{{ art.primo }}.
    """,
}


def _ctx(**kw) -> Contesto:
    valori = {"nome": "CER", "voci": ["alfa", "beta", "gamma"]}
    valori.update(kw)
    return Contesto(valori=valori, flag={"mostra": True})


def test_paragrafi_elenchi_commi_e_rinvii(tmp_path):
    lib, spec = _libreria(tmp_path, CLAUSOLE, SPEC)
    doc = resolve(spec, _ctx(), libreria=lib)
    testo = canonico(doc, con_evidenze=False)
    assert "1. Il nome è CER, scritto su due righe del modello." in testo
    assert "2. Elenco con flag:" in testo
    assert "a) alfa;\nb) beta;\nc) gamma." in testo
    assert "\ncentrato\n" in testo  # paragrafo centrato, senza numero di comma
    assert "3. Secondo paragrafo." in testo
    # il secondo articolo perde la clausola «due» (se_non) e resta con un solo paragrafo: senza numero
    # il titolo ha l'etichetta «Art. 2»; il rinvio dentro la frase è in minuscolo
    assert "Art. 2 – Secondo\nSi veda l'art. 1." in testo
    # il rinvio è un tratto a sé che sa a quale articolo rinvia (campo REF nel DOCX)
    rinvii = [s for b in doc.blocchi if isinstance(b, Paragrafo) for s in b.segmenti if s.rinvio]
    assert [(s.testo, s.rinvio) for s in rinvii] == [("art. 1", "primo")]
    centrato = [b for b in doc.blocchi if isinstance(b, Paragrafo) and b.allineamento == "centrato"]
    assert centrato and centrato[0].comma is None


def test_evidenze_per_elemento(tmp_path):
    lib, spec = _libreria(tmp_path, CLAUSOLE, SPEC)
    doc = resolve(spec, _ctx(), libreria=lib)
    par = [b for b in doc.blocchi if isinstance(b, Paragrafo) and b.id_clausola == "uno"]
    assert par and all(s.evidenza == "a" for b in par for s in b.segmenti)
    el = [b for b in doc.blocchi if isinstance(b, Elenco)]
    assert el[0].evidenze == {"a"}
    assert all(s.evidenza is None for b in doc.blocchi if isinstance(b, Paragrafo) and b.id_clausola == "due"
               for s in b.segmenti)


def test_articolo_senza_clausole_non_viene_numerato(tmp_path):
    spec = SPEC.replace("      - rinvio\n", "")
    lib, s = _libreria(tmp_path, CLAUSOLE, spec)
    doc = resolve(s, _ctx(), libreria=lib)
    assert [a.titolo for a in doc.articoli()] == ["Primo"]
    assert numera_articoli(s, _ctx(), lib) == {"primo": "1"}


@pytest.mark.parametrize("ostile", [
    "Rossi & Figli <S.r.l.> {{ 7*7 }} ** # ’–€",
    "{% if true %}x{% endif %}",
    "- non sono una voce",
    "-) nemmeno io\n\nné un nuovo paragrafo",
    "= non centrato",
])
def test_testo_utente_resta_testo(tmp_path, ostile):
    lib, spec = _libreria(tmp_path, CLAUSOLE, SPEC)
    doc = resolve(spec, _ctx(nome=ostile, voci=[ostile]), libreria=lib)
    testo = "".join(s.testo for b in doc.blocchi if isinstance(b, (Paragrafo,)) for s in b.segmenti)
    assert ostile in testo
    assert "49" not in testo
    el = [b for b in doc.blocchi if isinstance(b, Elenco)][0]
    assert len(el.voci) == 1 and el.voci[0].testo == f"a) {ostile}."
    assert doc.intestazione == ostile.replace("\n", " ") or doc.intestazione == ostile


def test_caratteri_di_controllo_ripuliti():
    assert pulisci_testo("a\x0bb\x01c\x07d\te\r\nf\ue000") == "a\nbcd\te\nf"


def test_dato_mancante_diventa_spazio_da_completare(tmp_path):
    lib, spec = _libreria(tmp_path, CLAUSOLE, SPEC)
    doc = resolve(spec, _ctx(nome=None), libreria=lib)
    assert doc.lacune >= 1
    assert f"Il nome è {LACUNA}," in canonico(doc)


def test_campo_sconosciuto_e_flag_sconosciuto_sono_errori(tmp_path):
    cl = dict(CLAUSOLE, uno="---\nid: uno\ntitolo: Uno\n---\n{{ inesistente }}\n")
    lib, spec = _libreria(tmp_path, cl, SPEC)
    with pytest.raises(ErroreLibreria, match="inesistente"):
        resolve(spec, _ctx(), libreria=lib)
    altra = tmp_path / "b"
    altra.mkdir()
    lib, spec = _libreria(altra, CLAUSOLE, SPEC.replace("se: mostra", "se: flag_che_non_esiste"))
    with pytest.raises(ErroreLibreria, match="flag_che_non_esiste"):
        resolve(spec, _ctx(), libreria=lib)


def test_tabella_da_elenco_preparato(tmp_path):
    spec = SPEC + """
  - articolo: tab
    titolo: Tabella
    contenuto:
      - {tabella: righe, colonne: [{titolo: POD, campo: pod}, {titolo: Uso, campo: uso}]}
"""
    lib, s = _libreria(tmp_path, CLAUSOLE, spec)
    doc = resolve(s, _ctx(righe=[{"pod": "IT001E0001", "uso": "<b>casa</b> & {{ x }}"}, {"pod": "IT2", "uso": None}]),
                  libreria=lib)
    t = [b for b in doc.blocchi if isinstance(b, Tabella)][0]
    assert t.righe == [["IT001E0001", "<b>casa</b> & {{ x }}"], ["IT2", LACUNA]]
    assert isinstance(doc.blocchi[-2], TitoloArticolo)
