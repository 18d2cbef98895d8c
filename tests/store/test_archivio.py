"""Archivio: file → database → file senza perdite, blocco ottimistico, registro eventi."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from cer_docs.model import load_pratica, parse_text
from cer_docs.model.pratica import Membro, Soggetto
from cer_docs.services.archivio import (
    ConflittoModifica, ErroreArchivio, PraticaEsistente, PraticaNonTrovata,
)
from cer_docs.store import EventoRecord, PraticaRecord

REPO = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p for p in (REPO / "samples").iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json"))
ESEMPIO = REPO / "samples" / "pratica-esempio.yaml"

CODICE = "cer-colline-sieve"


# --------------------------------------------------------------------------- andata e ritorno

@pytest.mark.parametrize("campione", SAMPLES, ids=lambda p: p.name)
def test_file_database_file_senza_perdite(arch, campione):
    originale = load_pratica(campione)
    aperta = arch.importa_file(campione, autore="Anna")
    assert aperta.versione == 1
    assert arch.apri(aperta.codice).pratica == originale
    assert arch.apri(aperta.id).pratica == originale
    for formato in ("yaml", "json"):
        testo = arch.esporta(aperta.codice, formato)
        assert parse_text(testo, f"export.{formato}") == originale
    # un secondo giro non cambia più nulla, nemmeno il testo
    assert arch.esporta(aperta.codice) == arch.esporta(aperta.codice)


def test_colonne_di_riepilogo(arch):
    arch.importa_file(ESEMPIO, autore="Anna")
    [voce] = arch.elenco_pratiche()
    assert (voce.codice, voce.stato, voce.tipo_configurazione, voce.numero_membri, voce.versione) == (
        CODICE, "costituita", "CER", 6, 1)
    assert voce.denominazione == "Comunità Energetica Rinnovabile Colline della Sieve"
    assert voce.aggiornata_il.tzinfo is not None


def test_decimali_non_rappresentabili_in_float(arch):
    p = load_pratica(ESEMPIO)
    p.configurazioni[0].impianti[0].potenza_kw = Decimal("40.123456789012345678901")
    arch.importa_pratica(p, "Anna")
    assert arch.apri(CODICE).pratica.configurazioni[0].impianti[0].potenza_kw == Decimal("40.123456789012345678901")


def test_testo_con_caratteri_speciali(arch):
    p = load_pratica(ESEMPIO)
    p.comunita.denominazione = "CER «Sant'Àgata» & <Co> ’ – € 漢字 \U0001F31E"
    arch.importa_pratica(p, "Anna")
    assert arch.apri(CODICE).pratica == p
    assert arch.elenco_pratiche()[0].denominazione == p.comunita.denominazione


def test_codice_di_sole_cifre_non_si_confonde_con_il_numero(arch):
    a = arch.importa_file(ESEMPIO, autore="Anna")
    p = load_pratica(ESEMPIO)
    p.pratica.id = str(a.id)
    b = arch.importa_pratica(p, "Bruno", sostituisci=True)  # nessuna pratica ha quel codice: è nuova
    assert b.id != a.id and b.versione == 1
    assert arch.apri(str(a.id)).codice == str(a.id)  # il codice vince sul numero
    assert arch.apri(a.id).codice == CODICE
    assert arch.apri(CODICE).versione == 1


def test_apri_per_codice_o_numero(arch):
    a = arch.importa_file(ESEMPIO, autore="Anna")
    assert arch.apri(str(a.id)).codice == CODICE
    with pytest.raises(PraticaNonTrovata, match="non è nell'archivio"):
        arch.apri("non-esiste")
    with pytest.raises(PraticaNonTrovata):
        arch.apri(9999)


# --------------------------------------------------------------------------- blocco ottimistico

def test_modifica_concorrente_rifiutata(arch):
    arch.importa_file(ESEMPIO, autore="Anna")
    anna = arch.apri(CODICE)
    bruno = arch.apri(CODICE)
    assert anna.versione == bruno.versione == 1

    p_anna = anna.pratica.model_copy(deep=True)
    p_anna.pratica.stato = "richiesta_inviata"
    salvata = arch.salva(CODICE, p_anna, anna.versione, autore="Anna", descrizione="richiesta inviata al GSE")
    assert salvata.versione == 2

    p_bruno = bruno.pratica.model_copy(deep=True)
    p_bruno.comunita.denominazione = "Nome cambiato da Bruno"
    with pytest.raises(ConflittoModifica) as exc:
        arch.salva(CODICE, p_bruno, bruno.versione, autore="Bruno")
    msg = str(exc.value)
    assert "modificata da Anna alle" in msg and "ricarica" in msg
    assert (exc.value.versione_attesa, exc.value.versione_attuale, exc.value.autore) == (1, 2, "Anna")

    # nel database c'è ancora il lavoro di Anna, intero
    ora = arch.apri(CODICE)
    assert ora.versione == 2
    assert ora.pratica == p_anna
    assert ora.pratica.comunita.denominazione != "Nome cambiato da Bruno"
    assert [e.autore for e in arch.eventi(CODICE)] == ["Anna", "Anna"]

    # Bruno ricarica e salva: ora va
    ricaricata = arch.apri(CODICE)
    p = ricaricata.pratica.model_copy(deep=True)
    p.comunita.denominazione = "Nome cambiato da Bruno"
    assert arch.salva(CODICE, p, ricaricata.versione, autore="Bruno").versione == 3


def test_ora_del_conflitto_in_ora_italiana(arch, orologio):
    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    p = a.pratica.model_copy(deep=True)
    p.pratica.stato = "operativa"
    orologio.ora = dt.datetime(2027, 7, 1, 12, 29, tzinfo=dt.timezone.utc)  # +1 minuto → 12:30 UTC = 14:30 a Roma
    arch.salva(CODICE, p, a.versione, autore="Anna")
    with pytest.raises(ConflittoModifica, match=r"alle 14:30 del 01/07/2027"):
        arch.salva(CODICE, p, a.versione, autore="Bruno")


def test_corsa_tra_due_sessioni_orm(engine, arch):
    """La colonna version protegge anche quando il controllo e la scrittura si incrociano."""
    arch.importa_file(ESEMPIO, autore="Anna")
    with Session(engine) as s1, Session(engine) as s2:
        r1 = s1.exec(select(PraticaRecord).where(PraticaRecord.codice == CODICE)).one()
        r2 = s2.exec(select(PraticaRecord).where(PraticaRecord.codice == CODICE)).one()
        r1.stato = "operativa"
        s1.commit()
        r2.stato = "qualificata"
        with pytest.raises(StaleDataError):
            s2.commit()
    voce = arch.elenco_pratiche()[0]
    assert (voce.stato, voce.versione) == ("operativa", 2)


def test_salvataggio_senza_modifiche_non_crea_versione(arch):
    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    assert arch.salva(CODICE, a.pratica, a.versione, autore="Anna").versione == 1
    assert len(arch.eventi(CODICE)) == 1


def test_salva_non_cambia_il_codice(arch, conta):
    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    p = a.pratica.model_copy(deep=True)
    p.pratica.id = "altro-codice"
    with pytest.raises(ErroreArchivio, match="usa 'duplica'"):
        arch.salva(CODICE, p, a.versione, autore="Anna")
    assert conta() == (1, 1)


def test_salva_pratica_eliminata(arch):
    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    arch.elimina(CODICE, autore="Bruno")
    with pytest.raises(PraticaNonTrovata):
        arch.salva(CODICE, a.pratica, a.versione, autore="Anna")


def test_elimina_con_versione_superata(arch, conta):
    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    p = a.pratica.model_copy(deep=True)
    p.pratica.stato = "operativa"
    arch.salva(CODICE, p, a.versione, autore="Anna")
    with pytest.raises(ConflittoModifica):
        arch.elimina(CODICE, autore="Bruno", versione_attesa=a.versione)
    assert conta() == (1, 2)


# --------------------------------------------------------------------------- eventi

def test_ogni_modifica_lascia_un_evento(arch):
    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    p = a.pratica.model_copy(deep=True)
    p.soggetti.append(Soggetto(id="verdi-luca", tipo="persona_fisica", nome="Luca", cognome="Verdi"))
    p.membri.append(Membro(soggetto="verdi-luca"))
    arch.salva(CODICE, p, a.versione, autore="Bruno", descrizione="nuovo membro: Luca Verdi")
    arch.importa_file(ESEMPIO, autore="Carla", sostituisci=True)
    arch.duplica(CODICE, "cer-copia", autore="Dario")

    evs = arch.eventi(CODICE)
    assert [(e.tipo, e.autore) for e in evs] == [("importazione", "Anna"), ("modifica", "Bruno"), ("importazione", "Carla")]
    assert evs[1].descrizione == "nuovo membro: Luca Verdi"
    assert evs[1].dettagli == {"versione": 2, "versione_precedente": 1, "sezioni": ["soggetti", "membri"]}
    assert evs[2].dettagli["sostituita"] is True and evs[2].dettagli["versione"] == 3
    assert all(e.quando.tzinfo is not None and e.quando.utcoffset() == dt.timedelta(0) for e in evs)
    assert [e.quando for e in evs] == sorted(e.quando for e in evs)

    [copia] = arch.eventi("cer-copia")
    assert (copia.tipo, copia.autore, copia.dettagli["origine"]) == ("duplicazione", "Dario", CODICE)
    assert arch.apri("cer-copia").pratica.pratica.id == "cer-copia"
    assert arch.apri("cer-copia").pratica.membri == arch.apri(CODICE).pratica.membri


def test_elimina_toglie_i_dati_ma_lascia_il_registro_come_lapide(engine, arch, conta):
    """Eliminare una pratica non cancella la sua storia: il registro resta, staccato, fino alla
    fine del periodo di conservazione (parametro datato), poi ``purga_lapidi`` lo toglie."""
    a = arch.importa_file(ESEMPIO, autore="Anna")
    p = a.pratica.model_copy(deep=True)
    p.pratica.stato = "operativa"
    arch.salva(CODICE, p, a.versione, autore="Bruno")
    arch.importa_file(ESEMPIO, autore="Anna", sostituisci=True)
    assert conta() == (1, 3)

    arch.elimina(CODICE, autore="Carla")

    with Session(engine) as s:
        assert s.exec(select(EventoRecord).where(EventoRecord.pratica_id == a.id)).all() == []
        righe = s.exec(select(EventoRecord).order_by(EventoRecord.id)).all()
    assert [(e.tipo, e.autore, e.pratica_id) for e in righe] == [
        ("importazione", "Anna", None), ("modifica", "Bruno", None), ("importazione", "Anna", None),
        ("eliminazione", "Carla", None)]
    assert righe[-1].dettagli["registro_conservato_fino"] == "2036-11-20"
    assert "cer-colline" not in str(righe[-1].dettagli) or righe[-1].codice == CODICE
    assert conta() == (0, 4)
    assert arch.elenco_pratiche() == []
    assert [e.tipo for e in arch.eventi(CODICE)] == ["importazione", "modifica", "importazione", "eliminazione"]
    [lapide] = arch.lapidi()
    assert (lapide["codice"], lapide["autore"], lapide["conserva_fino"]) == (CODICE, "Carla", dt.date(2036, 11, 20))
    with pytest.raises(PraticaNonTrovata):
        arch.apri(CODICE)
    # prima della scadenza il registro resta; dopo se ne va tutto
    assert arch.purga_lapidi(dt.date(2036, 11, 20)) == []
    assert conta() == (0, 4)
    assert arch.purga_lapidi(dt.date(2036, 11, 21)) == [CODICE]
    assert conta() == (0, 0) and arch.lapidi() == []


def test_cascata_anche_a_livello_di_database(engine, arch, conta):
    """ON DELETE CASCADE è nel database (SQLite: foreign_keys=ON), non solo nell'ORM."""
    arch.importa_file(ESEMPIO, autore="Anna")
    with engine.begin() as c:
        c.exec_driver_sql("DELETE FROM pratica")
    assert conta() == (0, 0)


