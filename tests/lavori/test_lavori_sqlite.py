"""Generazione come lavoro in sottofondo, con il database predefinito (SQLite): accodare, vedere
l'avanzamento, annullare, ritrovare il risultato nella pratica, riprendere dopo un riavvio."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from cer_docs.services import archivio, lavori, utenti
from cer_docs.services import documenti as svc_documenti
from cer_docs.services import procedura as proc
from cer_docs.services.accesso import AccessoNegato
from cer_docs.store import get_engine

RADICE = Path(__file__).resolve().parents[2]
CODICE = "cer-colline-sieve"
AL = dt.date(2026, 12, 1)


@pytest.fixture
def pratica():
    archivio.importa_file(RADICE / "samples" / "pratica-esempio.yaml", autore="Anna")
    return CODICE


def _cartelle(codice: str) -> list[Path]:
    base = proc.cartella_documenti(codice)
    return sorted(c for c in base.iterdir() if c.is_dir()) if base.is_dir() else []


def test_un_lavoro_genera_i_documenti_e_li_registra_nella_pratica(pratica):
    lav = lavori.accoda_generazione(pratica, ["statuto", "regolamento"], bozza=True, al=AL, formati=["docx"],
                                    versione=archivio.apri(pratica).versione, autore="Anna")
    assert (lav.stato, lav.totale, lav.fatti, lav.autore) == ("in_coda", 2, 0, "Anna")
    assert lavori.ultimo_lavoro(pratica) == lav
    assert proc.ultima_generazione(pratica) is None

    fatto = lavori.Esecutore().esegui_uno()
    assert fatto.id == lav.id and fatto.stato == "fatto", fatto.errore
    assert (fatto.fatti, fatto.totale, fatto.frazione, fatto.tentativi) == (2, 2, 1.0, 1)
    gen = proc.ultima_generazione(pratica)
    assert gen is not None and gen.bozza and gen.al == AL and gen.versione == archivio.apri(pratica).versione
    assert sorted(f.documento for f in gen.file) == ["regolamento", "statuto"]
    assert all(f.formato == "docx" for f in gen.file)
    assert fatto.risultato["cartella"] == Path(gen.cartella).name
    assert lavori.Esecutore().esegui_uno() is None, "la coda è vuota: ogni lavoro si esegue una volta"


def test_l_avanzamento_e_nel_database_mentre_il_lavoro_gira(pratica, monkeypatch):
    vero = svc_documenti.genera
    visti: list[tuple[int, int, str]] = []

    def genera_e_guarda(*a, **k):
        lav = lavori.ultimo_lavoro(pratica)  # come la pagina ricaricata: legge dal database
        visti.append((lav.fatti, lav.totale, lav.descrizione))
        return vero(*a, **k)

    monkeypatch.setattr(svc_documenti, "genera", genera_e_guarda)
    lav = lavori.accoda_generazione(pratica, ["statuto", "regolamento"], bozza=True, al=AL, formati=["docx"])
    assert lavori.Esecutore().esegui_uno().stato == "fatto"
    titoli = proc.titoli_documenti()
    assert visti == [(0, 2, titoli["statuto"]), (1, 2, titoli["regolamento"])]
    assert lavori.lavoro(lav.id).stato == "fatto"


def test_una_sola_generazione_attiva_per_pratica(pratica):
    primo = lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL)
    with pytest.raises(lavori.LavoroGiaAttivo, match="c'è già una generazione in coda"):
        lavori.accoda_generazione(pratica, ["regolamento"], bozza=True, al=AL)
    lavori.annulla(primo.id)
    assert lavori.accoda_generazione(pratica, ["regolamento"], bozza=True, al=AL).stato == "in_coda"


def test_richieste_vuote_o_sbagliate(pratica):
    with pytest.raises(lavori.ErroreLavori, match="almeno un documento"):
        lavori.accoda_generazione(pratica, [], bozza=True, al=AL)
    with pytest.raises(lavori.ErroreLavori, match="sconosciuto: odt"):
        lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL, formati=["odt"])
    with pytest.raises(archivio.PraticaNonTrovata):
        lavori.accoda_generazione("non-esiste", ["statuto"], bozza=True, al=AL)


def test_annullare_un_lavoro_in_coda(pratica):
    lav = lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL)
    annullato = lavori.annulla(lav.id)
    assert annullato.stato == "annullato" and not annullato.attivo
    assert lavori.Esecutore().esegui_uno() is None
    with pytest.raises(lavori.ErroreLavori, match="già finita"):
        lavori.annulla(lav.id)
    assert proc.ultima_generazione(pratica) is None and _cartelle(pratica) == []


def test_annullare_un_lavoro_in_corso_non_lascia_documenti_a_meta(pratica, monkeypatch):
    vero = svc_documenti.genera
    partito, prosegui = threading.Event(), threading.Event()

    def genera_lento(*a, **k):
        partito.set()
        assert prosegui.wait(60)
        return vero(*a, **k)

    monkeypatch.setattr(svc_documenti, "genera", genera_lento)
    lav = lavori.accoda_generazione(pratica, ["statuto", "regolamento", "atto_costitutivo"], bozza=True, al=AL,
                                    formati=["docx"])
    esecutore = lavori.Esecutore()
    esito: list[lavori.Lavoro] = []
    t = threading.Thread(target=lambda: esito.append(esecutore.esegui_uno()))
    t.start()
    assert partito.wait(60)
    richiesto = lavori.annulla(lav.id)
    assert richiesto.stato == "in_corso" and richiesto.annulla, "in corso: si ferma al documento successivo"
    prosegui.set()
    t.join(120)
    assert esito[0].stato == "annullato"
    assert esito[0].fatti < 3
    assert proc.ultima_generazione(pratica) is None
    assert _cartelle(pratica) == [], "lo statuto già scritto se ne va con la generazione annullata"


def test_un_errore_di_generazione_e_spiegato(pratica, monkeypatch):
    def rotto(*a, **k):
        raise svc_documenti.ErroreGenerazione("nessuna regola in vigore alla data 1990-01-01")

    monkeypatch.setattr(svc_documenti, "genera", rotto)
    lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL)
    fallito = lavori.Esecutore().esegui_uno()
    assert fallito.stato == "fallito" and fallito.errore == "nessuna regola in vigore alla data 1990-01-01"
    assert _cartelle(pratica) == []


def test_un_nuovo_processo_riprende_i_lavori_in_coda_e_quelli_di_un_esecutore_morto(pratica):
    a = lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL, formati=["docx"])
    # un esecutore «morto»: ha preso il lavoro con un affitto brevissimo e non l'ha mai rinnovato
    from cer_docs.store import lavori as repo

    with get_engine().begin() as conn:
        preso = repo.prendi(conn, "morto:1", dt.timedelta(seconds=-1))
    assert preso.id == a.id and lavori.lavoro(a.id).stato == "in_corso"
    # l'app ripartita: il thread dei lavori riprende il lavoro dell'esecutore scomparso
    assert lavori.assicura_esecutore_locale()
    assert lavori.assicura_esecutore_locale(), "un solo thread per processo: la seconda chiamata non ne crea un altro"
    assert sum(t.name == "cer-docs-lavori" for t in threading.enumerate()) == 1
    finito = lavori.attendi(a.id, secondi=120)
    assert finito.stato == "fatto" and finito.tentativi == 2
    # e un lavoro accodato adesso è preso dallo stesso thread
    b = lavori.accoda_generazione(pratica, ["regolamento"], bozza=True, al=AL, formati=["docx"])
    assert lavori.attendi(b.id, secondi=120).stato == "fatto"
    assert proc.ultima_generazione(pratica).file[0].documento == "regolamento"


def test_un_lavoro_che_ferma_troppe_volte_l_esecutore_non_si_riprova_all_infinito(pratica):
    from cer_docs.store import lavori as repo

    a = lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL)
    for i in range(lavori.TENTATIVI_MASSIMI):
        with get_engine().begin() as conn:
            assert repo.prendi(conn, f"morto:{i}", dt.timedelta(seconds=-1)).id == a.id
    fallito = lavori.Esecutore().esegui_uno()
    assert fallito.stato == "fallito" and "interrotta 3 volte" in fallito.errore


def test_ruoli_chi_legge_vede_lo_stato_solo_chi_genera_accoda_e_annulla(pratica):
    utenti.crea_utente("lia", "Lia Lettrice", "una-password-lunga-1")
    utenti.crea_utente("rino", "Rino Redattore", "una-password-lunga-2")
    utenti.condividi_pratica(pratica, "lia", "lettura")
    utenti.condividi_pratica(pratica, "rino", "redattore")
    lia, rino = utenti.attore_da_username("lia"), utenti.attore_da_username("rino")
    with pytest.raises(AccessoNegato) as negato:
        lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL, attore=lia)
    # italiano corretto: «i documenti della pratica», mai «di la pratica»
    assert f"con il ruolo «lettura» non puoi generare i documenti della pratica '{pratica}'" in str(negato.value)
    lav = lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL, formati=["docx"], attore=rino)
    assert lav.autore == "Rino Redattore (rino)"
    assert lavori.ultimo_lavoro(pratica, attore=lia).id == lav.id
    with pytest.raises(AccessoNegato):
        lavori.annulla(lav.id, attore=lia)
    # l'esecutore genera con i permessi di chi ha chiesto: tolto il ruolo, il lavoro non parte
    utenti.condividi_pratica(pratica, "rino", "lettura")
    fallito = lavori.Esecutore().esegui_uno()
    assert fallito.stato == "fallito" and "non puoi generare" in fallito.errore
    assert proc.ultima_generazione(pratica) is None


def test_eliminare_la_pratica_elimina_i_suoi_lavori(pratica):
    lavori.accoda_generazione(pratica, ["statuto"], bozza=True, al=AL)
    archivio.elimina(pratica, versione_attesa=archivio.apri(pratica).versione)
    with get_engine().connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM lavoro")).scalar_one() == 0


def test_l_avanzamento_file_per_file_e_l_annullamento_dentro_un_documento(pratica, monkeypatch):
    """Le DSAN sono una per soggetto: l'avanzamento scende ai singoli file e un annullamento chiesto a
    metà ferma la generazione prima che il documento sia scritto."""
    vero = svc_documenti.genera
    visti: list[tuple[int, int, str]] = []
    finiti: list[str] = []

    def genera_e_annulla(*a, **k):
        originale = k["avanzamento"]

        def dentro(fatti: int, totale: int, descrizione: str) -> None:
            lav = lavori.ultimo_lavoro(pratica)
            visti.append((lav.dettaglio_fatti, lav.dettaglio_totale, lav.descrizione))
            if fatti == 2:
                lavori.annulla(lav.id)
            originale(fatti, totale, descrizione)

        k["avanzamento"] = dentro
        esito = vero(*a, **k)
        finiti.append(k["documenti"][0])
        return esito

    monkeypatch.setattr(svc_documenti, "genera", genera_e_annulla)
    monkeypatch.setattr(lavori, "_OGNI_DETTAGLIO", 0.0)  # ogni passo si scrive e guarda se è stato annullato
    lavori.accoda_generazione(pratica, ["statuto", "dsan"], bozza=True, al=AL, formati=["docx"])
    fatto = lavori.Esecutore().esegui_uno()
    assert fatto.stato == "annullato"
    assert finiti == ["statuto"], "la DSAN non è arrivata alla scrittura"
    titolo = proc.titoli_documenti()["dsan"]
    assert visti[0][2] == proc.titoli_documenti()["statuto"]
    dsan = [v for v in visti if v[2] == titolo]
    assert dsan[0] == (0, 0, titolo), "il documento nuovo riparte da zero"
    assert dsan[1][0] == 0 and dsan[1][1] > 2, "dal primo passo della DSAN si sa il totale dei file"
    assert fatto.fatti == 1 and fatto.dettaglio_totale == dsan[1][1]
    assert proc.ultima_generazione(pratica) is None and _cartelle(pratica) == []


def test_la_frazione_tiene_conto_dei_file_del_documento_in_corso():
    lav = lavori.Lavoro(id=1, codice="x", tipo=lavori.TIPO_GENERAZIONE, stato="in_corso", autore="a", parametri={},
                        fatti=1, totale=4, descrizione="DSAN", dettaglio_fatti=5, dettaglio_totale=10, dettaglio="",
                        annulla=False, tentativi=1, creato_il=dt.datetime.now(dt.timezone.utc), iniziato_il=None,
                        finito_il=None, errore=None, risultato=None)
    assert lav.frazione == pytest.approx(1.5 / 4)


def test_un_esecutore_senza_la_chiave_dice_perche_non_genera(monkeypatch, tmp_path):
    """Un esecutore avviato senza CER_DOCS_CHIAVE_FILE su un archivio cifrato: il lavoro non riesce con
    un messaggio che dice che cosa manca (non «errore imprevisto»), e nessun documento a metà."""
    from cer_docs.services import chiave

    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(chiave.genera(tmp_path / "chiave")))
    archivio.importa_file(RADICE / "samples" / "pratica-esempio.yaml", autore="Anna")
    lav = lavori.accoda_generazione(CODICE, ["statuto"], bozza=True, al=AL, formati=["docx"])
    monkeypatch.delenv("CER_DOCS_CHIAVE_FILE")
    fallito = lavori.Esecutore(nome="senza-chiave").esegui_uno()
    assert fallito.id == lav.id and fallito.stato == "fallito"
    assert "l'esecutore senza-chiave non può leggere i dati della pratica" in fallito.errore
    assert "CER_DOCS_CHIAVE_FILE" in fallito.errore and "imprevisto" not in fallito.errore
    assert _cartelle(CODICE) == []


def test_il_worker_non_parte_con_un_file_della_chiave_sbagliato(monkeypatch, tmp_path):
    sbagliata = tmp_path / "chiave"
    sbagliata.write_text("non è una chiave")
    sbagliata.chmod(0o600)
    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(sbagliata))
    with pytest.raises(lavori.ErroreDatabase, match="la chiave di cifratura non è valida"):
        lavori.nuovo_esecutore(nome="prova")


def test_il_worker_senza_chiave_non_parte_su_un_archivio_cifrato(monkeypatch, tmp_path):
    """Su un archivio con pratiche cifrate, ``cer-docs worker`` senza chiave si ferma subito con un
    messaggio che dice quale variabile manca, invece di partire e far fallire ogni lavoro."""
    from cer_docs.services import chiave

    monkeypatch.setenv("CER_DOCS_CHIAVE_FILE", str(chiave.genera(tmp_path / "chiave")))
    archivio.importa_file(RADICE / "samples" / "pratica-esempio.yaml", autore="Anna")
    monkeypatch.delenv("CER_DOCS_CHIAVE_FILE")
    with pytest.raises(lavori.ErroreDatabase, match="dati cifrati ma questo esecutore non ha la chiave.*"
                                                     "CER_DOCS_CHIAVE_FILE"):
        lavori.nuovo_esecutore(nome="prova")


def test_il_worker_senza_chiave_parte_su_un_archivio_in_chiaro():
    archivio.importa_file(RADICE / "samples" / "pratica-esempio.yaml", autore="Anna")
    assert lavori.nuovo_esecutore(nome="prova").nome == "prova"


def test_il_registro_del_worker_dice_come_finisce_ogni_lavoro(caplog):
    archivio.importa_file(RADICE / "samples" / "pratica-esempio.yaml", autore="Anna")
    lav = lavori.accoda_generazione(CODICE, ["statuto"], bozza=True, al=AL, formati=["docx"])
    with caplog.at_level("INFO", logger="cer_docs.services.lavori"):
        fatto = lavori.Esecutore(nome="registro").esegui_uno()
    assert fatto.stato == "fatto"
    righe = [r.getMessage() for r in caplog.records]
    assert any(f"lavoro {lav.id} (pratica {CODICE}) fatto: " in r and "file in" in r for r in righe), righe
