"""Contesto della forma giuridica: i valori e i flag che statuto e atto costitutivo chiedono per
ciascuna forma (cooperativa, ente del Terzo settore, impresa sociale, associazione riconosciuta,
fondazione) e per la forma dell'atto (notaio, primi organi, patrimonio, recesso con contributo PNRR).

Le proprietà di legge delle forme si leggono da ``rules.forme_giuridiche`` (parametri datati);
qui si preparano solo le parole. ``integra_forma_ente`` completa il contesto della comunità.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Pratica, Soggetto
from cer_docs.model.vocabolario import FORME_GIURIDICHE, FORME_SOCIETARIE, REGISTRI_ENTE
from cer_docs.rules.base import param, rif
from cer_docs.rules.forme_giuridiche import FormaGiuridica, forma_giuridica, regole_cooperativa

from ..motore import lacuna
from . import parti
from .comuni import elenco_parole, numero_e_lettere, percentuale_con_articoli

SPAZIO_FISSO = "\u00a0"
_NOTAIO_TESTO = re.compile(r"^(.+?),\s*notaio\s+in\s+(.+)$", re.I)

# acronimi che un ente del Terzo settore può usare solo dopo l'iscrizione nel RUNTS
_ACRONIMI_TERZO_SETTORE = re.compile(r"[\s,–-]*\b(E\.?\s?T\.?\s?S\.?|A\.?P\.?S\.?|O\.?D\.?V\.?)\s*$", re.I)


def denominazione_prima_del_runts(denominazione: str) -> str:
    """La denominazione senza l'acronimo ETS (o APS, ODV) in coda: prima dell'iscrizione nel RUNTS
    l'ente non può usarlo (art. 12 CTS)."""
    return _ACRONIMI_TERZO_SETTORE.sub("", denominazione).strip() or denominazione


def _pct(x: Any) -> dict[str, str]:
    return percentuale_con_articoli(Decimal(str(x)))


def _numero(n: int) -> dict[str, str]:
    return numero_e_lettere(int(n))


def _importo(x: Decimal | None) -> dict[str, str | None]:
    if x is None:
        return {"importo": None, "lettere": None}
    return {"importo": italiano.importo(Decimal(x), spazio=SPAZIO_FISSO), "lettere": italiano.importo_in_lettere(Decimal(x))}


def _notaio(pratica: Pratica) -> dict[str, Any]:
    """Il notaio come lo nomina l'atto: nome, sede e distretto una volta, repertorio e raccolta."""
    a = pratica.comunita.atto_costitutivo
    n = a.dati_notaio
    if n is not None and not (n.sede or n.cognome):
        # formato storico: «Federica Landini, notaio in Bibbiena»
        m = _NOTAIO_TESTO.match(n.nome or "")
        if m:
            n = n.model_copy(update={"nome": m.group(1).strip(), "sede": m.group(2).strip()})
    out = dict(parti.notaio(n))
    f = parti.femminile(n) if n is not None else None
    out["titolo"] = italiano.per_genere(f, "dottor", "dottoressa", "dottor/dottoressa")
    out["iscritto"] = italiano.per_genere(f, "iscritto", "iscritta", "iscritto/a")
    out["sottoscritto"] = italiano.per_genere(f, "sottoscritto", "sottoscritta", "sottoscritto/a")
    out["io_sottoscritto"] = "Io " + out["sottoscritto"]
    out["repertorio"] = out.get("repertorio") or a.repertorio
    return out


def _in_organo_persona_fisica(s: Soggetto) -> str:
    """Nelle società gli amministratori sono persone fisiche: per un socio ente siede la persona
    che l'ente indica (art. 2542 c.c.)."""
    if s.tipo == "persona_fisica":
        return f"{s.nome_completo} (codice fiscale {s.codice_fiscale or lacuna(parti.percorso(s) + '.codice_fiscale')})"
    r = s.rappresentante
    chi = r.nome_completo if r else None
    cf = r.codice_fiscale if r else None
    f = parti.femminile(r) if r is not None else None
    indicato = {True: "indicata", False: "indicato", None: "indicato/a"}[f]
    base = parti.percorso(s) + ".rappresentante"
    return (f"{chi or lacuna(base + '.nome')} (codice fiscale {cf or lacuna(base + '.codice_fiscale')}), "
            f"{indicato} dal socio {s.denominazione}")


