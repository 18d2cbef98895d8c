"""Parametri datati: una sola lettura a una data (e il suo bordo prima della prima data), un caricatore
che rifiuta chiavi e date doppie."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from cer_docs.rules import base
from cer_docs.rules.base import (ParametroNonDefinito, ParametroNonInVigore, ParametroNonValido, carica_parametro_file,
                                 in_vigore, leggi, param, rif, tutti_i_parametri)

UN_GIORNO = dt.timedelta(days=1)


@pytest.mark.parametrize("pid", sorted(tutti_i_parametri()))
def test_ogni_parametro_al_bordo_di_ogni_sua_data(pid):
    """Il giorno prima della prima data non è in vigore; da ogni data d'effetto vale la voce nuova."""
    p = tutti_i_parametri()[pid]
    prima = p.voci[0].dal - UN_GIORNO
    assert in_vigore(pid, prima) is None
    with pytest.raises(ParametroNonInVigore):
        leggi(pid, prima)
    with pytest.raises(ParametroNonDefinito):     # chi intercetta l'errore più generale continua a farlo
        param(pid, prima)
    for precedente, voce in zip((None, *p.voci), p.voci):
        assert leggi(pid, voce.dal).valore == voce.valore
        assert leggi(pid, voce.dal).dal == voce.dal
        if precedente is not None:
            assert leggi(pid, voce.dal - UN_GIORNO).dal == precedente.dal


def test_le_scorciatoie_leggono_come_leggi():
    al = dt.date(2026, 2, 20)
    lettura = leggi("pnrr_termini_realizzazione", al)
    assert param("pnrr_termini_realizzazione", al) == lettura.valore
    assert rif("pnrr_termini_realizzazione", al) == lettura.riferimento
    assert "art. 27 c. 3" in rif("pnrr_termini_realizzazione", al)
    assert lettura.chiave == "pnrr_termini_realizzazione@2026-02-20"


def test_parametro_sconosciuto_non_e_un_parametro_non_in_vigore():
    with pytest.raises(ParametroNonDefinito) as e:
        in_vigore("non_esiste", dt.date(2026, 1, 1))
    assert not isinstance(e.value, ParametroNonInVigore)


def test_la_data_e_obbligatoria():
    with pytest.raises(TypeError):
        leggi("impianto_potenza_massima_kw", None)  # type: ignore[arg-type]


def _scrivi(tmp_path, testo: str):
    f = tmp_path / "prova.yaml"
    f.write_text(textwrap.dedent(testo), encoding="utf-8")
    return f


def test_il_caricatore_rifiuta_una_chiave_doppia(tmp_path):
    f = _scrivi(tmp_path, """\
        id: prova
        descrizione: prova
        values:
          2024-01-24: {valore: 1, reference: {fonte: dm-414-2023}}
        last_value_still_valid_on: 2026-11-22
        last_value_still_valid_on: 2026-12-02
        """)
    with pytest.raises(ParametroNonValido, match="last_value_still_valid_on.*due volte"):
        carica_parametro_file(f)


def test_il_caricatore_rifiuta_la_stessa_data_scritta_due_volte(tmp_path):
    f = _scrivi(tmp_path, """\
        id: prova
        descrizione: prova
        values:
          2024-01-24: {valore: 1000, reference: {fonte: dm-414-2023}}
          2024-01-24: {valore: 1200, reference: {fonte: dm-414-2023}}
        last_value_still_valid_on: 2026-11-22
        """)
    with pytest.raises(ParametroNonValido, match="due volte"):
        carica_parametro_file(f)


def test_il_caricatore_rifiuta_due_voci_con_la_stessa_data_in_forme_diverse(tmp_path):
    f = _scrivi(tmp_path, """\
        id: prova
        descrizione: prova
        values:
          2024-01-24: {valore: 1000, reference: {fonte: dm-414-2023}}
          '2024-01-24': {valore: 1200, reference: {fonte: dm-414-2023}}
        last_value_still_valid_on: 2026-11-22
        """)
    with pytest.raises(ParametroNonValido, match="stessa data d'effetto 2024-01-24"):
        carica_parametro_file(f)


def test_il_caricatore_rifiuta_chiavi_doppie_anche_dentro_un_valore(tmp_path):
    f = _scrivi(tmp_path, """\
        id: prova
        descrizione: prova
        values:
          2024-01-24:
            valore: {termine: 2026-06-30, termine: 2026-07-31}
            reference: {fonte: dm-414-2023}
        last_value_still_valid_on: 2026-11-22
        """)
    with pytest.raises(ParametroNonValido, match="termine"):
        carica_parametro_file(f)


def test_un_parametro_doppio_nella_cartella_blocca_il_caricamento(tmp_path, monkeypatch):
    for nome in ("a.yaml", "b.yaml"):
        (tmp_path / nome).write_text("id: prova\ndescrizione: x\nvalues:\n  2024-01-24: {valore: 1, reference: "
                                     "{fonte: dm-414-2023}}\nlast_value_still_valid_on: 2026-11-22\n", encoding="utf-8")
    monkeypatch.setattr(base, "PARAMS_DIR", tmp_path)
    base.tutti_i_parametri.cache_clear()
    try:
        with pytest.raises(ParametroNonValido, match="già definito"):
            base.tutti_i_parametri()
    finally:
        monkeypatch.undo()
        base.tutti_i_parametri.cache_clear()
    assert "impianto_potenza_massima_kw" in base.tutti_i_parametri()
