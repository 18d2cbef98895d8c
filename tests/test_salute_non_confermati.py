"""Salute del codice: un parametro ``non_confermato`` produce al massimo un avviso.

Il vincolo sta nel costruttore del ``Rilievo`` (``rules/base.py``): un rilievo che poggia su un
parametro da confermare — citato con ``rif()`` o dichiarato in ``parametri`` — non può essere un
errore e dice che cosa confermare e su quale fonte. Qui lo si verifica (1) sul costruttore, (2) su
tutti i rilievi che il sistema produce: scenari delle regole, pratiche d'esempio a date diverse,
fatture di prova e registro spese, (3) sul codice: una funzione che legge il valore di un parametro
non confermato e può dare un errore deve citarlo.

Se qualcuno toglie il declassamento dal costruttore, o scrive un rilievo che poggia su un parametro
non confermato senza citarlo, questi test falliscono.
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from cer_docs.model import load_pratica, parse_data
from cer_docs.model.pnrr import AccordoConcessione, Fattura, Fornitore, Pagamento, Spesa
from cer_docs.pnrr.fatture import AttesiFattura, verifica_fattura
from cer_docs.pnrr.spese import registro_spese
from cer_docs.rules import DataNonCoperta, verifica
from cer_docs.rules.base import Rilievo, _testo_da_confermare, leggi, parametro, rif, tutti_i_parametri
from scenari_comuni import BASE, applica, casi

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "cer_docs"
DATE = [dt.date(2024, 6, 1), dt.date(2025, 7, 1), dt.date(2026, 2, 19), dt.date(2026, 2, 20), dt.date(2026, 12, 2)]


def _incerti(r: Rilievo) -> list[str]:
    return [c for c in r.parametri if _testo_da_confermare(c)]


# ----------------------------------------------------------------------------- 1. il costruttore

def test_un_errore_su_un_parametro_non_confermato_diventa_un_avviso_che_dice_cosa_confermare():
    pid = "pnrr_entrata_esercizio_limite_gse"
    assert parametro(pid).non_confermato
    r = Rilievo(codice="PROVA", gravita="errore", oggetto="x", messaggio="Impianto oltre il limite.",
                riferimento=rif(pid, dt.date(2026, 12, 2)))
    assert r.gravita == "avviso" and r.declassato
    assert r.parametri == [f"{pid}@2026-02-20"]
    # per il promotore: in italiano piano, senza l'id del parametro; l'id resta in ``r.parametri``
    assert r.messaggio.startswith("Impianto oltre il limite. Da confermare: il limite per l'entrata in esercizio")
    assert pid not in r.messaggio and "parametro" not in r.messaggio
    assert "Verifica su: pagina GSE PNRR Facility CACER" in r.messaggio and "https://" in r.messaggio
    assert r.da_confermare and r.da_confermare[0] in r.messaggio
    assert isinstance(r.riferimento, str) and type(r.riferimento) is str


def test_il_parametro_si_puo_dichiarare_anche_senza_rif():
    r = Rilievo(codice="PROVA", gravita="errore", oggetto="x", messaggio="m", riferimento="testo libero",
                parametri=["formato_cabina_primaria"])
    assert r.gravita == "avviso" and "Da confermare: il formato del codice della cabina primaria" in r.messaggio
    assert r.parametri == ["formato_cabina_primaria"]


def test_un_parametro_confermato_lascia_l_errore():
    r = Rilievo(codice="PROVA", gravita="errore", oggetto="x", messaggio="m",
                riferimento=rif("impianto_potenza_massima_kw", dt.date(2026, 1, 1)))
    assert r.gravita == "errore" and not r.declassato and r.da_confermare == [] and r.messaggio == "m"


def test_la_conferma_segue_la_voce_in_vigore_alla_data():
    """pnrr_termini_realizzazione: voci anteriori al DL 19/2026 da confermare, la voce del DL confermata."""
    prima = Rilievo(codice="P", gravita="errore", oggetto="x", messaggio="m",
                    riferimento=rif("pnrr_termini_realizzazione", dt.date(2026, 2, 19)))
    dopo = Rilievo(codice="P", gravita="errore", oggetto="x", messaggio="m",
                   riferimento=rif("pnrr_termini_realizzazione", dt.date(2026, 2, 20)))
    assert (prima.gravita, dopo.gravita) == ("avviso", "errore")
    assert leggi("pnrr_termini_realizzazione", dt.date(2026, 2, 19)).non_confermato
    assert not leggi("pnrr_termini_realizzazione", dt.date(2026, 2, 20)).non_confermato


def test_concatenare_i_riferimenti_conserva_i_parametri():
    al = dt.date(2026, 12, 2)
    testo = rif("impianto_potenza_massima_kw", al) + "; " + rif("pnrr_entrata_esercizio_limite_gse", al)
    r = Rilievo(codice="P", gravita="errore", oggetto="x", messaggio="m", riferimento=testo)
    assert r.gravita == "avviso" and len(r.parametri) == 2


# ----------------------------------------------------------------------------- 2. tutti i rilievi prodotti

def _rilievi_scenari():
    for param_ in casi(ROOT / "tests" / "rules" / "scenari"):
        caso = param_.values[0]
        pratica = parse_data(applica(BASE, caso.get("modifiche", [])), caso["nome"])
        al = caso["al"] if isinstance(caso["al"], dt.date) else dt.date.fromisoformat(caso["al"])
        yield from verifica(pratica, al)


def _rilievi_esempi():
    for f in sorted((ROOT / "samples").glob("*.yaml")):
        p = load_pratica(f)
        for al in DATE:
            try:
                yield from verifica(p, al)
            except DataNonCoperta:
                continue


def _pratica_pnrr(accordo: bool):
    p = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    cp = p.configurazioni[0].impianti[1].contributo_pnrr
    if accordo:
        cp.accordo_concessione = AccordoConcessione(estremi="GSE/1", data_notifica=dt.date(2026, 5, 14),
                                                    termine_pagamenti=dt.date(2026, 6, 30))
    return p


def _rilievi_fatture():
    import pnrr.fatture_di_prova as F

    varianti = [F.completa(), F.senza_cup(), F.cup_altro_progetto(), F.senza_dicitura(), F.contanti(),
                F.prima_avvio_lavori(), F.progettazione_prima_avvio(), F.intestata_ad_altri(), F.schema_non_valida(),
                F.fpa12(), F.nota_credito(), F.fattura(data="2026-06-20", scadenza="2026-07-20"),
                F.fattura(data="2026-07-01", scadenza="2026-07-31"), F.pdf_fattura()]
    for accordo in (False, True):
        attesi = AttesiFattura.da_pratica(_pratica_pnrr(accordo), "fv-cantina")
        for al in DATE[1:]:
            for i, contenuto in enumerate(varianti):
                yield from verifica_fattura(contenuto, f"f{i}.xml", attesi, al).rilievi


def _rilievi_registro():
    fattura = Fattura(numero="1", data=dt.date(2026, 6, 20), fornitore=Fornitore(denominazione="Solare S.r.l."),
                      imponibile_euro=Decimal("1000.00"), totale_euro=Decimal("1220.00"), cup="J81B25000340006")
    spese = [Spesa(id="pagata-tardi", tipo_spesa="fornitura_installazione", fattura=fattura,
                   pagamenti=[Pagamento(data=dt.date(2026, 7, 20), importo_euro=Decimal("1220.00"))]),
             Spesa(id="non-pagata", tipo_spesa="fornitura_installazione",
                   fattura=fattura.model_copy(update={"numero": "2"}))]
    for accordo in (False, True):
        p = _pratica_pnrr(accordo)
        p.configurazioni[0].impianti[1].contributo_pnrr.spese = spese
        for al in DATE[1:]:
            yield from registro_spese(p, al).rilievi


def _rilievi_cabina():
    p = parse_data(applica(BASE, [{"imposta": "configurazioni[0].cabina_primaria", "valore": "CABINA-7"}]), "c")
    return [r for r in verifica(p, dt.date(2026, 12, 2)) if r.codice == "ID_CABINA"]


FONTI_DI_RILIEVI = {"scenari delle regole": _rilievi_scenari, "pratiche d'esempio": _rilievi_esempi,
                    "fatture di prova": _rilievi_fatture, "registro spese": _rilievi_registro,
                    "codice di cabina": _rilievi_cabina}


@pytest.mark.parametrize("nome", FONTI_DI_RILIEVI)
def test_nessun_errore_poggia_su_un_parametro_non_confermato(nome):
    rilievi = list(FONTI_DI_RILIEVI[nome]())
    assert rilievi, "nessun rilievo prodotto: il test non controllerebbe niente"
    for r in rilievi:
        incerti = _incerti(r)
        if not incerti:
            continue
        assert r.gravita != "errore", f"{r.codice} ({r.oggetto}) è un errore ma poggia su {incerti}: {r.messaggio}"
        assert "Da confermare: " in r.messaggio and "Verifica su:" in r.messaggio, (r.codice, r.messaggio)
        _leggibile_dal_promotore(r.messaggio)


def test_il_controllo_e_esercitato_da_casi_veri():
    """Alcuni rilievi del sistema chiederebbero un errore su regole non confermate: sono tutti declassati."""
    declassati = {r.codice for nome in FONTI_DI_RILIEVI for r in FONTI_DI_RILIEVI[nome]() if r.declassato}
    assert {"ID_CABINA", "PNRR_CUMULO_FONDI_UE"} <= declassati, declassati


def _leggibile_dal_promotore(messaggio: str) -> None:
    """Il messaggio di un rilievo non mostra id di parametri, file interni né frasi ripetute."""
    assert not any(pid in messaggio for pid in tutti_i_parametri()), messaggio
    assert not any(x in messaggio for x in ("dominio", ".md", "parametro ", "Regola da confermare")), messaggio
    frasi = [f.strip() for f in messaggio.replace(";", ".").split(". ") if len(f.strip()) > 20]
    assert len(frasi) == len(set(frasi)), f"frase ripetuta: {messaggio}"


@pytest.mark.parametrize("pid", sorted(tutti_i_parametri()))
def test_ogni_voce_da_confermare_ha_il_testo_per_il_promotore(pid):
    """Chi marca una voce ``non_confermato`` scrive anche ``nota_utente`` (nella voce o nel parametro): che
    cosa non è verificato, in italiano piano. La ``nota`` interna resta per ``cer-docs fonti``."""
    p = tutti_i_parametri()[pid]
    for v in p.voci:
        if not p.incerta(v):
            continue
        assert v.nota_utente or p.nota_utente, f"{pid}@{v.dal}: manca nota_utente"
        testo = p.da_confermare(v)
        assert testo.startswith("Da confermare: ") and "Verifica su: " in testo
        _leggibile_dal_promotore(testo)
        interno = p.da_confermare_interno(v)
        assert f"(parametro {pid})" in interno and (v.nota is None and p.nota is None or "Verifica su: " in interno)


def test_il_promotore_non_legge_le_note_interne_ma_cer_docs_fonti_si():
    from cer_docs.services import fonti

    (r,) = [x for x in fonti.elenco(dt.date(2026, 12, 2)) if x.id == "registrazione_termine_giorni"]
    assert "dominio.md" in r.da_confermare and "(parametro registrazione_termine_giorni)" in r.da_confermare
    assert r.da_confermare_utente.startswith("Da confermare: il termine di 30 giorni per registrare l'atto")
    assert "dominio" not in r.da_confermare_utente and "registrazione_termine_giorni" not in r.da_confermare_utente


def test_il_rilievo_sulle_nuove_regole_del_pnrr_non_ripete_la_nota():
    from cer_docs.pnrr.contributo import calcola_contributi

    p = load_pratica(ROOT / "samples" / "pratica-esempio.yaml")
    rilievi = [r for c in calcola_contributi(p, dt.date(2026, 12, 2)) for r in c.rilievi
               if r.codice == "PNRR_EROGAZIONI_NUOVE_REGOLE"]
    assert rilievi
    for r in rilievi:
        assert r.messaggio.count("Regole Operative del GSE") == 1, r.messaggio
        _leggibile_dal_promotore(r.messaggio)


# ----------------------------------------------------------------------------- 3. il codice

_LETTORI_VALORE = {"param"}                       # restituiscono il valore senza la sua fonte
_CITAZIONI = {"rif", "leggi", "in_vigore", "fonti_di", "_fonti"}


def _chiamata(nodo: ast.AST) -> str | None:
    if isinstance(nodo, ast.Call):
        f = nodo.func
        return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return None


def _pid(nodo: ast.Call) -> str | None:
    if nodo.args and isinstance(nodo.args[0], ast.Constant) and isinstance(nodo.args[0].value, str):
        return nodo.args[0].value
    return None


@pytest.mark.parametrize("cartella", ["rules", "pnrr"])
def test_chi_legge_un_parametro_non_confermato_e_puo_dare_un_errore_lo_cita(cartella):
    """In una funzione che può produrre un errore, il valore di un parametro non confermato letto con
    ``param()`` deve essere anche citato (``rif``/``leggi``/``parametri=``): altrimenti il rilievo non
    saprebbe di poggiare su una regola da confermare."""
    incerti = {pid for pid, p in tutti_i_parametri().items() if p.non_confermato or any(v.non_confermato for v in p.voci)}
    problemi = []
    for f in sorted((PKG / cartella).glob("*.py")):
        albero = ast.parse(f.read_text(encoding="utf-8"))
        for fn in (n for n in ast.walk(albero) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            testi = {n.value for n in ast.walk(fn) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
            if "errore" not in testi:
                continue
            letti, citati = set(), set()
            for n in ast.walk(fn):
                nome = _chiamata(n)
                if nome in _LETTORI_VALORE and (pid := _pid(n)):
                    letti.add(pid)
                elif nome in _CITAZIONI and (pid := _pid(n)):
                    citati.add(pid)
                elif isinstance(n, ast.keyword) and n.arg == "parametri":
                    citati |= {c.value for c in ast.walk(n.value) if isinstance(c, ast.Constant)}
            for pid in sorted((letti & incerti) - citati):
                problemi.append(f"{f.relative_to(ROOT)}:{fn.lineno} {fn.name}() legge {pid} (non confermato) "
                                "senza citarlo")
    assert not problemi, "\n".join(problemi)


def test_un_parametro_dichiarato_che_non_esiste_e_un_errore_di_chi_scrive_la_regola():
    from cer_docs.rules.base import ParametroNonDefinito

    with pytest.raises(ParametroNonDefinito):
        Rilievo(codice="P", gravita="errore", oggetto="x", messaggio="m", riferimento="r", parametri=["non_esiste"])
