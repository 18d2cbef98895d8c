"""Scenari YAML di fatti, stati e scadenze (``tests/practice/scenari/*.yaml``).

Ogni caso: ``nome`` (la proposizione giuridica), ``al`` (la data), ``modifiche`` alla pratica di
riferimento (come negli scenari delle regole: ``imposta`` / ``aggiungi`` / ``rimuovi``), poi
``fatti`` da registrare in ordine con ``record_fatto`` (con ``rifiutato: testo`` se il fatto
deve essere rifiutato con un motivo che contiene quel testo), e infine le attese:

* ``atteso``: scadenze che devono esserci (``codice``, ``oggetto`` e, se indicati, ``data``,
  ``stato``, ``decorrenza``, ``adempiuta_il``, ``non_confermato``);
* ``atteso_assenti``: scadenze che non devono esserci (``codice`` ed eventualmente ``oggetto``);
* ``stati``: stato atteso di un oggetto (``oggetto``, ``stato``); ``stato_pratica``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cer_docs.model import parse_data
from cer_docs.practice import Fatto, FattoRifiutato, compute_scadenze, compute_stati, record_fatto
from scenari_comuni import BASE, applica, casi

SCENARI = Path(__file__).parent / "scenari"


def _data(v) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def _descrivi(scadenze) -> str:
    return "\n".join(f"  {s.codice} {s.oggetto} {s.data} {s.stato} adempiuta={s.adempiuta_il} "
                     f"decorrenza={s.decorrenza}: {s.titolo}" for s in scadenze)


@pytest.mark.parametrize("caso", list(casi(SCENARI)))
def test_scenario(caso):
    pratica = parse_data(applica(BASE, caso.get("modifiche", [])), caso["nome"])
    al = _data(caso["al"])
    for f in caso.get("fatti", []):
        fatto = Fatto(tipo=f["tipo"], data=_data(f["data"]), oggetto=f.get("oggetto"), nota=f.get("nota"),
                      autore=f.get("autore", "scenario"), riferimento=f.get("riferimento"))
        al_fatto = _data(f.get("al", al))
        if "rifiutato" in f:
            with pytest.raises(FattoRifiutato) as exc:
                record_fatto(pratica, fatto, al_fatto)
            assert f["rifiutato"] in exc.value.motivo, exc.value.motivo
        else:
            try:
                pratica = record_fatto(pratica, fatto, al_fatto).pratica
            except FattoRifiutato as e:  # pragma: no cover - il messaggio aiuta a capire lo scenario
                pytest.fail(f"il fatto {f} doveva essere accettato: {e.motivo}")

    scadenze = compute_scadenze(pratica, al)
    descr = _descrivi(scadenze)
    for atteso in caso.get("atteso", []):
        trovate = [s for s in scadenze if s.codice == atteso["codice"] and s.oggetto == atteso["oggetto"]]
        if "variante_data" in atteso:
            trovate = [s for s in trovate if s.data == _data(atteso["variante_data"])]
        assert trovate, f"manca la scadenza {atteso['codice']} su {atteso['oggetto']}; trovate:\n{descr}"
        for s in trovate:
            for campo in ("data", "decorrenza", "adempiuta_il"):
                if campo in atteso:
                    valore = _data(atteso[campo]) if atteso[campo] is not None else None
                    assert getattr(s, campo) == valore, f"{campo} di {s.codice}: {getattr(s, campo)}\n{descr}"
            if "stato" in atteso:
                assert s.stato == atteso["stato"], f"stato di {s.codice} {s.oggetto}: {s.stato}\n{descr}"
            if "non_confermato" in atteso:
                assert s.non_confermato == atteso["non_confermato"]
            assert s.titolo and s.conseguenza and s.riferimento and s.fatto and s.calcolo
    for assente in caso.get("atteso_assenti", []):
        presenti = [s for s in scadenze if s.codice == assente["codice"]
                    and ("oggetto" not in assente or s.oggetto == assente["oggetto"])]
        assert not presenti, f"la scadenza {assente} non doveva comparire:\n{descr}"
    stati = compute_stati(pratica, al)
    for atteso in caso.get("stati", []):
        st = [s for s in stati.tutti() if s.oggetto == atteso["oggetto"]]
        assert st, f"nessuno stato per {atteso['oggetto']}: {[s.oggetto for s in stati.tutti()]}"
        assert st[0].stato == atteso["stato"], f"{atteso['oggetto']}: {st[0].stato} ({st[0].note})"
    if "stato_pratica" in caso:
        assert stati.pratica == caso["stato_pratica"]
