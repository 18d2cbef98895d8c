"""Simulazione economica: energia condivisa ora per ora, incentivi, chi riceve cosa; ipotesi a confronto.

Pagina sottile: tutte le cifre vengono da ``cer_docs.services.economia``; qui si scelgono le opzioni e
si mostrano tabelle e grafici (gli stessi Altair del rapporto PDF).
"""

from __future__ import annotations

from decimal import Decimal

import streamlit as st

from cer_docs.italiano import importo, numero, percentuale, plurale
from cer_docs.services import economia
from ui import componenti as ui

CHIAVE_RISULTATI = "_simulazione_risultati"


def _richiesta(anno: int, orizzonte: int, prezzi, misure, pvgis=None, **ipotesi) -> economia.Richiesta:  # noqa: ANN001
    return economia.Richiesta(anno=anno, orizzonte_anni=orizzonte,
                              prezzi=prezzi.getvalue() if prezzi is not None else None,
                              misure=misure.getvalue() if misure is not None else None,
                              pvgis={pvgis[0]: pvgis[1].getvalue()} if pvgis else None, **ipotesi)


def _calcola(chiave: tuple, pratica, richiesta: economia.Richiesta):  # noqa: ANN001, ANN202
    """Una simulazione per combinazione di scelte, tenuta nella sessione (le ipotesi non la ricalcolano)."""
    cache = st.session_state.setdefault(CHIAVE_RISULTATI, {})
    if chiave not in cache:
        if len(cache) > 8:
            cache.clear()
        cache[chiave] = economia.simulazione(pratica, richiesta)
    return cache[chiave]


def _sintesi(sim) -> None:  # noqa: ANN001
    t = sim.totali()
    m = st.columns(4)
    m[0].metric("Energia condivisa", f"{numero(t['energia_condivisa_kwh'], 0)} kWh")
    m[1].metric("Beneficio netto all'anno", importo(t["beneficio_netto_euro"]))
    m[2].metric(f"In {plurale(sim.orizzonte_anni, 'anno', 'anni')}", importo(t["beneficio_orizzonte_euro"]),
                help="Valori dell'anno simulato ripetuti, senza attualizzazione, dopo i corrispettivi una tantum.")
    quota = (100 * t["energia_condivisa_kwh"] / t["energia_immessa_kwh"]) if t["energia_immessa_kwh"] else 0
    m[3].metric("Condivisa su immessa", percentuale(quota, 1))
    righe = [("Tariffa premio", t["tariffa_premio_euro"]), ("Valorizzazione (TIAD)", t["valorizzazione_euro"]),
             ("Corrispettivi annui al GSE", -t["corrispettivi_gse_euro"]), ("Beneficio netto", t["beneficio_netto_euro"]),
             ("di cui quota eccedentaria", t["quota_eccedentaria_euro"])]
    st.dataframe([{"Voce": v, "All'anno": importo(x), f"In {sim.orizzonte_anni} anni": importo(x * sim.orizzonte_anni)}
                  for v, x in righe], hide_index=True, width="stretch")


def _somma_serie(sim, campo: str) -> list[dict]:  # noqa: ANN001
    d = sim.as_dict()["configurazioni"]
    out = [dict(r) for r in d[0][campo]]
    for c in d[1:]:
        for acc, r in zip(out, c[campo]):
            for k in ("produzione_kwh", "consumo_kwh", "condivisa_kwh"):
                acc[k] += r[k]
    return out


def _energia(sim) -> None:  # noqa: ANN001
    st.subheader("Mese per mese")
    grafico = economia.grafici.mensile(_somma_serie(sim, "mensile"))
    st.altair_chart(grafico, width="stretch", height=economia.grafici.altezza_pagina(grafico, 110))
    st.subheader("Il giorno tipo di ogni stagione")
    st.altair_chart(economia.grafici.giorno_tipo(_somma_serie(sim, "giorno_tipo"), larghezza=125), width="content")
    for c in sim.configurazioni:
        st.markdown(f"**{ui.md(c.denominazione)}** ({c.tipo})")
        st.dataframe([{"Impianto": i.denominazione, "kW": numero(i.potenza_kw), "Fascia": i.fascia,
                       "F": numero(i.fattore_f, 2), "Prodotta kWh": numero(i.energia_prodotta_kwh, 0),
                       "Immessa kWh": numero(i.energia_immessa_kwh, 0),
                       "Condivisa kWh": numero(i.energia_condivisa_kwh, 0),
                       "Tariffa media €/MWh": numero(i.tariffa_media_euro_mwh, 1) if i.incentivato else "—",
                       "Tariffa premio": importo(i.tariffa_premio_euro)} for i in c.impianti],
                     hide_index=True, width="stretch")


