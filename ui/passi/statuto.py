"""Passo 7: statuto e riparto (fondatori, organi, ripartizione dei benefici, eccedenza, recesso)."""

from __future__ import annotations

import streamlit as st

from cer_docs.italiano import percentuale
from cer_docs.services import procedura as proc
from ui import campi
from ui import componenti as ui


def mostra(lavoro: ui.Lavoro) -> None:
    p = lavoro.pratica
    if p.comunita is None:
        st.info("Lo statuto è quello della comunità (CER): questa pratica non ne ha una. Per un gruppo di "
                "autoconsumatori o un autoconsumatore a distanza passa al riepilogo.", icon=":material/info:")
        return
    v = proc.valori_statuto(p)
    nomi = proc.etichette_soggetti(p)
    k = lavoro.chiave
    with st.container():  # niente st.form: ogni campo arriva subito e resta in bozza
        campi.sezione("Fondatori e organi")
        valori = {
            "fondatori": campi.scelte("Soci fondatori", nomi, v["fondatori"], k("st-fondatori"),
                                      segnaposto="Scegli i fondatori"),
        }
        c1, c2 = st.columns(2)
        valori["presidente"] = campi.scelta("Presidente (legale rappresentante)", nomi, v["presidente"],
                                            k("st-presidente"), vuoto="Non ancora scelto", where=c1)
        valori["revisore"] = campi.scelta("Revisore", nomi, v["revisore"], k("st-revisore"), vuoto="Nessuno",
                                          where=c2)
        valori["consiglio_direttivo"] = campi.scelte("Consiglio direttivo", nomi, v["consiglio_direttivo"],
                                                     k("st-consiglio"), segnaposto="Scegli i consiglieri")

        campi.sezione("Ripartizione dei benefici")
        somma = (f" Somma delle quote salvate: {percentuale(proc.totale_riparto(v))}."
                 if v["riparto_spese_gestione"] is not None else "")
        st.caption("Percentuali del beneficio entro la soglia: la somma deve essere 100 %." + somma)
        c1, c2, c3, c4 = st.columns(4)
        for colonna, voce in zip((c1, c2, c3, c4), proc.ETICHETTE_RIPARTO):
            valori[f"riparto_{voce}"] = campi.numero_testo(f"{ui.maiuscola(proc.ETICHETTE_RIPARTO[voce])} (%)",
                                                           v[f"riparto_{voce}"], k(f"st-riparto-{voce}"),
                                                           segnaposto="0", where=colonna)
        valori["soggetto_delegato_riparto"] = campi.scelta(
            "Chi ripartisce i benefici", {"comunita": "La comunità stessa", **nomi}, v["soggetto_delegato_riparto"],
            k("st-delegato"))
        valori["destinazione_eccedenza"] = campi.scelte(
            "Destinazione della quota eccedentaria", proc.ETICHETTE_DESTINAZIONE, v["destinazione_eccedenza"],
            k("st-eccedenza"),
            aiuto="Il beneficio oltre la soglia va ai consumatori diversi dalle imprese o a finalità sociali.")

        campi.sezione("Recesso")
        c1, c2 = st.columns(2)
        valori["recesso_preavviso_mesi"] = campi.numero("Preavviso (mesi)", v["recesso_preavviso_mesi"],
                                                        k("st-preavviso"), intero=True, where=c1)
        valori["recesso_efficacia"] = campi.scelta("Efficacia del recesso", proc.ETICHETTE_EFFICACIA,
                                                   v["recesso_efficacia"], k("st-efficacia"), vuoto="Scegli",
                                                   where=c2)
        st.caption("Restituzione del contributo PNRR da parte del produttore che recede (se c'è un contributo): "
                   "lo statuto la riduce in proporzione al periodo di vincolo ancora da trascorrere e non supera mai "
                   "il contributo ricevuto; dopo il vincolo non è dovuto nulla.")
        c1, c2, c3 = st.columns(3)
        valori["pnrr_entro_anni"] = campi.numero("Entro quanti anni", v["pnrr_entro_anni"], k("st-pnrr-anni"),
                                                 intero=True, where=c1)
        valori["pnrr_quota_entro"] = campi.numero_testo("Quota da restituire entro (%)", v["pnrr_quota_entro"],
                                                        k("st-pnrr-entro"), where=c2)
        valori["pnrr_quota_dopo"] = campi.numero_testo("Quota da restituire dopo (%)", v["pnrr_quota_dopo"],
                                                       k("st-pnrr-dopo"), where=c3)

        campi.sezione("Altre clausole")
        c1, c2, c3 = st.columns(3)
        valori["quota_associativa_euro"] = campi.numero_testo("Quota associativa (€)", v["quota_associativa_euro"],
                                                              k("st-quota"), decimali=2, segnaposto="10,00",
                                                              where=c1)
        valori["durata"] = campi.testo("Durata", v["durata"], k("st-durata"), segnaposto="illimitata", where=c2)
        esercizi = dict(proc.ETICHETTE_ESERCIZIO)
        if v["esercizio_sociale"] and v["esercizio_sociale"] not in esercizi:
            esercizi[v["esercizio_sociale"]] = v["esercizio_sociale"]  # un valore scritto a mano nel file resta
        valori["esercizio_sociale"] = campi.scelta("Esercizio sociale", esercizi, v["esercizio_sociale"],
                                                   k("st-esercizio"), vuoto="Scegli", where=c3)
        c1, c2 = st.columns(2)
        valori["patrimonio_iniziale_euro"] = campi.numero_testo(
            "Patrimonio iniziale (€)", v["patrimonio_iniziale_euro"], k("st-patrimonio"), decimali=2,
            segnaposto="15.000,00", where=c1)
        valori["spese_costituzione_euro"] = campi.numero_testo(
            "Spese di costituzione stimate (€)", v["spese_costituzione_euro"], k("st-spese"), decimali=2,
            segnaposto="2.500,00", where=c2)
        st.caption("Il patrimonio serve per la personalità giuridica (fondo patrimoniale di garanzia "
                   "dell'associazione riconosciuta, fondo di dotazione della fondazione); le spese di "
                   "costituzione vanno indicate nell'atto della cooperativa.")
        inviato = st.button("Salva e continua", key=f"salva-statuto-{lavoro.versione}", type="primary", icon=":material/save:")
    if inviato:
        ui.applica_passo(lavoro, "statuto", lambda: proc.applica_statuto(p, valori, ui.oggi()), "statuto e riparto")
