"""Contesto della dichiarazione sostitutiva (una per dichiarante: referente, membri attivi,
produttori, beneficiari PNRR). Chi dichiara è accordato al suo genere («Il sottoscritto» / «La
sottoscritta»), la categoria e la classificazione ATECO vengono dai fatti derivati."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cer_docs import italiano
from cer_docs.model.pratica import Pratica, Soggetto
from cer_docs.model.vocabolario import DIMENSIONI_IMPRESA, RUOLI_MEMBRO, TIPI_SOGGETTO
from cer_docs.rules import fatti

from ..motore import Contesto, lacuna
from . import parti
from .comuni import comune, comune_prov, elenco_parole, impianto, luogo, origini_impianto, punti_per_soggetto
from .ente import FEMMINILI, base_pacchetto, origini_pacchetto
from .oggetti import beneficiario, impianti_pnrr
from .statuto import riferimento_configurazione
from .coerenza import integra_dsan


def _membri_attivi(pratica: Pratica, al: dt.date) -> dict[str, Any]:
    """soggetto → il primo membro attivo alla data con quel soggetto (una volta per generazione)."""
    def calcola() -> dict[str, Any]:
        out: dict[str, Any] = {}
        for m in fatti.membri_attivi(pratica, al):
            out.setdefault(m.soggetto, m)
        return out
    return comune(pratica, "membri_attivi_per_soggetto", al, calcola)


def contesto_dsan(pratica: Pratica, sid: str, al: dt.date) -> Contesto:
    valori, flag = base_pacchetto(pratica, al)
    avvisi: list[str] = []
    comunita = sid == "comunita"
    s: Soggetto | None = None if comunita else pratica.soggetto(sid)
    # chi firma e in che veste
    if comunita:
        rapp = valori["rappresentante_ente"]
        valori["dichiarante"] = {
            "identificazione": (f"{rapp['identificazione']}, nella qualità di legale rappresentante "
                                f"{valori['ente']['del']}, codice fiscale "
                                f"{pratica.comunita.codice_fiscale or lacuna('comunita.codice_fiscale')}")
                               if rapp["identificazione"] else None,
            "nome": pratica.comunita.denominazione,
        }
        firma = rapp["firma"]
        pres = pratica.soggetto(pratica.comunita.organi.presidente)
        f = parti.femminile(fatti.firmatario(pres)) if pres else None
    else:
        assert s is not None
        fir = fatti.firmatario(s)
        if s.tipo == "persona_fisica":
            ident = parti.identificazione(s)
        else:
            # chi firma per l'ente si identifica come nell'atto: nascita dai dati, o spazi da completare
            r = s.rappresentante
            base = parti.percorso(s)
            nascita = parti.nascita(parti.femminile(fir), r.nato_a if r else None, r.nato_il if r else None,
                                    f"{base}.rappresentante")
            ident = (f"{fir.nome or lacuna(base + '.rappresentante.nome')}, {nascita}, codice fiscale "
                     f"{fir.codice_fiscale or lacuna(base + '.rappresentante.codice_fiscale')}, nella qualità di "
                     f"{parti.carica(fir.carica)} {parti.denominazione(s)['del']}, con sede in "
                     f"{luogo(s.sede) or lacuna(base + '.sede.indirizzo')}, codice fiscale "
                     f"{s.codice_fiscale or lacuna(base + '.codice_fiscale')}")
        valori["dichiarante"] = {"identificazione": ident, "nome": s.nome_completo}
        n, q = parti.nome_firmatario(s)
        firma = {"nome": n, "qualifica": q}
        f = parti.femminile(fir)
        if s.luogo is not None and s.luogo.comune:
            valori["luogo_firma"] = s.luogo.comune
    valori["sottoscritto"] = parti.accordo(f)["Il_sottoscritto"]
    valori["genere_dichiarante"] = parti.accordo(f)
    valori["genere_soggetto"] = parti.accordo(parti.femminile_soggetto(s) if s is not None else True)
    # chi firma per un ente dichiara in terza persona ciò che riguarda l'ente («dichiara che la società
    # rappresentata è il produttore…»); la persona fisica dichiara di sé («di essere il produttore…»)
    flag["dsan_persona"] = s is not None and s.tipo == "persona_fisica"
    flag["dsan_ente"] = not flag["dsan_persona"]
    if comunita:
        c_art = valori["soggetto"]
        rapp_ente = {"il": c_art["il"], "Il": c_art["Il"], "intestatario": "intestataria", "del_nome": c_art["del"]}
    elif s is not None and s.tipo != "persona_fisica":
        rapp_ente = parti.ente_rappresentato(s)
    else:
        rapp_ente = {"il": None, "Il": None, "intestatario": None, "del_nome": None}
    valori["rappresentato"] = {k: rapp_ente[k] for k in ("il", "Il", "intestatario", "del_nome")}
    # il titolo della sezione: il nome del membro nella forma giuridica («associato», «socio»), accordato
    membro = valori["termini"]["membro"]
    valori["qualita_membro"] = (italiano.per_genere(f, membro, FEMMINILI.get(membro, membro))
                                if flag["dsan_persona"] else membro)
    valori["firmatari_dsan"] = [firma]

    # referente
    confs_ref = [c for c in pratica.configurazioni
                 if (comunita and c.referente.qualifica == "comunita") or (not comunita and c.referente.soggetto == sid
                                                                           and c.referente.qualifica != "comunita")]
    flag["dsan_referente"] = bool(confs_ref)
    valori["configurazioni_referente"] = [riferimento_configurazione(pratica, c) for c in confs_ref]
    dest = set(pratica.comunita.destinazione_eccedenza) if pratica.comunita else set()
    if not dest:
        dest = {"consumatori_non_imprese", "finalita_sociali"}
    flag["dsan_eccedenza_consumatori"] = "consumatori_non_imprese" in dest
    flag["dsan_eccedenza_sociali"] = "finalita_sociali" in dest

    # membro (solo se attivo alla data)
    membro = _membri_attivi(pratica, al).get(sid)
    flag["dsan_membro"] = membro is not None and s is not None
    # i requisiti d'impresa (PMI, ATECO, attività non principale) valgono per i membri di una CER;
    # nei gruppi di autoconsumatori possono partecipare anche le grandi imprese
    punti_sid = punti_per_soggetto(pratica).get(sid, [])
    in_cer = any(c.tipo == "CER" for c, _ in punti_sid) or pratica.comunita is not None
    flag["dsan_membro_impresa"] = flag["dsan_membro"] and in_cer and s is not None and s.tipo == "impresa"
    flag["dsan_membro_persona"] = flag["dsan_membro"] and s is not None and s.tipo == "persona_fisica"
    if s is not None:
        cls = fatti.classificazione_ateco(s, al)
        valori["membro"] = {
            "categoria": TIPI_SOGGETTO[s.tipo].nome,
            "dimensione": DIMENSIONI_IMPRESA[s.dimensione].nome if s.dimensione else None,
            "ateco": s.codice_ateco, "classificazione": f"ATECO {cls}",
            "ateco_esclusi": elenco_parole(fatti.codici_ateco_esclusi(s, al)),
            "comune": comune_prov(s.luogo),
            "ruolo": RUOLI_MEMBRO[membro.ruolo].nome if membro else None,
            "ente": valori["ente"]["denominazione"], "al_ente": valori["ente"]["al"],
        }
        if flag["dsan_membro_impresa"] and s.dimensione == "grande":
            avvisi.append(f"{s.nome_completo} è indicata come grande impresa: non può essere membro, "
                          "la dichiarazione va verificata")
    else:
        valori["membro"] = {"categoria": None, "dimensione": None, "ateco": None, "classificazione": None,
                            "ateco_esclusi": None, "comune": None, "ruolo": None, "ente": None, "al_ente": None}
    punti = [{"pod": pc.pod, **parti.punto(k, pc)} for k, pc in punti_sid]
    valori["punti_dichiarati"] = punti
    flag["dsan_punti"] = bool(punti) and flag["dsan_membro"]

    # produttore
    # i dati che mancano si nominano nell'avviso: gli impianti per il loro percorso nel file pratica
    origini = origini_pacchetto(pratica)
    if s is not None:
        base = parti.percorso(s)
        origini.update({"luogo_firma": parti.percorso_luogo(s), "membro.comune": parti.percorso_luogo(s),
                        "membro.ateco": f"{base}.codice_ateco", "membro.dimensione": f"{base}.dimensione"})
    propri = [(c, imp) for _, c, imp in pratica.impianti() if imp.produttore == sid]
    valori["impianti_dichiarati"] = [impianto(i, parti.percorso_impianto(c, i)) for c, i in propri]
    for k, (c, i) in enumerate(propri):
        origini.update(origini_impianto(f"impianti_dichiarati[{k}]", parti.percorso_impianto(c, i)))
    flag["dsan_produttore"] = bool(propri)
    flag["dsan_produttore_terzo"] = sid in fatti.produttori_terzi(pratica)

    # beneficiario PNRR
    pnrr = [(c, imp) for c, imp in impianti_pnrr(pratica) if beneficiario(imp) == sid]
    valori["impianti_pnrr_beneficiario"] = [impianto(i, parti.percorso_impianto(c, i)) for c, i in pnrr]
    for k, (c, i) in enumerate(pnrr):
        origini.update(origini_impianto(f"impianti_pnrr_beneficiario[{k}]", parti.percorso_impianto(c, i)))
    flag["dsan_pnrr"] = bool(pnrr)
    flag["dsan_pnrr_persona"] = flag["dsan_pnrr"] and s is not None and s.tipo == "persona_fisica"
    flag["dsan_pnrr_ente"] = flag["dsan_pnrr"] and not flag["dsan_pnrr_persona"]
    if not any(flag[k] for k in ("dsan_referente", "dsan_membro", "dsan_produttore", "dsan_pnrr")):
        avvisi.append(f"la dichiarazione di {valori['dichiarante']['nome']} non ha voci")
    integra_dsan(pratica, sid, valori, al)  # coerenza.py
    valori["fine"] = _fine_elenco(flag)
    return Contesto(valori=valori, flag=flag, avvisi=avvisi, origini=origini)


def _fine_elenco(flag: dict[str, bool]) -> dict[str, str]:
    """La punteggiatura dopo l'ultima voce di ciascuna clausola dell'elenco dichiarato: «;» tra le
    voci, «.» dopo l'ultima voce dell'intera dichiarazione, qualunque sezione la chiuda."""
    membro = ("punti" if flag["dsan_punti"] else "membro_impresa" if flag["dsan_membro_impresa"] else "membro_sede")
    ordine = [("referente", flag["dsan_referente"]), (membro, flag["dsan_membro"]),
              ("produttore", flag["dsan_produttore"]), ("pnrr_persona", flag["dsan_pnrr_persona"]),
              ("pnrr_ente", flag["dsan_pnrr_ente"])]
    presenti = [nome for nome, c in ordine if c]
    fine = {nome: ";" for nome, _ in ordine}
    fine.update({"punti": ";", "membro_impresa": ";", "membro_sede": ";"})
    if presenti:
        fine[presenti[-1]] = "."
    return fine
