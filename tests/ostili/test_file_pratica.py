"""Categoria «file pratica»: YAML e JSON ostili diventano messaggi italiani, mai traceback.

Ogni caso è passato alla riga di comando in un processo con memoria e tempo limitati; si
controlla codice d'uscita, file e campo nominati, nessun dettaglio inglese, nulla di salvato.
Ciò che ``importa`` accetta deve anche essere generabile (``genera`` riesce).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from aiuti_ostili import ESEMPIO, cli, cli_interno, senza_traceback

TESTO = ESEMPIO.read_text(encoding="utf-8")


def _sostituisci(vecchio: str, nuovo: str) -> str:
    assert vecchio in TESTO
    return TESTO.replace(vecchio, nuovo, 1)


QUOTA = "quota_associativa_euro: 10.00"
DATA = "data_prevista: 2025-10-20"
SIGLA = 'sigla: "CER Colline della Sieve"'

# (nome, testo del file, campo che il messaggio deve nominare, parola del messaggio)
CASI_YAML = [
    ("data_30_febbraio", _sostituisci(DATA, "data_prevista: 2025-02-30"),
     "comunita.atto_costitutivo.data_prevista", "non esiste nel calendario"),
    ("data_anno_zero", _sostituisci(DATA, "data_prevista: 0000-01-01"),
     "comunita.atto_costitutivo.data_prevista", "non esiste nel calendario"),
    ("data_13_mese", _sostituisci(DATA, "data_prevista: 2025-13-01"),
     "comunita.atto_costitutivo.data_prevista", "non esiste nel calendario"),
    ("intero_5000_cifre", _sostituisci("preavviso_mesi: 6", "preavviso_mesi: " + "9" * 5000),
     "comunita.recesso.preavviso_mesi", "cifre"),
    ("importo_1e308", _sostituisci(QUOTA, "quota_associativa_euro: 1e308"),
     "comunita.quota_associativa_euro", "fuori misura"),
    ("importo_1e308_float", _sostituisci(QUOTA, "quota_associativa_euro: 1.0e+308"),
     "comunita.quota_associativa_euro", "fuori misura"),
    ("importo_1e999999", _sostituisci(QUOTA, "quota_associativa_euro: 1e999999"),
     "comunita.quota_associativa_euro", "fuori misura"),
    ("importo_nan", _sostituisci(QUOTA, "quota_associativa_euro: .nan"),
     "comunita.quota_associativa_euro", "finito"),
    ("importo_infinito", _sostituisci(QUOTA, "quota_associativa_euro: -.inf"),
     "comunita.quota_associativa_euro", "finito"),
    ("importo_testo_nan", _sostituisci(QUOTA, 'quota_associativa_euro: "NaN"'),
     "comunita.quota_associativa_euro", "finito"),
    ("quota_negativa", _sostituisci(QUOTA, "quota_associativa_euro: -10.00"),
     "comunita.quota_associativa_euro", "minore di 0"),
    ("potenza_1e_meno_999999", TESTO.replace("potenza_kw: ", "potenza_kw: 1e-999999 #", 1),
     "potenza_kw", "decimali"),
    ("carattere_uffff", _sostituisci(SIGLA, 'sigla: "CER \\uFFFF Colline"'), "comunita.sigla", "U+FFFF"),
    ("carattere_ufffe", _sostituisci(SIGLA, 'sigla: "CER \\uFFFE Colline"'), "comunita.sigla", "U+FFFE"),
    ("surrogato", _sostituisci(SIGLA, 'sigla: "CER \\uD800 Colline"'), "", "\\u"),
    ("chiave_doppia", _sostituisci("  durata: illimitata\n", "  durata: illimitata\n  durata: 10\n"),
     "comunita.durata", "due volte"),
    ("yaml_parentesi_aperta", _sostituisci("  durata: illimitata\n", "  durata: [illimitata\n"), "", "parentesi"),
    ("yaml_tabulazione", _sostituisci("  durata: illimitata\n", "\tdurata: illimitata\n"), "", "tabulazione"),
]


LIMITATI = {"intero_5000_cifre", "importo_1e999999", "potenza_1e_meno_999999", "carattere_uffff"}


@pytest.mark.parametrize("nome, testo, campo, parola", CASI_YAML, ids=[c[0] for c in CASI_YAML])
def test_verifica_file_pratica_ostile(tmp_path, nome, testo, campo, parola):
    f = tmp_path / f"{nome}.yaml"
    f.write_text(testo, encoding="utf-8")
    # i casi che una volta costavano tempo o memoria in un processo limitato, gli altri qui dentro
    e = cli("verifica", str(f), tempo=30) if nome in LIMITATI else cli_interno("verifica", str(f))
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert str(f) in e.err and "riga " in e.err
    assert parola in e.err, e.err
    if campo:
        assert f"campo '{campo}" in e.err or f".{campo}'" in e.err or campo in e.err, e.err


CASI_JSON = [
    ("chiave_doppia", '{"formato": "cer-docs/pratica@1", "formato": "x"}', "due volte"),
    ("nan", None, "NaN"),
    ("infinito", None, "Infinity"),
    ("numero_smisurato", None, "fuori misura"),
    ("intero_5000_cifre", None, "cifre"),
    ("surrogato", None, "U+D800"),
]


def _json(nome: str) -> str:
    dati = yaml.load(TESTO, Loader=yaml.SafeLoader)
    testo = json.dumps(dati, default=str, ensure_ascii=False)
    q = '"quota_associativa_euro": 10.0'
    assert q in testo
    return {
        "nan": testo.replace(q, '"quota_associativa_euro": NaN'),
        "infinito": testo.replace(q, '"quota_associativa_euro": Infinity'),
        "numero_smisurato": testo.replace(q, '"quota_associativa_euro": 1e999999'),
        "intero_5000_cifre": testo.replace(q, '"quota_associativa_euro": ' + "7" * 5000),
        "surrogato": testo.replace('"CER Colline della Sieve"', '"CER \\ud800 Colline"'),
    }[nome]


@pytest.mark.parametrize("nome, testo, parola", CASI_JSON, ids=[c[0] for c in CASI_JSON])
def test_verifica_json_ostile(tmp_path, nome, testo, parola):
    f = tmp_path / f"{nome}.json"
    f.write_text(testo if testo is not None else _json(nome), encoding="utf-8")
    e = cli_interno("verifica", str(f))
    senza_traceback(e)
    assert e.codice == 2, e.testo
    assert str(f) in e.err and parola in e.err, e.err


def test_importa_rifiuta_senza_salvare_e_presto(tmp_path):
    """``1e999999`` impegnava ``importa`` per 55 s: ora è rifiutato subito e l'archivio resta vuoto."""
    env = {"CER_DOCS_DATA_DIR": str(tmp_path / "dati")}
    for nome, testo, campo, _parola in CASI_YAML:
        if nome not in ("importo_1e999999", "quota_negativa", "chiave_doppia", "carattere_uffff"):
            continue
        f = tmp_path / f"{nome}.yaml"
        f.write_text(testo, encoding="utf-8")
        e = cli("importa", str(f), env=env, tempo=30)
        senza_traceback(e)
        assert e.codice == 2 and campo in e.err, e.testo
    elenco = cli("pratiche", "--json", env=env)
    assert elenco.codice == 0 and json.loads(elenco.out or "[]") == [], elenco.testo