def iscrizioni(fg: FormaGiuridica) -> dict[str, str | None]:
    """Le parole dell'atto sui registri dell'ente, dalla forma giuridica: ``registri`` («nel registro
    delle imprese e nell'Albo delle società cooperative»), ``registro_personalita`` (il registro la cui
    iscrizione dà la personalità senza riconoscimento: «nel registro delle imprese»), ``ai_fini``
    («ai fini del riconoscimento della personalità giuridica e dell'iscrizione nel registro delle
    persone giuridiche»; per la cooperativa nessun riconoscimento, solo le iscrizioni)."""
    if not fg.registri:
        return {"registri": None, "registro_personalita": None, "ai_fini": None}
    voci = [REGISTRI_ENTE[r] for r in fg.registri]
    nel = elenco_parole([v.con_articolo("in") for v in voci])
    fini = f"dell'iscrizione {nel}"
    if fg.riconoscimento:
        fini = f"del riconoscimento della personalità giuridica e {fini}"
    return {"registri": nel, "registro_personalita": voci[0].con_articolo("in") if fg.personalita_giuridica else None,
            "ai_fini": f"ai fini {fini}"}


def integra_statuto(pratica: Pratica, al: dt.date, valori: dict[str, Any], flag: dict[str, bool],
                    avvisi: list[str]) -> None:
    """Completa il contesto dello statuto (e quindi dell'atto, che lo allega) con ciò che dipende
    dalla forma giuridica."""
    c = pratica.comunita
    assert c is not None
    forma = c.forma_giuridica
    fg = forma_giuridica(forma, al)

    # --- proprietà di legge della forma (parametri datati)
    flag["personalita_giuridica"] = fg.personalita_giuridica
    flag["organo_controllo_obbligatorio"] = fg.organo_controllo_obbligatorio
    flag["organo_controllo_facoltativo"] = not fg.organo_controllo_obbligatorio
    flag["richiede_riconoscimento"] = fg.riconoscimento
    flag["personalita_con_iscrizione"] = fg.personalita_giuridica and not fg.riconoscimento
    flag["richiede_iscrizione"] = bool(fg.registri)
    flag["forma_richiede_notaio"] = fg.richiede_notaio
    valori["iscrizione"] = iscrizioni(fg)

    # --- denominazione: niente acronimo del Terzo settore prima dell'iscrizione
    if forma == "ets_associazione":
        nome = denominazione_prima_del_runts(c.denominazione)
        if nome != c.denominazione:
            avvisi.append("la denominazione contiene l'acronimo del Terzo settore: statuto e atto la riportano "
                          "senza, perché l'ente può usarlo solo dopo l'iscrizione nel RUNTS")
        ente = dict(valori["ente"])
        ente["denominazione"] = nome
        # anche la qualifica «del Terzo settore» è riservata agli enti iscritti (art. 12 c. 3 D.Lgs. 117/2017)
        ente["forma"] = FORME_GIURIDICHE[forma].prima_iscrizione or ente["forma"]
        if not c.sigla:
            ente["nome_breve"] = nome
        valori["ente"] = ente

    # --- cooperativa: regole S.r.l. o S.p.A., riserve, fondi mutualistici, esclusione
    n_soci = max(len(c.fondatori), len([m for m in pratica.membri if m.data_recesso is None]))
    regole = regole_cooperativa(n_soci, al)
    req = param("cooperativa_requisiti", al)
    flag["cooperativa_srl"] = forma == "cooperativa" and regole == "srl"
    flag["cooperativa_spa"] = forma == "cooperativa" and regole == "spa"
    valori["cooperativa"] = {
        "regole": FORME_SOCIETARIE["srl" if regole == "srl" else "spa"].nome,
        "riserva_legale": _pct(req["riserva_legale_pct"]),
        "fondi_mutualistici": _pct(req["fondi_mutualistici_pct"]),
        "opposizione_giorni": _numero(req["opposizione_esclusione_giorni"]),
        "soci_srl": _numero(req["srl_soci_massimi"]),
        "fonte": rif("cooperativa_requisiti", al),
    }

    # --- Terzo settore e impresa sociale: attività di interesse generale, limite al controllo pubblico
    lettere = param("attivita_interesse_generale_energia", al)
    valori["interesse_generale"] = {"lettera": lettere["cts_art_5"] if forma != "impresa_sociale"
                                    else lettere["impresa_sociale_art_2"]}
    flag["limite_controllo_pubblico"] = forma in ("ets_associazione", "impresa_sociale")

    # --- patrimonio per la personalità giuridica
    pm = fg.patrimonio_minimo
    flag["patrimonio_personalita"] = pm is not None and not pm.facoltativo
    flag["patrimonio_ets_facoltativo"] = pm is not None and pm.facoltativo
    pat = c.patrimonio_iniziale_euro
    flag["patrimonio_indicato"] = pat is not None
    valori["patrimonio"] = {
        **_importo(pat),
        "nome_fondo": pm.nome_fondo if pm else None,
        "minimo": italiano.importo(pm.importo, spazio=SPAZIO_FISSO) if pm else None,
        "minimo_lettere": italiano.importo_in_lettere(pm.importo) if pm else None,
    }
    if flag["patrimonio_personalita"] and pat is None:
        avvisi.append(f"la pratica non indica il {pm.nome_fondo} (comunita.patrimonio_iniziale_euro): l'atto "
                      "lo lascia da completare")
    # --- spese di costituzione (art. 2521 n. 12 c.c. per la cooperativa)
    valori["spese_costituzione"] = _importo(c.spese_costituzione_euro)

    # --- cittadinanza dei soci fondatori della cooperativa (art. 2521 n. 1 c.c.)
    if forma == "cooperativa":
        fondatori = []
        soggetti = [s for s in (pratica.soggetto(x) for x in c.fondatori) if s is not None]
        for f, s in zip(valori["fondatori"], soggetti):
            if s.tipo == "persona_fisica":
                f = dict(f, identificazione=f"{f['identificazione']}, di cittadinanza "
                                                   f"{s.cittadinanza or lacuna(parti.percorso(s) + '.cittadinanza')}")
            fondatori.append(f)
        valori["fondatori"] = fondatori

    # --- primi organi coerenti con lo statuto: il consiglio nominato nell'atto elegge il Presidente
    cons_ids = list(c.organi.consiglio_direttivo)
    flag["presidente_nel_consiglio"] = bool(c.organi.presidente and c.organi.presidente in cons_ids)
    if c.organi.presidente and cons_ids and not flag["presidente_nel_consiglio"]:
        avvisi.append("il presidente indicato non è tra i componenti del primo consiglio: lo statuto vuole che "
                      "il Presidente sia eletto dal consiglio tra i propri componenti")
    if forma in ("cooperativa", "impresa_sociale"):
        valori["consiglieri"] = [_in_organo_persona_fisica(s) for s in
                                 (pratica.soggetto(x) for x in cons_ids) if s is not None]

    # --- recesso anticipato di chi ha ricevuto il contributo PNRR: proporzionato e limitato
    rec = c.recesso
    rp = rec.restituzione_contributo_pnrr if rec else None
    anni = int(param("pnrr_esercizio_minimo_anni", al))
    prevista = bool(rp and rp.quota_entro is not None)
    flag["restituzione_pnrr_prevista"] = prevista
    flag["restituzione_pnrr_dopo"] = False
    valori["restituzione_pnrr"] = {
        "anni": _numero(anni) if prevista else None,
        "quota_entro": _pct(min(Decimal(rp.quota_entro), Decimal(100))) if prevista else None,
        "quota_dopo": None,
    }
    if prevista and rp.entro_anni and int(rp.entro_anni) != anni:
        avvisi.append(f"la pratica indica un vincolo di {rp.entro_anni} anni per il corrispettivo di recesso: lo "
                      f"statuto lo commisura al periodo di esercizio minimo che il contributo PNRR impone ({anni} anni)")
    if prevista and rp.quota_dopo:
        avvisi.append("la pratica prevede un corrispettivo anche dopo il periodo di vincolo del contributo PNRR: "
                      "non sarebbe proporzionato all'obbligo residuo, e lo statuto non lo riporta")


