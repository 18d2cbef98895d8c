"""Importare i membri con i loro POD e impianti: la colonna POD non è più ignorata."""

from __future__ import annotations

import datetime as dt

import pytest
from guida_ui import CAMPIONI, chiave, messaggi, nessun_errore, pulsante

from cer_docs.services import archivio
from cer_docs.services import importazione as imp
from cer_docs.services import procedura as proc

CODICE = "cer-colline-sieve"

# 10 membri veri (codici fiscali con il carattere di controllo giusto non servono: il CF è facoltativo)
CSV = ("nome;cognome;comune;provincia;ruolo;data di adesione;data di uscita;POD;potenza impianto kW\n"
       + "".join(f"Nome{i};Cognome{i};Vicchio;FI;{'prosumer' if i < 3 else 'consumatore'};01/02/2026;"
                 f"{'30/06/2026' if i == 9 else ''};IT001E{9000000 + i:08d};{'4,5' if i < 3 else ''}\n"
                 for i in range(10))).encode("utf-8")


def test_lettura_del_file_con_pod_e_potenza():
    esito = imp.leggi_membri(CSV, "membri.csv", oggi=dt.date(2026, 12, 1))
    assert not esito.problemi and len(esito.righe) == 10
    assert esito.colonne_ignorate == []
    assert esito.righe[0]["pod"] == "IT001E09000000" and esito.righe[0]["potenza_impianto_kw"] == 4.5
    assert esito.righe[9]["data_recesso"] == dt.date(2026, 6, 30)


def test_pod_sbagliato_o_doppio_scarta_la_riga():
    testo = "nome;cognome;POD\nAnna;Blu;IT001E1\nLuca;Rosa;IT001E12345678\nEva;Neri;IT001E12345678\n"
    esito = imp.leggi_membri(testo.encode(), "m.csv", oggi=dt.date(2026, 12, 1))
    problemi = [str(p) for p in esito.problemi]
    assert any(p.startswith("Riga 2 (Anna Blu), POD: il POD 'IT001E1' non ha il formato") for p in problemi)
    assert any("Riga 4" in p and "già alla riga 3" in p for p in problemi)
    assert [r["nome"] for r in esito.righe] == ["Luca"]


def test_uscita_prima_dell_adesione():
    testo = "nome;cognome;ruolo;data adesione;data uscita\nAnna;Blu;consumatore;01/03/2026;01/02/2026\n"
    esito = imp.leggi_membri(testo.encode(), "m.csv", oggi=dt.date(2026, 12, 1))
    assert "data di uscita: la data di uscita viene prima della data di adesione" in str(esito.problemi[0])


def test_aggiungi_soggetti_crea_pod_e_impianti():
    pratica = archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova").pratica
    esito = imp.leggi_membri(CSV, "membri.csv", pratica=pratica, oggi=dt.date(2026, 12, 1))
    nuova = imp.aggiungi_soggetti(pratica, esito.righe, dt.date(2026, 12, 1), configurazione=0)
    conf = nuova.configurazioni[0]
    pods = {pc.pod: pc.soggetto for pc in conf.punti_connessione}
    assert len(conf.punti_connessione) == len(pratica.configurazioni[0].punti_connessione) + 10
    titolare = nuova.soggetto(pods["IT001E09000001"])
    assert titolare.nome_completo == "Nome1 Cognome1"
    nuovi_impianti = [i for i in conf.impianti if i.pod.startswith("IT001E09")]
    assert len(nuovi_impianti) == 3 and all(i.potenza_kw == 4.5 for i in nuovi_impianti)
    assert nuova.soggetto(nuovi_impianti[0].produttore).nome_completo.startswith("Nome")
    uscito = next(m for m in nuova.membri if nuova.soggetto(m.soggetto).nome == "Nome9")
    assert uscito.data_recesso == dt.date(2026, 6, 30)


def test_pod_senza_configurazione_scelta_non_salva():
    pratica = archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova").pratica
    esito = imp.leggi_membri(CSV, "membri.csv", pratica=pratica, oggi=dt.date(2026, 12, 1))
    with pytest.raises(proc.ErrorePasso, match="scegli prima la configurazione"):
        imp.aggiungi_soggetti(pratica, esito.righe, dt.date(2026, 12, 1), configurazione=None)


def test_importazione_dalla_pagina(app):
    archivio.importa_file(CAMPIONI / "pratica-esempio.yaml", autore="prova")
    app.query_params["pratica"] = CODICE
    app.query_params["passo"] = "soggetti"
    app.run()
    app.switch_page("pagine/procedura.py").run()
    app.file_uploader(key=chiave(CODICE, "importa-soggetti")).set_value(("membri.csv", CSV, "text/csv"))
    app.run()
    nessun_errore(app)
    assert not any("ignorate" in c.value for c in app.caption)
    assert any("Si aggiungono 10 POD e 3 impianti" in c.value for c in app.caption)
    pulsante(app, "Aggiungi 10 soggetti alla pratica").click().run()
    nessun_errore(app)
    p = archivio.apri(CODICE).pratica
    assert "IT001E09000005" in {pc.pod for pc in p.configurazioni[0].punti_connessione}
    assert any("salvato" in s for s in messaggi(app, "success"))
