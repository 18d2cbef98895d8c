"""Ammissibilità degli impianti alla tariffa premio (TIP) e al contributo di valorizzazione."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from cer_docs import italiano

from .base import Rilievo, cita, param, rif
from .contesto import Contesto

AMBITO = "impianti"


def _r(codice, gravita, oggetto, messaggio, riferimento) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,
                   riferimento=riferimento, ambito=AMBITO)


def _d(d) -> str:
    return italiano.data_lunga(d)


def e_preesistente(imp, al) -> bool:
    """Impianto entrato in esercizio prima del 16/12/2021 (o dichiarato esistente)."""
    soglia = param("impianto_data_minima_entrata_esercizio", al)
    if imp.data_entrata_esercizio is not None:
        return imp.data_entrata_esercizio < soglia
    return imp.intervento == "esistente"


def regole_impianti(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    al = ctx.al
    pmax = Decimal(str(param("impianto_potenza_massima_kw", al)))
    data_min = param("impianto_data_minima_entrata_esercizio", al)
    rinnovabili = set(param("fonti_rinnovabili", al))
    dm414 = param("dm414_entrata_in_vigore", al)
    costituzione = ctx.data_costituzione

    for ci, conf in enumerate(p.configurazioni):
        totale = sum((i.potenza_kw for i in conf.impianti), Decimal(0))
        preesistente_kw = Decimal(0)
        for ii, imp in enumerate(conf.impianti):
            path = f"configurazioni[{ci}].impianti[{ii}]"
            nome = f"«{imp.denominazione or imp.id}»"
            if imp.fonte not in rinnovabili:
                yield _r("IMP_NON_RINNOVABILE", "errore", f"{path}.fonte",
                         f"L'impianto {nome} non è alimentato da fonte rinnovabile: non può far parte della "
                         "configurazione.", rif("fonti_rinnovabili", al))
            if imp.potenza_kw > pmax:
                yield _r("IMP_POTENZA_MASSIMA", "avviso", f"{path}.potenza_kw",
                         f"L'impianto {nome} ha {imp.potenza_kw} kW, oltre il limite di {pmax} kW per la tariffa "
                         "premio: riceverà solo il contributo di valorizzazione dell'energia autoconsumata.",
                         rif("impianto_potenza_massima_kw", al))
            if e_preesistente(imp, al):
                preesistente_kw += imp.potenza_kw
                quando = (f"il {_d(imp.data_entrata_esercizio)}" if imp.data_entrata_esercizio
                          else "prima del 16/12/2021")
                yield _r("IMP_PREESISTENTE", "avviso", f"{path}.data_entrata_esercizio",
                         f"L'impianto {nome} è entrato in esercizio {quando}, prima del {_d(data_min)}: può "
                         "entrare nella configurazione ma riceve solo il contributo di valorizzazione, non la "
                         "tariffa premio.", rif("impianto_data_minima_entrata_esercizio", al))
            elif imp.data_entrata_esercizio is not None:
                es = imp.data_entrata_esercizio
                if conf.tipo == "CER" and costituzione is not None and es < costituzione:
                    yield _r("IMP_PRIMA_COSTITUZIONE", "avviso", f"{path}.data_entrata_esercizio",
                             f"L'impianto {nome} è entrato in esercizio il {_d(es)}, prima della costituzione della "
                             f"CER (data certa {_d(costituzione)}): riceve il contributo di valorizzazione ma non la "
                             "tariffa premio. Per i prossimi impianti, costituisci la CER prima dell'entrata in esercizio.",
                             cita(("ro-2025", "§1.2.1"), ("ro-2024", "§1.2.2")))
                elif conf.tipo == "CER" and costituzione is None and p.comunita is not None:
                    yield _r("IMP_COSTITUZIONE_IGNOTA", "avviso", f"{path}.data_entrata_esercizio",
                             f"L'impianto {nome} è già in esercizio ({_d(es)}) ma la CER non ha ancora una data certa "
                             "di costituzione: per la tariffa premio l'impianto deve entrare in esercizio dopo la "
                             "costituzione.", cita(("ro-2025", "§1.2.1")))
                if es < dm414:
                    yield _r("IMP_PRIMA_DM414", "info", f"{path}.data_entrata_esercizio",
                             f"L'impianto {nome} è entrato in esercizio prima del {_d(dm414)}: per la tariffa "
                             "premio serve documentazione firmata prima dell'entrata in esercizio, con firma di "
                             "data certa, che provi che era destinato alla comunità.", rif("dm414_entrata_in_vigore", al))
            if imp.potenza_obbligo_kw > 0:
                if imp.potenza_obbligo_kw >= imp.potenza_kw:
                    yield _r("IMP_POTENZA_OBBLIGO", "avviso", f"{path}.potenza_obbligo_kw",
                             f"Tutta la potenza dell'impianto {nome} serve a rispettare l'obbligo di integrazione "
                             "delle rinnovabili nei nuovi edifici: non riceve tariffa premio.",
                             cita(("dlgs-199-2021", "art. 26 c. 6"), ("ro-2025", "§1.2.1")))
                else:
                    yield _r("IMP_POTENZA_OBBLIGO", "info", f"{path}.potenza_obbligo_kw",
                             f"Per l'impianto {nome} la tariffa premio spetta solo alla potenza oltre l'obbligo "
                             f"({imp.potenza_kw - imp.potenza_obbligo_kw} kW su {imp.potenza_kw}).",
                             cita(("dlgs-199-2021", "art. 26 c. 6"), ("ro-2025", "§1.2.1")))
            if imp.altri_incentivi:
                ssp = any("scambio" in a.lower() or a.lower() == "ssp" for a in imp.altri_incentivi)
                yield _r("IMP_ALTRI_INCENTIVI", "avviso", f"{path}.altri_incentivi",
                         f"L'impianto {nome} "
                         + ("è in Scambio sul Posto" if ssp else f"riceve altri incentivi ({', '.join(imp.altri_incentivi)})")
                         + ": non può avere la tariffa premio finché non vi rinuncia.",
                         cita(("ro-2024", "§1.2.2"), ("dm-414-2023", "art. 3")))
            if imp.fonte == "fotovoltaico" and not imp.componenti_nuovi:
                yield _r("IMP_COMPONENTI", "avviso", f"{path}.componenti_nuovi",
                         f"L'impianto fotovoltaico {nome} usa componenti non nuovi: per la tariffa premio i "
                         "componenti fotovoltaici devono essere di nuova costruzione.", cita(("ro-2024", "§1.2.2")))
            if imp.data_entrata_esercizio and imp.data_entrata_esercizio <= al and not imp.censimp:
                yield _r("IMP_CENSIMP", "avviso", f"{path}.censimp",
                         f"L'impianto {nome} è in esercizio ma manca il codice CENSIMP di Terna GAUDÌ: "
                         "registralo su GAUDÌ prima della richiesta al GSE.", cita(("ro-2024", "§2.1")))
        if conf.tipo == "CER" and totale > 0 and preesistente_kw > 0:
            quota_max = Decimal(str(param("impianti_preesistenti_quota_massima_pct", al)))
            quota = preesistente_kw * 100 / totale
            if quota > quota_max:
                yield _r("IMP_PREESISTENTI_QUOTA", "errore", f"configurazioni[{ci}].impianti",
                         f"Gli impianti preesistenti valgono {preesistente_kw} kW su {totale} kW "
                         f"({italiano.percentuale(quota, 1)}), oltre il {italiano.percentuale(quota_max)} della potenza della comunità: "
                         "riduci gli impianti preesistenti o aggiungi nuova potenza.",
                         rif("impianti_preesistenti_quota_massima_pct", al))
