"""Contesto dello statuto (e della copia per il GSE): ente, membri, organi, riparto, eccedenza,
recesso, categorie ammesse alla data, primi organi e fondatori che l'atto richiama."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Pratica
from cer_docs.model.vocabolario import TIPI_CONFIGURAZIONE
from cer_docs.rules.base import rif

from ..clausole import ErroreLibreria
from ..motore import LACUNA, Contesto, lacuna
from . import parti
from .comuni import SPAZIO_FISSO, categorie_plurali, durata_anni, elenco_parole, numero_e_lettere, p, \
    percentuale_con_articoli
from .ente import FORME, ente, organi, termini
from .forma_ente import integra_statuto


def _categorie_membri(al: dt.date, versione: str) -> tuple[list[str], list[str]]:
    """(categorie ammesse come membri, categorie ammesse al controllo) alla data ``al``."""
    ammessi = categorie_plurali(p("membri_categorie_ammesse", al))
    controllo_tipi = list(p("controllo_categorie_ammesse", al))
    controllo = categorie_plurali(controllo_tipi)
    if versione == "ro_2024" and p("controllo_associazioni_solo_riconosciute", al) and "associazione" not in controllo_tipi:
        controllo += categorie_plurali(["associazione_riconosciuta"])
    return ammessi, controllo


def _ateco(al: dt.date) -> dict[str, str]:
    codici = p("ateco_esclusi", al)
    return {f"classificazione_{k}": elenco_parole(list(v)) for k, v in codici.items()}


ORIGINI_STATUTO = {
    "spese_costituzione.importo": "comunita.spese_costituzione_euro",
    "spese_costituzione.lettere": "comunita.spese_costituzione_euro",
    "patrimonio.importo": "comunita.patrimonio_iniziale_euro",
    "patrimonio.lettere": "comunita.patrimonio_iniziale_euro",
    "quota.importo": "comunita.quota_associativa_euro",   # l'atto senza quota: «di euro __________»
}
"""Da dove vengono i campi dello statuto (e dell'atto) che possono mancare: ``Contesto.origini``."""


def contesto_statuto(pratica: Pratica, al: dt.date) -> Contesto:
    """Contesto dello statuto e della copia GSE."""
    c = pratica.comunita
    if c is None:
        raise ErroreLibreria("la pratica non ha una comunità (ente giuridico): statuto e atto non si generano")
    avvisi: list[str] = []
    forma = c.forma_giuridica
    versione = str(p("statuto_elementi_versione", al))

    valori: dict[str, Any] = {}
    flag: dict[str, bool] = {}

    # --- ente
    valori["ente"] = ente(pratica)
    flag["ha_sigla"] = bool(c.sigla and c.sigla != c.denominazione)
    flag["ha_pec"] = bool(c.pec)
    for f in FORME:
        flag[f"forma_{f}"] = forma == f
    flag["forma_associativa"] = forma in ("associazione_non_riconosciuta", "associazione_riconosciuta",
                                          "ets_associazione", "impresa_sociale")
    flag["forma_associazione"] = forma in ("associazione_non_riconosciuta", "associazione_riconosciuta",
                                           "ets_associazione")
    flag["ente_terzo_settore"] = forma in ("ets_associazione", "impresa_sociale")
    # personalità giuridica, organo di controllo, riconoscimento: parametri datati (rules.forme_giuridiche),
    # letti in forma_ente.integra_statuto
    flag["consiglio_indirizzo"] = forma == "fondazione_partecipazione"
    valori["termini"] = termini(forma)
    valori["organi"] = organi(forma)
    valori["spazio"] = LACUNA

    # --- elementi essenziali: versione e categorie
    valori["elementi"] = {"versione": versione, "fonte": rif("statuto_elementi_versione", al)}
    flag["elementi_ro_2025"] = versione == "ro_2025"
    flag["elementi_ro_2024"] = versione == "ro_2024"
    ammessi, controllo = _categorie_membri(al, versione)
    valori["categorie_membri"] = ammessi
    valori["categorie_controllo"] = controllo
    valori["ateco_esclusi"] = _ateco(al)
    quota_pmi = p("pmi_quota_enti_territoriali_pct", al)
    flag["regola_pmi_enti_territoriali"] = quota_pmi is not None
    valori["pmi_quota_enti_territoriali"] = percentuale_con_articoli(quota_pmi) if quota_pmi is not None else None
    flag["controllo_ambito_comunale"] = p("controllo_ambito_territoriale", al) == "comune"

    # --- durata ed esercizio
    flag["durata_illimitata"] = (c.durata or "illimitata").strip().lower() in ("illimitata", "indeterminata")
    valori["durata"] = c.durata
    durata_data = _data_iso(c.durata)
    if durata_data is not None:
        valori["durata"] = italiano.data_lunga(durata_data)
    valori["al_durata"] = italiano.con_data("al", durata_data) if durata_data else f"al {valori['durata'] or lacuna('comunita.durata')}"
    flag["esercizio_anno_solare"] = (c.esercizio_sociale or "anno_solare") == "anno_solare"
    valori["esercizio_sociale"] = c.esercizio_sociale

    # --- quote
    n_fond = len(c.fondatori)
    valori["numero_fondatori"] = numero_e_lettere(n_fond)
    flag["quota_definita"] = c.quota_associativa_euro is not None
    flag["quota_non_definita"] = not flag["quota_definita"]
    if c.quota_associativa_euro is not None:
        q = Decimal(c.quota_associativa_euro)
        tot = q * n_fond
        valori["quota"] = {
            "importo": italiano.importo(q, spazio=SPAZIO_FISSO), "lettere": italiano.importo_in_lettere(q),
            "totale": italiano.importo(tot, spazio=SPAZIO_FISSO), "totale_lettere": italiano.importo_in_lettere(tot),
        }
    else:
        valori["quota"] = {"importo": None, "lettere": None, "totale": None, "totale_lettere": None}

    # --- fondatori e firmatari
    fondatori, firmatari = [], []
    for sid in c.fondatori:
        s = pratica.soggetto(sid)
        if s is None:
            avvisi.append(f"il fondatore '{sid}' non è tra i soggetti della pratica")
            continue
        nome, qualifica = parti.nome_firmatario(s)
        fondatori.append({"nome": s.nome_completo, "identificazione": parti.identificazione(s),
                          "persona_fisica": s.tipo == "persona_fisica"})
        firmatari.append({"nome": nome, "qualifica": qualifica})
    valori["fondatori"] = fondatori
    valori["firmatari"] = firmatari
    flag["fondatori_presenti"] = bool(fondatori)
    if not fondatori:
        avvisi.append("la pratica non indica i fondatori (comunita.fondatori): l'atto costitutivo resta senza parti")
    if c.organi.presidente is None:
        avvisi.append("la pratica non indica il presidente (comunita.organi.presidente): l'atto non lo nomina")

    # --- primi organi
    pres = pratica.soggetto(c.organi.presidente)
    f_pres = parti.femminile(pres) if pres and pres.tipo == "persona_fisica" else False
    valori["presidente"] = {
        "nome": pres.nome_completo if pres else None,
        "identificazione": (f"{pres.nome_completo}, codice fiscale "
                            f"{pres.codice_fiscale or lacuna(parti.percorso(pres) + '.codice_fiscale')}"
                            if pres else None),
        "nominato": parti.accordo(f_pres)["nominato"],
    }
    flag["presidente_nominato"] = pres is not None
    consiglieri = [parti.nome_in_organo(s) for s in (pratica.soggetto(x) for x in c.organi.consiglio_direttivo) if s]
    valori["consiglieri"] = consiglieri
    valori["numero_consiglieri"] = numero_e_lettere(len(consiglieri))
    flag["consiglio_nominato"] = bool(consiglieri)
    rev = pratica.soggetto(c.organi.revisore)
    valori["revisore"] = {"identificazione": parti.nome_in_organo(rev) if rev else None}
    flag["revisore_nominato"] = rev is not None

    # --- soggetto delegato al riparto
    delegato = c.soggetto_delegato_riparto or "comunita"
    flag["delegato_comunita"] = delegato == "comunita"
    flag["delegato_soggetto"] = not flag["delegato_comunita"]
    ds = pratica.soggetto(delegato) if delegato != "comunita" else None
    valori["delegato"] = {"identificazione": parti.identificazione(ds, con_nascita_rappresentante=False) if ds else None,
                          "nome": ds.nome_completo if ds else None}

    # --- riparto dei benefici
    r = c.riparto_benefici
    flag["riparto_definito"] = r is not None
    flag["riparto_non_definito"] = r is None
    valori["riparto"] = {}
    for v in ("spese_gestione", "produttori", "consumatori", "fondo_sociale"):
        x = getattr(r, v) if r is not None else Decimal(0)
        flag[f"riparto_{v}"] = r is not None and Decimal(x) > 0
        valori["riparto"][v] = percentuale_con_articoli(x)
    if r is not None and r.totale() != 100:
        avvisi.append(f"le percentuali del riparto dei benefici sommano a {italiano.numero(r.totale())} e non a 100")

    # --- eccedenza
    dest = set(c.destinazione_eccedenza)
    flag["eccedenza_consumatori_non_imprese"] = "consumatori_non_imprese" in dest
    flag["eccedenza_finalita_sociali"] = "finalita_sociali" in dest
    if not dest:
        # lo statuto deve comunque dire dove va l'eccedenza: si riporta la regola per intero
        flag["eccedenza_consumatori_non_imprese"] = flag["eccedenza_finalita_sociali"] = True
        avvisi.append("la pratica non indica la destinazione dell'eccedenza: lo statuto riporta entrambe le "
                      "destinazioni ammesse (comunita.destinazione_eccedenza)")
    flag["eccedenza_entrambe"] = flag["eccedenza_consumatori_non_imprese"] and flag["eccedenza_finalita_sociali"]
    flag["eccedenza_solo_consumatori"] = flag["eccedenza_consumatori_non_imprese"] and not flag["eccedenza_finalita_sociali"]
    flag["eccedenza_solo_sociali"] = flag["eccedenza_finalita_sociali"] and not flag["eccedenza_consumatori_non_imprese"]

    # --- recesso
    rec = c.recesso
    mesi = rec.preavviso_mesi if rec and rec.preavviso_mesi else 0
    flag["recesso_preavviso"] = mesi > 0
    valori["recesso"] = {"preavviso": numero_e_lettere(mesi) if mesi else None,
                         "mesi": "mese" if mesi == 1 else "mesi"}
    flag["recesso_fine_esercizio"] = bool(rec and rec.efficacia == "fine_esercizio")
    flag["recesso_immediato"] = not flag["recesso_fine_esercizio"]
    flag["recesso_preavviso_fine_esercizio"] = flag["recesso_preavviso"] and flag["recesso_fine_esercizio"]
    flag["recesso_preavviso_immediato"] = flag["recesso_preavviso"] and flag["recesso_immediato"]
    rp = rec.restituzione_contributo_pnrr if rec else None
    flag["restituzione_pnrr_prevista"] = bool(rp and rp.entro_anni and rp.quota_entro is not None)
    flag["restituzione_pnrr_dopo"] = bool(flag["restituzione_pnrr_prevista"] and rp and rp.quota_dopo)
    valori["restituzione_pnrr"] = {
        "anni": numero_e_lettere(rp.entro_anni) if flag["restituzione_pnrr_prevista"] and rp and rp.entro_anni else None,
        "quota_entro": percentuale_con_articoli(rp.quota_entro) if flag["restituzione_pnrr_prevista"] and rp else None,
        "quota_dopo": percentuale_con_articoli(rp.quota_dopo) if flag["restituzione_pnrr_dopo"] and rp else None,
    }

    # --- configurazioni e impianti
    flag["pnrr_presente"] = any(imp.contributo_pnrr is not None for _, _, imp in pratica.impianti())
    flag["produttori_terzi_presenti"] = bool(pratica.produttori_terzi)
    flag["piu_configurazioni"] = len(pratica.configurazioni) > 1
    valori["configurazioni"] = [riferimento_configurazione(pratica, k) for k in pratica.configurazioni]

    # --- parametri con numeri di legge
    valori["termine_variazioni"] = numero_e_lettere(int(p("variazioni_configurazione_termine_giorni", al)))
    valori["referente_mandato"] = {"durata": durata_anni(int(p("referente_mandato_durata_anni", al)))}
    integra_statuto(pratica, al, valori, flag, avvisi)  # forma giuridica: forma_ente.py
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=ORIGINI_STATUTO)