def integra_atto(pratica: Pratica, al: dt.date, valori: dict[str, Any], flag: dict[str, bool],
                 avvisi: list[str]) -> None:
    """Completa il contesto dell'atto costitutivo: notaio, firme, titolo dell'articolo sul patrimonio."""
    c = pratica.comunita
    assert c is not None
    forma = c.forma_giuridica
    if forma == "associazione_riconosciuta":
        valori["atto"]["titolo_patrimonio"] = "Quote associative e fondo patrimoniale di garanzia"
    elif forma == "fondazione_partecipazione":
        valori["atto"]["titolo_patrimonio"] = "Fondo di dotazione"

    # --- notaio: nome, sede e distretto una volta sola, nella comparizione o nell'autentica
    valori["notaio"] = _notaio(pratica)
    notaio = c.atto_costitutivo.dati_notaio
    if notaio is not None and (notaio.nome or notaio.cognome) and parti.femminile(notaio) is None:
        avvisi.append("il sesso del notaio non è indicato (comunita.atto_costitutivo.dati_notaio.sesso): l'atto "
                      "scrive «dottor/dottoressa» e «iscritto/a»")
    firma_notaio = {"nome": "Il notaio", "qualifica": None}
    pubblico = c.atto_costitutivo.forma == "atto_pubblico"
    valori["firmatari_atto"] = list(valori["firmatari"]) + ([firma_notaio] if pubblico else [])
    valori["firmatari_notaio"] = [firma_notaio]

