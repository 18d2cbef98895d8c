"""Le versioni dei documenti (revisione dell'avvocato, issue 17) rispettano i ruoli dell'issue 15:
chi non ha la pratica non ne vede le versioni né le segna firmate; chi ha solo la lettura non
cambia nulla; il revisore (notaio, avvocato) carica il suo DOCX; il registro firma con l'account,
mai con un nome dichiarato."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.services import archivio, revisione, utenti
from cer_docs.services.accesso import AccessoNegato

ROOT = Path(__file__).resolve().parents[2]
ESEMPIO = ROOT / "samples" / "pratica-esempio.yaml"
P = "cer-colline-sieve"
AL = dt.date(2026, 11, 22)
PW = "una password abbastanza lunga"


@pytest.fixture
def pratica_con_versione(db_url, monkeypatch):
    monkeypatch.setenv("CER_DOCS_DATABASE_URL", db_url)
    archivio.importa_file(ESEMPIO, autore="ufficio")
    r = revisione.revisione()
    v = r.archivia_generato(P, "statuto", al=AL)
    for nome, ruolo in (("rev", "revisore"), ("let", "lettura"), ("estr", None)):
        utenti.crea_utente(nome, f"Utente {nome}", PW)
        if ruolo:
            utenti.condividi_pratica(P, nome, ruolo)
    return r, v


def _chi(nome):
    return utenti.attore_da_username(nome)


def test_revisione_chi_non_ha_la_pratica_non_vede_ne_firma(pratica_con_versione):
    r, v = pratica_con_versione
    chi = _chi("estr")
    for fai in (lambda: r.versioni(P, attore=chi), lambda: r.contenuto(P, v.id, attore=chi),
                lambda: r.verifica(P, v.id, al=AL, attore=chi), lambda: r.segna_firmata(P, v.id, attore=chi)):
        with pytest.raises(AccessoNegato) as e:
            fai()
        assert "non è nell'archivio o non è condivisa" in str(e.value)
    assert not any(x.firmato for x in r.versioni(P))


def test_revisione_lettura_non_segna_firmata_ma_legge(pratica_con_versione):
    r, v = pratica_con_versione
    chi = _chi("let")
    assert [x.id for x in r.versioni(P, attore=chi)] == [v.id]
    with pytest.raises(AccessoNegato):
        r.segna_firmata(P, v.id, attore=chi)
    assert not any(x.firmato for x in r.versioni(P))


def test_revisione_il_revisore_carica_e_il_registro_dice_chi(pratica_con_versione):
    r, v = pratica_con_versione
    chi = _chi("rev")
    dati = r.contenuto(P, v.id, attore=chi)
    from docx import Document
    import io

    d = Document(io.BytesIO(dati))
    d.paragraphs[-1].add_run(" Testo aggiunto dal notaio.")
    buf = io.BytesIO()
    d.save(buf)
    esito = r.carica(P, "statuto-notaio.docx", buf.getvalue(), documento="statuto", attore=chi, al=AL)
    assert esito.versione.autore == chi.firma
    ultimo = archivio.eventi(P)[-1]
    assert ultimo.autore == chi.firma
