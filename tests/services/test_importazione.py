"""Importazione di soggetti e membri da CSV/XLSX con intestazioni italiane: righe buone tenute,
righe sbagliate elencate con riga del file e campo."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from cer_docs.model import load_pratica
from cer_docs.services import importazione as imp

OGGI = dt.date(2026, 11, 22)
RADICE = __import__("pathlib").Path(__file__).resolve().parents[2]


def _csv(testo: str, codifica: str = "utf-8") -> bytes:
    return testo.encode(codifica)


def test_csv_con_punto_e_virgola_tiene_le_righe_buone_e_elenca_le_sbagliate():
    contenuto = _csv(
        "Nome;Cognome;Codice Fiscale;Data di nascita;Luogo di nascita;Indirizzo;CAP;Comune;Prov.;E-mail;Ruolo\n"
        "Mario;Rossi;rssmra75d12d612n;12/04/1975;Firenze;Via del Castagno 3;50060;San Godenzo;fi;m@example.it;consumatore\n"
        "Piero;Sarti;SRTPRI70A01D612X;01/01/1970;;;50060;San Godenzo;FI;;consumatore\n"
        ";;;;;;;;;;\n"
        "Anna;Conti;CNTNNA90H70H937D;30/06/1990;;;5006;San Godenzo;ZZ;anna@;prosumer\n"
        "Luca;Verdi;;31/02/1980;;;;;;;capo\n"
    )
    esito = imp.leggi_membri(contenuto, "soci.csv", oggi=OGGI)
    assert esito.righe_lette == 4                      # la riga vuota non conta
    assert len(esito.righe) == 1
    r = esito.righe[0]
    assert r["codice_fiscale"] == "RSSMRA75D12D612N" and r["provincia"] == "FI"
    assert r["nato_il"] == dt.date(1975, 4, 12) and r["tipo"] == "persona_fisica" and r["ruolo"] == "consumatore"
    testi = [str(p) for p in esito.problemi]
    assert any(t.startswith("Riga 3 (Piero Sarti), codice fiscale: il carattere di controllo") for t in testi)
    assert "Riga 5 (Anna Conti), CAP: il CAP '5006' deve avere 5 cifre" in testi
    assert any(t.startswith("Riga 5 (Anna Conti), provincia: 'ZZ' non è la sigla") for t in testi)
    assert "Riga 5 (Anna Conti), email: 'anna@' non è un indirizzo di posta elettronica" in testi
    assert any(t.startswith("Riga 6 (Luca Verdi), data di nascita: '31/02/1980' non esiste: febbraio 1980 ha 29 "
                            "giorni") for t in testi)
    assert any(t.startswith("Riga 6 (Luca Verdi), ruolo: 'capo' non è un ruolo previsto") for t in testi)
    assert esito.righe_scartate == [3, 5, 6]
    assert esito.riassunto() == "1 riga valida su 4; 3 righe scartate (vedi i problemi)"


def test_csv_con_virgola_in_cp1252_e_colonne_ignorate():
    contenuto = _csv("denominazione,partita iva,comune,note\n"
                     "\"Il Poggio Società Agricola S.r.l.\",12345670488,San Godenzo,cliente storico\n", "cp1252")
    esito = imp.leggi_membri(contenuto, "imprese.csv", oggi=OGGI)
    assert not esito.problemi
    assert esito.righe[0]["denominazione"] == "Il Poggio Società Agricola S.r.l."
    assert esito.righe[0]["tipo"] == "impresa"            # dedotto dalla partita IVA
    assert esito.colonne_ignorate == ["note"]


def test_xlsx_con_date_vere_e_cap_numerico():
    wb = Workbook()
    ws = wb.active
    ws.append(["Nome", "Cognome", "Codice fiscale", "Data di nascita", "CAP", "Comune", "Provincia", "Ruolo",
               "Data di adesione"])
    ws.append(["Mario", "Rossi", "RSSMRA75D12D612N", dt.datetime(1975, 4, 12), 50060, "San Godenzo", "FI",
               "Prosumer (consuma e produce)", dt.date(2025, 10, 20)])
    ws.append(["Giulia", "Bianchi", "BNCGLI82P43B036N", "03/09/1982", 4100, "Viterbo", "VT", None, None])
    buf = io.BytesIO()
    wb.save(buf)
    esito = imp.leggi_membri(buf.getvalue(), "soci.xlsx", oggi=OGGI)
    assert not esito.problemi, [str(p) for p in esito.problemi]
    a, b = esito.righe
    assert a["nato_il"] == dt.date(1975, 4, 12) and a["cap"] == "50060" and a["ruolo"] == "prosumer"
    assert a["data_adesione"] == dt.date(2025, 10, 20)
    assert b["cap"] == "04100"                           # lo zero iniziale perso da Excel torna
    assert b["ruolo"] is None                            # ruolo vuoto: non membro


def test_senza_colonna_ruolo_sono_tutti_consumatori():
    esito = imp.leggi_membri(_csv("nome;cognome\nMario;Rossi\n"), "a.csv", oggi=OGGI)
    assert esito.righe[0]["ruolo"] == "consumatore"


def test_doppioni_nel_file_e_soggetti_gia_nella_pratica():
    pratica = load_pratica(RADICE / "samples" / "pratica-esempio.yaml")
    contenuto = _csv("nome;cognome;codice fiscale\n"
                     "Mario;Rossi;RSSMRA75D12D612N\n"
                     "Lucia;Neri;NRELCU80A41D612A\n"
                     "Lucia;Neri;NRELCU80A41D612A\n")
    esito = imp.leggi_membri(contenuto, "a.csv", pratica=pratica, oggi=OGGI)
    assert [r["nome"] for r in esito.righe] == ["Lucia"]
    testi = [str(p) for p in esito.problemi]
    assert any(t.startswith("Riga 2 (Mario Rossi)") and "Mario Rossi ha già questo codice fiscale" in t
               for t in testi)
    assert any(t.startswith("Riga 4 (Lucia Neri)") and "è già alla riga 3" in t for t in testi)


def test_anno_a_due_cifre_e_data_nel_futuro():
    esito = imp.leggi_membri(_csv("nome;cognome;data di nascita\nA;B;12/04/75\nC;D;01/01/2030\n"), "a.csv",
                             oggi=OGGI)
    testi = [str(p) for p in esito.problemi]
    assert any("anno con due cifre" in t for t in testi)
    assert "Riga 3 (C D), data di nascita: la data di nascita è nel futuro" in testi


@pytest.mark.parametrize("contenuto,nome,messaggio", [
    (b"", "vuoto.csv", "il file è vuoto"),
    (b"colonna1;colonna2\n1;2\n", "a.csv", "Trovate: colonna1, colonna2"),
    (b"PK\x03\x04rotto", "a.xlsx", "non è un foglio Excel .xlsx valido"),
    (b"qualcosa", "vecchio.xls", "Excel 97-2003"),
    (b"%PDF-1.4", "documento.pdf", "non è un file CSV o Excel"),
    (b"nome;cognome\n", "solo-intestazione.csv", None),
])
def test_file_non_importabili(contenuto, nome, messaggio):
    if messaggio is None:
        esito = imp.leggi_membri(contenuto, nome, oggi=OGGI)
        assert esito.righe == [] and esito.righe_lette == 0
        return
    with pytest.raises(imp.ErroreImportazione, match=messaggio):
        imp.leggi_membri(contenuto, nome, oggi=OGGI)


def test_il_modello_csv_si_reimporta():
    esito = imp.leggi_membri(imp.modello_csv(), "modello-soggetti.csv", oggi=OGGI)
    assert not esito.problemi and len(esito.righe) == 1
    assert esito.righe[0]["data_adesione"] == dt.date(2025, 10, 20)


def test_file_grande_letto_per_intero():
    righe = ["nome;cognome;comune"] + [f"Nome{i};Cognome{i};Firenze" for i in range(5000)]
    esito = imp.leggi_membri("\n".join(righe).encode(), "grande.csv", oggi=OGGI)
    assert len(esito.righe) == 5000 and not esito.problemi


def test_un_tipo_sbagliato_ha_un_solo_messaggio_non_anche_sul_codice_fiscale_dell_ente():
    contenuto = _csv("tipo;nome;cognome;denominazione;codice fiscale;ruolo\n"
                     "ente pubblico;;;Comune di Vicchio;83002370480;prosumer\n")
    esito = imp.leggi_membri(contenuto, "soci.csv")
    assert [(p.riga, p.campo) for p in esito.problemi] == [(2, "tipo")]
    assert "'ente pubblico' non è un tipo di soggetto previsto" in esito.problemi[0].messaggio


def test_una_data_con_piu_parti_impossibili_le_nomina_tutte():
    from cer_docs.services.importazione import leggi_data

    with pytest.raises(ValueError) as e:
        leggi_data("00/00/0000")
    assert "il giorno 00, il mese 00 e l'anno 0000 non esistono" in str(e.value)
    with pytest.raises(ValueError) as e:
        leggi_data("00/05/2025")
    assert "il giorno 00 non esiste" in str(e.value)