def _benefici(sim) -> None:  # noqa: ANN001
    d = sim.as_dict()
    st.subheader("Chi riceve cosa")
    grafico = economia.grafici.benefici_membri(d["membri"])
    st.altair_chart(grafico, width="stretch", height=economia.grafici.altezza_pagina(grafico))
    membri = sim.membri()
    categorie = [k for k in economia.ETICHETTE_CATEGORIE if any(k in m.categorie for m in membri)]
    righe = [{"Membro": m.nome, "Prelievo condiviso kWh": numero(m.prelievo_condiviso_kwh, 0),
              "Immissione condivisa kWh": numero(m.immissione_condivisa_kwh, 0),
              **{economia.ETICHETTE_CATEGORIE[k]: importo(m.categorie[k]) if k in m.categorie else "—"
                 for k in categorie},
              "Beneficio": importo(m.beneficio_euro)} for m in membri]
    for c in sim.configurazioni:
        for k, v in c.comunita_euro.items():
            if v:
                righe.append({"Membro": f"Comunità – {economia.ETICHETTE_CATEGORIE.get(k, k)}",
                              "Prelievo condiviso kWh": "—", "Immissione condivisa kWh": "—",
                              **{economia.ETICHETTE_CATEGORIE[x]: "—" for x in categorie}, "Beneficio": importo(v)})
    st.dataframe(righe, hide_index=True, width="stretch")
    st.caption("Le quote sommano al centesimo al beneficio netto (metodo dei resti maggiori). Consumatori: in "
               "proporzione al prelievo nelle ore di condivisione; produttori: alla loro immissione nelle stesse ore.")
    st.subheader("Per categoria del regolamento")
    grafico = economia.grafici.categorie({k: float(v) for k, v in sim.categorie().items()})
    st.altair_chart(grafico, width="stretch", height=economia.grafici.altezza_pagina(grafico))