def _data_iso(testo: str | None) -> dt.date | None:
    """La durata scritta come data («2080-12-31») diventa una data da scrivere in parole."""
    try:
        return dt.date.fromisoformat((testo or "").strip())
    except ValueError:
        return None


def riferimento_configurazione(pratica: Pratica, conf) -> dict[str, Any]:
    """Come i documenti nominano una configurazione: la denominazione, altrimenti un ordinale
    umano («configurazione n. 1 (cabina primaria AC001E00123)»), mai l'id del file."""
    n = pratica.configurazioni.index(conf) + 1
    ordinale = f"configurazione n. {n}"
    if conf.cabina_primaria:
        ordinale += f" (cabina primaria {conf.cabina_primaria})"
    out = {"numero": str(n), "riferimento": ordinale, "denominazione": conf.denominazione or ordinale,
           "cabina_primaria": conf.cabina_primaria}
    if conf.denominazione:
        out["la"] = nominata("configurazione", "f", conf.denominazione)
        out["il_gruppo"] = nominata(TIPI_CONFIGURAZIONE["AUC"].breve, "m", conf.denominazione)
        # il gruppo con il suo tipo giuridico, senza ripetere «gruppo» quando il nome lo contiene già
        tipo = TIPI_CONFIGURAZIONE["AUC"].nome
        out["il_gruppo"]["il_tipo"] = (f"il «{conf.denominazione}», {tipo}" if out["il_gruppo"]["nome"].startswith("«")
                                       else f"il {tipo} «{conf.denominazione}»")
    else:
        out["la"] = out["il_gruppo"] = italiano.forme_articolate(ordinale, "f") | {
            "nome": ordinale, "Nome": ordinale.capitalize(), "il_tipo": italiano.con_articolo(ordinale, "f")}
    return out


def nominata(sostantivo: str, genere: str, denominazione: str) -> dict[str, str]:
    """Una cosa che ha un nome proprio, con l'articolo: «la configurazione «Borgo Nord»», «della
    configurazione «Borgo Nord»». Se il nome comincia già con il sostantivo («Configurazione San
    Godenzo capoluogo», «Gruppo di autoconsumo Condominio Aurora») il sostantivo non si ripete:
    «la «Configurazione San Godenzo capoluogo»», «il «Gruppo di autoconsumo Condominio Aurora»».
    Chiavi: ``il``, ``Il``, ``del``, ``al``, ``dal``, ``nel``, ``sul``, ``nome`` (senza articolo),
    ``Nome`` (con la maiuscola, per i titoli)."""
    testa = sostantivo.split()[0].lower()
    if denominazione.split(maxsplit=1)[0].lower() == testa:
        nome = f"«{denominazione}»"
    else:
        nome = f"{sostantivo} «{denominazione}»"
    return {**italiano.forme_articolate(nome, genere), "nome": nome, "Nome": italiano.maiuscola_iniziale(nome)}