ACCETTATI = [
    ("sigla_300_caratteri", _sostituisci(SIGLA, 'sigla: "' + "S" * 300 + '"')),
    ("denominazione_lunga", _sostituisci('denominazione: "Comunità Energetica Rinnovabile Colline della Sieve"',
                                         'denominazione: "' + "Comunità Energetica Rinnovabile " * 15 + '"')),
    ("caratteri_di_controllo", _sostituisci(SIGLA, 'sigla: "CER\\x0b Colline\\x01 & <Sieve> {{ 7*7 }}"')),
    ("quota_zero", _sostituisci(QUOTA, "quota_associativa_euro: 0")),
    ("quota_grande", _sostituisci(QUOTA, "quota_associativa_euro: 999999999.99")),
]


@pytest.mark.parametrize("nome, testo", ACCETTATI, ids=[c[0] for c in ACCETTATI])
def test_cio_che_importa_accetta_si_genera(tmp_path, nome, testo):
    f = tmp_path / f"{nome}.yaml"
    f.write_text(testo, encoding="utf-8")
    e = cli_interno("importa", str(f))
    assert e.codice == 0, e.testo
    # i PDF solo dove il caso tocca il testo (caratteri di controllo); le proprietà DOCX in tutti
    formati = "docx,pdf" if nome == "caratteri_di_controllo" else "docx"
    g = cli("genera", str(f), "--out", str(tmp_path / "out"), "--documenti", "statuto,atto_costitutivo",
            "--formati", formati, "--al", "2026-11-22")
    senza_traceback(g)
    assert g.codice == 0, g.testo
    assert (tmp_path / "out" / "manifest.json").is_file()