def _ipotesi(codice: str, versione: int, pratica, base, scelte: dict) -> None:  # noqa: ANN001
    st.write("Cambia il riparto, aggiungi un impianto o delle famiglie: l'effetto compare accanto alla pratica "
             "com'è. La pratica non viene modificata.")
    rb = pratica.comunita.riparto_benefici if pratica.comunita and pratica.comunita.riparto_benefici else None
    conf = 0
    if len(pratica.configurazioni) > 1:
        conf = st.selectbox("Configurazione a cui aggiungere impianto e famiglie", range(len(pratica.configurazioni)),
                            format_func=lambda i: pratica.configurazioni[i].denominazione or pratica.configurazioni[i].id,
                            key="sim_conf")
    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown("**Riparto**")
        perc = {}
        for cat in economia.CATEGORIE:
            perc[cat] = st.number_input(f"{economia.ETICHETTE_CATEGORIE[cat]} %", 0, 100,
                                        int(getattr(rb, cat)) if rb else (100 if cat == "consumatori" else 0),
                                        key=f"sim_rip_{cat}")
        somma = sum(perc.values())
        if somma != 100:
            st.warning(f"Le percentuali sommano a {somma}: devono fare 100.")
    with c2:
        st.markdown("**Un impianto in più**")
        kw = st.number_input("Potenza (kW)", 0.0, 1000.0, 0.0, step=10.0, key="sim_kw")
        fonte = st.selectbox("Fonte", ["fotovoltaico", "eolico", "idroelettrico", "biogas"], key="sim_fonte")
        contributo = st.slider("Contributo in conto capitale (% del costo di riferimento)", 0, 40, 0, key="sim_contr")
    with c3:
        st.markdown("**Famiglie in più**")
        famiglie = st.number_input("Numero di famiglie", 0, 500, 0, step=5, key="sim_famiglie")
        consumo = st.number_input("Consumo annuo di ciascuna (kWh, 0 = famiglia media ARERA)", 0, 20000, 0, step=100,
                                  key="sim_consumo")
    if not st.button("Confronta", type="primary", key="sim_confronta", disabled=somma != 100):
        return
    riparto = {k: Decimal(v) for k, v in perc.items()}
    ipotesi = {"riparto": riparto, "famiglie_aggiunte": int(famiglie),
               "consumo_famiglia_kwh": float(consumo) or None, "configurazione_ipotesi": int(conf),
               "impianti_aggiunti": [economia.ImpiantoIpotetico(potenza_kw=kw, fonte=fonte, configurazione=int(conf),
                                                                 contributo_pnrr_pct=contributo)]
               if kw > 0 else []}
    nome = []
    if kw > 0:
        nome.append(f"+{numero(kw)} kW")
    if famiglie:
        nome.append(f"+{famiglie} famiglie")
    if not rb or any(Decimal(v) != getattr(rb, k) for k, v in perc.items()):
        nome.append("riparto " + "/".join(str(perc[c]) for c in economia.CATEGORIE))
    nome_variante = "Ipotesi: " + (", ".join(nome) or "nessun cambiamento")
    richiesta = _richiesta(**scelte, **ipotesi)
    chiave = (codice, versione, tuple(sorted((k, str(v)) for k, v in scelte.items())), repr(ipotesi))
    try:
        variante = _calcola(chiave, pratica, richiesta)
    except economia.ErroreEconomia as e:
        st.error(str(e))
        return
    a, b = st.columns(2)
    for col, titolo, s in ((a, "Pratica attuale", base), (b, nome_variante, variante)):
        with col:
            st.markdown(f"#### {ui.md(titolo)}")
            t = s.totali()
            st.metric("Energia condivisa", f"{numero(t['energia_condivisa_kwh'], 0)} kWh")
            st.metric("Beneficio netto all'anno", importo(t["beneficio_netto_euro"]),
                      delta=None if s is base else importo(t["beneficio_netto_euro"] - base.beneficio_netto_euro))
            st.dataframe([{"Membro": m.nome, "Beneficio": importo(m.beneficio_euro)} for m in s.membri()],
                         hide_index=True, width="stretch", key=f"sim_tab_{titolo[:10]}")
    righe = economia.confronto(base, variante, nome_variante)
    st.altair_chart(economia.grafici.confronto(righe), width="content")
    st.dataframe([{"Voce": a["voce"], "Pratica attuale": numero(a["valore"], 2), nome_variante: numero(b["valore"], 2),
                   "Differenza": numero(b["valore"] - a["valore"], 2)} for a, b in zip(righe[::2], righe[1::2])],
                 hide_index=True, width="stretch", key="sim_tab_confronto")


def _sensibilita(pratica, scelte: dict) -> None:  # noqa: ANN001
    st.write("La tariffa premio ha una parte variabile che scende quando il prezzo zonale sale. Qui la simulazione "
             "si ripete con tutti i prezzi orari moltiplicati per un fattore.")
    if not st.button("Calcola la sensibilità al prezzo", key="sim_sens"):
        return
    try:
        righe = economia.sensibilita(pratica, _richiesta(**scelte))
    except economia.ErroreEconomia as e:
        st.error(str(e))
        return
    grafico = economia.grafici.sensibilita(righe)
    st.altair_chart(grafico, width="stretch", height=economia.grafici.altezza_pagina(grafico, 110))
    st.dataframe([{"Fattore": numero(r["fattore"], 2), "Prezzo medio €/MWh": numero(r["prezzo_medio_euro_mwh"], 1),
                   "Tariffa premio": importo(r["tariffa_premio_euro"]), "Valorizzazione": importo(r["valorizzazione_euro"]),
                   "Quota eccedentaria": importo(r["quota_eccedentaria_euro"]),
                   "Beneficio netto": importo(r["beneficio_netto_euro"])} for r in righe],
                 hide_index=True, width="stretch", key="sim_tab_sens")