def test_eventi_di_una_pratica_mai_esistita(arch):
    with pytest.raises(PraticaNonTrovata):
        arch.eventi("mai-vista")


# --------------------------------------------------------------------------- codici già usati

def test_importa_codice_esistente_senza_sostituisci(arch, conta):
    arch.importa_file(ESEMPIO, autore="Anna")
    with pytest.raises(PraticaEsistente, match="c'è già una pratica con codice 'cer-colline-sieve'.*sostituirla"):
        arch.importa_file(ESEMPIO, autore="Bruno")
    assert conta() == (1, 1)
    assert arch.apri(CODICE).versione == 1


def test_importa_sostituisci_tiene_id_e_registro(arch):
    a = arch.importa_file(ESEMPIO, autore="Anna")
    p = load_pratica(ESEMPIO)
    p.pratica.stato = "operativa"
    b = arch.importa_pratica(p, "Bruno", sostituisci=True)
    assert (b.id, b.versione) == (a.id, 2)
    assert arch.apri(CODICE).pratica.pratica.stato == "operativa"
    assert len(arch.eventi(CODICE)) == 2


def test_duplica_su_codice_esistente(arch, conta):
    arch.importa_file(ESEMPIO, autore="Anna")
    arch.duplica(CODICE, "copia", autore="Anna")
    with pytest.raises(PraticaEsistente):
        arch.duplica(CODICE, "copia", autore="Anna")
    assert conta() == (2, 2)


