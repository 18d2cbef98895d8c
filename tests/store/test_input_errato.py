"""Un input sbagliato dà l'errore italiano del modello e non scrive nulla nel database."""

from __future__ import annotations

from pathlib import Path

import pytest

from cer_docs.model import ErrorePratica, load_pratica
from cer_docs.model.io import DIMENSIONE_MASSIMA_BYTE
from cer_docs.model.pratica import Membro
from cer_docs.store import repository

ESEMPIO = Path(__file__).resolve().parents[2] / "samples" / "pratica-esempio.yaml"
CODICE = "cer-colline-sieve"
TESTO = ESEMPIO.read_text(encoding="utf-8")


def _scrivi(tmp_path: Path, nome: str, contenuto: str | bytes) -> Path:
    p = tmp_path / nome
    if isinstance(contenuto, bytes):
        p.write_bytes(contenuto)
    else:
        p.write_text(contenuto, encoding="utf-8")
    return p


CASI = {
    "yaml-rotto": ("rotto.yaml", "formato: cer-docs/pratica@1\npratica: {id: x\n  stato: [\n", "YAML non valido"),
    "json-rotto": ("rotto.json", '{"formato": "cer-docs/pratica@1", "pratica": ', "JSON non valido"),
    "tipo-sbagliato": ("tipi.yaml", TESTO.replace("potenza_kw: 40.0", "potenza_kw: quaranta"), "deve essere un numero"),
    "elenco-non-elenco": ("membri.yaml", TESTO.replace("membri:\n  - {soggetto: comune-san-godenzo",
                                                       "membri: tanti\nx:\n  - {soggetto: comune-san-godenzo"),
                          "membri"),
    "riferimento-ignoto": ("rif.yaml", TESTO.replace("{soggetto: rossi-mario, ruolo: consumatore",
                                                    "{soggetto: rossi-mariotto, ruolo: consumatore"),
                           "il soggetto 'rossi-mariotto' non esiste"),
    "formato-ignoto": ("fmt.yaml", TESTO.replace("formato: cer-docs/pratica@1", "formato: altro@9"), "formato"),
    "non-utf8": ("latin1.yaml", TESTO.encode("latin-1", "replace"), "UTF-8"),
    "vuoto": ("vuoto.yaml", "", "non contiene una pratica"),
    "elenco": ("lista.yaml", "- 1\n- 2\n", "non contiene una pratica"),
    "alias-yaml": ("bomba.yaml", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "riferimenti YAML"),
}


@pytest.fixture
def archivio_con_una_pratica(arch, conta):
    arch.importa_file(ESEMPIO, autore="Anna")
    assert conta() == (1, 1)
    return arch


@pytest.mark.parametrize("caso", list(CASI), ids=list(CASI))
def test_file_sbagliato_non_scrive_nulla(archivio_con_una_pratica, conta, tmp_path, caso):
    nome, contenuto, atteso = CASI[caso]
    arch = archivio_con_una_pratica
    p = _scrivi(tmp_path, nome, contenuto)
    prima = arch.apri(CODICE).pratica
    for sostituisci in (False, True):
        with pytest.raises(ErrorePratica) as exc:
            arch.importa_file(p, autore="Bruno", sostituisci=sostituisci)
        assert atteso in str(exc.value)
        assert str(exc.value).startswith(f"Il file pratica '{p}' non si può leggere")
    assert conta() == (1, 1)
    assert arch.apri(CODICE).pratica == prima


def test_file_enorme(arch, conta, tmp_path):
    p = tmp_path / "enorme.yaml"
    with open(p, "wb") as f:
        f.truncate(DIMENSIONE_MASSIMA_BYTE + 1)  # file sparso: non occupa davvero il disco
    with pytest.raises(ErrorePratica, match="oltre il limite"):
        arch.importa_file(p, autore="Bruno")
    assert conta() == (0, 0)


def test_file_che_non_esiste_o_cartella(arch, conta, tmp_path):
    with pytest.raises(ErrorePratica, match="non esiste"):
        arch.importa_file(tmp_path / "manca.yaml", autore="Bruno")
    with pytest.raises(ErrorePratica, match="cartella"):
        arch.importa_file(tmp_path, autore="Bruno")
    assert conta() == (0, 0)


def test_pratica_modificata_dopo_la_validazione(archivio_con_una_pratica, conta):
    """Il modello non rivalida le assegnazioni: l'archivio sì, prima di scrivere."""
    arch = archivio_con_una_pratica
    a = arch.apri(CODICE)

    p = a.pratica.model_copy(deep=True)
    p.membri.append(Membro(soggetto="fantasma"))
    with pytest.raises(ErrorePratica, match="il soggetto 'fantasma' non esiste"):
        arch.salva(CODICE, p, a.versione, autore="Bruno")
    with pytest.raises(ErrorePratica):
        arch.importa_pratica(p, "Bruno", sostituisci=True)

    q = a.pratica.model_copy(deep=True)
    q.membri[0].ruolo = "capo"  # valore non ammesso
    q.configurazioni[0].impianti[0].potenza_kw = "tanta"  # tipo sbagliato
    with pytest.raises(ErrorePratica) as exc:
        arch.salva(CODICE, q, a.versione, autore="Bruno")
    campi = {pr.campo for pr in exc.value.problemi}
    assert {"membri[0].ruolo", "configurazioni[0].impianti[0].potenza_kw"} <= campi

    assert conta() == (1, 1)
    assert arch.apri(CODICE) == a


def test_codice_nuovo_non_valido(archivio_con_una_pratica, conta):
    with pytest.raises(ErrorePratica, match=r"pratica\.id"):
        archivio_con_una_pratica.duplica(CODICE, "codice con spazi/e barre", autore="Bruno")
    assert conta() == (1, 1)


def test_errore_a_meta_transazione_non_lascia_nulla(arch, conta, monkeypatch):
    """Se la scrittura dell'evento fallisce, non resta nemmeno la pratica."""

    def guasto(*a, **k):
        raise RuntimeError("guasto simulato")

    monkeypatch.setattr(repository, "add_event", guasto)
    with pytest.raises(RuntimeError):
        arch.importa_file(ESEMPIO, autore="Anna")
    assert conta() == (0, 0)


def test_errore_a_meta_salvataggio_non_lascia_nulla(archivio_con_una_pratica, conta, monkeypatch):
    arch = archivio_con_una_pratica
    a = arch.apri(CODICE)
    p = a.pratica.model_copy(deep=True)
    p.pratica.stato = "operativa"
    monkeypatch.setattr(repository, "add_event", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("guasto")))
    with pytest.raises(RuntimeError):
        arch.salva(CODICE, p, a.versione, autore="Bruno")
    assert conta() == (1, 1)
    assert arch.apri(CODICE) == a


def test_campione_valido_resta_valido():
    """Controllo del banco di prova: i casi sopra partono da un file che da solo si legge."""
    assert load_pratica(ESEMPIO).pratica.id == CODICE