def corpo() -> None:
    st.title("Simulazione economica")
    st.caption("Energia condivisa ora per ora, tariffa premio, valorizzazione, quota eccedentaria e corrispettivi "
               "GSE, e quanto riceve ogni membro secondo il regolamento. È una stima: ipotesi e fonti sono elencate.")
    lavoro = ui.scegli_pratica("sim_pratica")
    if lavoro is None:
        ui.nessuna_pratica("simulare energia condivisa e benefici")
        return
    pratica = lavoro.pratica
    oggi = ui.oggi()
    with st.expander("Scelte della simulazione", expanded=False, icon=":material/tune:"):
        c1, c2 = st.columns(2)
        anno = c1.number_input("Anno", 2024, 2050, oggi.year, key="sim_anno")
        durata = economia.durata_tariffa(int(anno))
        orizzonte = c2.slider("Orizzonte (anni)", 1, 30, durata, key="sim_orizzonte",
                              help=f"La tariffa premio dura {durata} anni per ogni impianto.")
        prezzi = st.file_uploader("Scenario di prezzo (CSV con inizio, prezzo_euro_mwh); vuoto = prezzi zonali forniti",
                                  type=["csv"], key="sim_prezzi")
        misure = st.file_uploader("Misure del distributore (CSV con punto, tipo, inizio, kwh); vuoto = stime",
                                  type=["csv"], key="sim_misure")
        impianti = [(imp.id, imp.denominazione or imp.id) for _p, _c, imp in pratica.impianti()]
        c3, c4 = st.columns([1, 2])
        impianto_pvgis = c3.selectbox("Impianto", [i for i, _d in impianti], format_func=dict(impianti).get,
                                      key="sim_pvgis_imp") if impianti else None
        file_pvgis = c4.file_uploader("Dati orari PVGIS dell'impianto (CSV scaricato da PVGIS); vuoto = stima",
                                      type=["csv", "json"], key="sim_pvgis")
    pvgis = (impianto_pvgis, file_pvgis) if impianto_pvgis and file_pvgis is not None else None
    scelte = {"anno": int(anno), "orizzonte": int(orizzonte), "prezzi": prezzi, "misure": misure, "pvgis": pvgis}
    chiave = (lavoro.codice, lavoro.versione, int(anno), int(orizzonte),
              prezzi.file_id if prezzi is not None else None, misure.file_id if misure is not None else None,
              (impianto_pvgis, file_pvgis.file_id) if pvgis else None)
    try:
        with st.spinner("Simulazione ora per ora…"):
            sim = _calcola(chiave, pratica, _richiesta(**scelte))
    except economia.ErroreEconomia as e:
        st.error(str(e))
        return
    st.caption(("Misure del distributore, " if sim.misurato else f"Anno {sim.anno}, profili e produzione stimati, ")
               + f"{numero(sim.ore)} ore. {sim.prezzi[0].upper()}{sim.prezzi[1:]} "
               f"(media {numero(sim.prezzo_medio_euro_mwh, 1)} €/MWh).")
    for a in sim.avvisi:
        st.warning(a)
    _sintesi(sim)
    t1, t2, t3, t6, t4, t5 = st.tabs(["Energia", "Benefici", "Ipotesi a confronto", "Prezzo dell'energia",
                                      "Ipotesi e fonti", "Rapporto PDF"])
    with t1:
        _energia(sim)
    with t2:
        _benefici(sim)
    with t3:
        _ipotesi(lavoro.codice, lavoro.versione, pratica, sim, scelte)
    with t6:
        _sensibilita(pratica, scelte)
    with t4:
        for i in sim.ipotesi:
            st.markdown(f"- {ui.md(i)}")
        st.markdown(f"**Produzione fotovoltaica:** {ui.md(economia.DESCRIZIONE_METODO)}")
        st.dataframe([{"Parametro": f["descrizione"], "Fonte": f["riferimento"],
                       "Da confermare": "sì" if f["non_confermato"] else "", "Nota": f["nota"] or ""}
                      for f in sim.fonti], hide_index=True, width="stretch")
    with t5:
        st.write("Il rapporto per una delibera o un'assemblea: sintesi, grafici, chi riceve cosa, sensibilità al "
                 "prezzo dell'energia, ipotesi e fonti.")
        st.download_button("Scarica il rapporto PDF", type="primary", icon=":material/picture_as_pdf:",
                           data=lambda: economia.rapporto_pdf(pratica, _richiesta(**scelte), oggi, sim),
                           file_name=f"simulazione-{lavoro.codice}-{sim.anno}.pdf", mime="application/pdf",
                           key="sim_pdf")


ui.esegui(corpo)
