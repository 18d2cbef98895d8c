"""Il catalogo delle domande copre tutto il file pratica: ogni campo dello schema JSON si compila in
qualche passo della procedura o è dichiarato come gestito dal sistema (o da un'altra pagina)."""

from __future__ import annotations

import datetime as dt

from guida_ui import CAMPIONI

from cer_docs.model import Pratica, load_pratica
from cer_docs.services import catalogo
from cer_docs.services.procedura import PASSI


def _foglie(schema: dict) -> set[str]:
    definizioni = schema.get("$defs", {})

    def risolvi(n: dict) -> dict:
        return definizioni[n["$ref"].split("/")[-1]] if "$ref" in n else n

    out: set[str] = set()

    def cammina(n: dict, percorso: str) -> None:
        n = risolvi(n)
        if "anyOf" in n:
            alternative = [risolvi(x) for x in n["anyOf"] if x.get("type") != "null"]
            if len(alternative) == 1:
                n = alternative[0]
        if n.get("type") == "array" and "items" in n and "properties" in risolvi(n["items"]):
            cammina(n["items"], percorso + "[]")
            return
        if "properties" in n:
            for nome, figlio in n["properties"].items():
                cammina(figlio, f"{percorso}.{nome}" if percorso else nome)
            return
        out.add(percorso)

    cammina(schema, "")
    return out


FOGLIE = _foglie(Pratica.model_json_schema())


def test_ogni_campo_del_file_pratica_si_compila_da_qualche_parte():
    dichiarati = {d.percorso for d in catalogo.DOMANDE}
    # i campi dei soggetti e dei membri li dichiarano le colonne della tabella generata (non un elenco a parte)
    from cer_docs.services import motore_passi

    tabella = {d.percorso for d in motore_passi.colonne_importabili("soggetti")}
    assert {"soggetti[].nome", "soggetti[].sede.cap", "soggetti[].residenza.cap", "membri[].ruolo",
            "membri[].data_recesso", "soggetti[].pec"} <= tabella
    scoperti = sorted(f for f in FOGLIE if f not in dichiarati and catalogo.gestito(f) is None)
    assert not scoperti, ("campi del file pratica che nessun passo chiede e che nessuno gestisce: "
                          + ", ".join(scoperti))
    assert len(FOGLIE) > 150          # lo schema si legge davvero (campi annidati ed elenchi compresi)


def test_il_catalogo_non_dichiara_campi_che_non_esistono():
    inesistenti = [d.percorso for d in catalogo.DOMANDE if d.percorso not in FOGLIE]
    assert not inesistenti, inesistenti
    passi = {p.id for p in PASSI}
    assert {d.passo for d in catalogo.DOMANDE} <= passi
    # una domanda per campo in ogni modulo; le parti di un campo composto (il notaio: testo o struttura) una per
    # parte. Un campo chiesto da due moduli sta nello stesso passo (luogo e data di nascita: colonne della
    # tabella dei soggetti e, se vuoti, campi dei «Dettagli di un soggetto»)
    doppi = [d.percorso for d in catalogo.DOMANDE
             if sum((x.percorso, x.parte, x.id_modulo) == (d.percorso, d.parte, d.id_modulo)
                    for x in catalogo.DOMANDE) > 1]
    assert not doppi, doppi
    in_due_passi = [d.percorso for d in catalogo.DOMANDE
                    if any(x.percorso == d.percorso and x.passo != d.passo for x in catalogo.DOMANDE)]
    assert not in_due_passi, in_due_passi
    from cer_docs.model.pratica import Notaio
    from cer_docs.services import motore_passi

    for d in catalogo.DOMANDE:
        if d.parte is not None:
            assert d.percorso.rpartition(".")[0] in motore_passi.COMPOSTI, d.percorso
            assert d.parte in Notaio.model_fields or d.percorso.endswith("." + d.parte), (d.percorso, d.parte)
    for chiave in catalogo.GESTITI:
        base = chiave.removesuffix("[]")
        assert any(f == base or f.startswith(base + ".") or f.startswith(base + "[]") for f in FOGLIE), chiave


def test_ogni_passo_con_campi_ha_domande_con_etichetta():
    for p in PASSI:
        if p.id in ("riepilogo", "documenti"):
            continue
        domande = catalogo.domande_del_passo(p.id)
        assert domande, p.id
        assert all(d.etichetta and d.etichetta[0].isupper() for d in domande), p.id


def test_il_motore_legge_per_percorso():
    p = load_pratica(CAMPIONI / "pratica-esempio.yaml")
    assert catalogo.leggi(p, "comunita.sede.comune") == p.comunita.sede.comune
    cup = catalogo.leggi(p, "configurazioni[].impianti[].contributo_pnrr.cup", (0, 1))
    assert cup == p.configurazioni[0].impianti[1].contributo_pnrr.cup and cup
    assert catalogo.leggi(p, "configurazioni[].impianti[].contributo_pnrr.cup", (0, 0)) is None
    assert catalogo.leggi(p, "soggetti[].nome", (99,)) is None
    assert isinstance(catalogo.leggi(p, "comunita.atto_costitutivo.data_prevista"), (dt.date, type(None)))