def test_due_salvataggi_simultanei(engine, arch):
    """Due salvataggi nello stesso istante dalla stessa versione: uno passa, l'altro è rifiutato."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from cer_docs.services.archivio import Archivio

    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    via = threading.Barrier(2)

    def salva(chi: str):
        p = a.pratica.model_copy(deep=True)
        p.comunita.denominazione = f"Modificata da {chi}"
        via.wait()
        try:
            return Archivio(engine).salva(CODICE, p, a.versione, autore=chi).versione
        except ConflittoModifica as e:
            return e

    with ThreadPoolExecutor(2) as ex:
        esiti = list(ex.map(salva, ["Anna", "Bruno"]))
    vinti = [e for e in esiti if e == 2]
    persi = [e for e in esiti if isinstance(e, ConflittoModifica)]
    assert len(vinti) == 1 and len(persi) == 1, esiti
    vincitore = arch.eventi(CODICE)[-1].autore
    assert arch.apri(CODICE).pratica.comunita.denominazione == f"Modificata da {vincitore}"
    assert len(arch.eventi(CODICE)) == 2


def test_conflitto_scoperto_alla_scrittura(engine, arch, monkeypatch):
    """Bruno salva tra la lettura e la scrittura di Anna: lo ferma la colonna version (StaleDataError)."""
    from cer_docs.services.archivio import Archivio
    from cer_docs.store import repository

    arch.importa_file(ESEMPIO, autore="Anna")
    a = arch.apri(CODICE)
    originale = repository.find_by_codice
    fatto: list[bool] = []

    def trova_e_intanto_bruno_salva(s, ref):
        row = originale(s, ref)
        if not fatto:
            fatto.append(True)
            p = a.pratica.model_copy(deep=True)
            p.pratica.stato = "operativa"
            Archivio(engine).salva(CODICE, p, a.versione, autore="Bruno")
        return row

    monkeypatch.setattr(repository, "find_by_codice", trova_e_intanto_bruno_salva)
    q = a.pratica.model_copy(deep=True)
    q.comunita.denominazione = "Modificata da Anna"
    with pytest.raises(ConflittoModifica, match="modificata da Bruno"):
        arch.salva(CODICE, q, a.versione, autore="Anna")
    monkeypatch.undo()
    ora = arch.apri(CODICE)
    assert (ora.versione, ora.pratica.pratica.stato) == (2, "operativa")
    assert ora.pratica.comunita.denominazione != "Modificata da Anna"
    assert [e.autore for e in arch.eventi(CODICE)] == ["Anna", "Bruno"]
