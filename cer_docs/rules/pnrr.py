"""Ammissibilità al contributo PNRR (M2C2 Investimento 1.2) di impianto e richiedente."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator

from cer_docs.italiano import percentuale
from cer_docs.model.pnrr import AccordoConcessione

from . import identificativi as idf
from .base import Rilievo, TestoRiferimento, cita, in_vigore, param, rif
from .contesto import Contesto

AMBITO = "pnrr"
CENT = Decimal("0.01")


def _r(codice, gravita, oggetto, messaggio, riferimento, parametri=()) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,
                   riferimento=riferimento, ambito=AMBITO, parametri=list(parametri))


@dataclass(frozen=True)
class TerminePagamenti:
    """Entro quando vanno pagate (quietanzate) le spese PNRR alla data ``al``, e chi lo dice.

    Fino al 19/02/2026 è una data fissa delle Regole Operative 2024; dal 20/02/2026 (DL 19/2026,
    art. 27 c. 6) è quella dell'accordo di concessione, registrata nella pratica: se manca,
    ``data`` è ``None`` e ``manca_accordo`` è vero (si chiede di inserirla, mai un errore).
    """

    data: dt.date | None
    da_accordo: bool
    entro_entrata_esercizio: bool
    riferimento: TestoRiferimento
    dal: dt.date                        # da quando vale questa versione della regola
    fonti: list[str] = field(default_factory=list)
    accordo: str | None = None          # «accordo di concessione n. …» quando il termine viene dall'accordo

    @property
    def manca_accordo(self) -> bool:
        return self.da_accordo and self.data is None

    @property
    def fissato_da(self) -> str:
        """Per i messaggi: «fissato dall'accordo di concessione n. …» oppure «delle Regole Operative»."""
        if self.da_accordo:
            return f"fissato dall'{self.accordo or 'accordo di concessione'}"
        return f"previsto da {self.riferimento}"


PERCORSO_TERMINE_ACCORDO = "contributo_pnrr.accordo_concessione.termine_pagamenti"


def termine_pagamenti(accordo: AccordoConcessione | None, al: dt.date) -> TerminePagamenti | None:
    """Il termine per pagare le spese nella versione in vigore alla data ``al`` (None prima della regola)."""
    lettura = in_vigore("pnrr_termine_quietanze", al)
    if lettura is None:
        return None
    v = lettura.valore
    if v.get("da_accordo"):
        nome = accordo.nome if accordo is not None else None
        data = accordo.termine_pagamenti if accordo is not None else None
        riferimento = lettura.riferimento + (f"; {nome}" if data is not None and nome else "")
        return TerminePagamenti(data=data, da_accordo=True, entro_entrata_esercizio=bool(v.get("entro_entrata_esercizio")),
                                riferimento=riferimento, dal=lettura.dal, fonti=lettura.fonti, accordo=nome)
    return TerminePagamenti(data=v["termine"], da_accordo=False,
                            entro_entrata_esercizio=bool(v.get("entro_entrata_esercizio")),
                            riferimento=lettura.riferimento, dal=lettura.dal, fonti=lettura.fonti)


def messaggio_termine_mancante(termine: TerminePagamenti, cosa: str) -> str:
    """Il testo dell'avviso quando l'accordo di concessione non è registrato o non ha il termine dei pagamenti."""
    return (f"Dal {_d(termine.dal)} il termine per pagare le spese del contributo PNRR lo fissa l'accordo di concessione "
            f"firmato con il GSE, e la pratica non lo riporta: inseriscilo (estremi dell'accordo e termine dei "
            f"pagamenti, nel file pratica sotto contributo_pnrr.accordo_concessione) per controllare {cosa}. "
            "Fino ad allora questo controllo non si può fare.")


def _d(d) -> str:
    return d.strftime("%d/%m/%Y")


def _euro(x: Decimal) -> str:
    s = f"{x.quantize(CENT):,.2f}"
    return s.replace(",", "X").replace(".", ",").replace("X", ".") + " €"


def data_riferimento(contributo, al: dt.date) -> dt.date:
    """Le regole PNRR si applicano nella versione in vigore alla data della domanda (se c'è)."""
    return contributo.data_domanda or al


def costo_massimo_kw(potenza_kw: Decimal, al: dt.date) -> Decimal | None:
    for fascia in param("pnrr_costi_massimi", al):
        if potenza_kw <= Decimal(str(fascia["fino_a_kw"])):
            return Decimal(str(fascia["euro_kw"]))
    return None


def contributo_massimo(potenza_kw: Decimal, spesa: Decimal, al: dt.date,
                       altri_contributi: Decimal = Decimal(0)) -> Decimal | None:
    """Contributo massimo = quota% × min(spesa ammissibile, costo massimo × kW) − altri contributi in conto capitale."""
    costo = costo_massimo_kw(potenza_kw, al)
    if costo is None:
        return None
    quota = Decimal(str(param("pnrr_quota_massima_pct", al))) / 100
    base = min(spesa, costo * potenza_kw)
    return max(Decimal(0), (quota * base - altri_contributi)).quantize(CENT, rounding=ROUND_HALF_UP)


def fine_prima_dell_avvio(avvio: dt.date | None, fine: dt.date | None) -> str | None:
    """«la fine dei lavori (…) viene prima del loro avvio (…)», o None se le date non si contraddicono.
    Lo dicono con le stesse parole la regola ``PNRR_FINE_PRIMA_DELL_AVVIO`` e il modulo del contributo
    PNRR, che per questo non salva (``motore_passi``)."""
    if avvio is not None and fine is not None and fine < avvio:
        return f"la fine dei lavori ({_d(fine)}) viene prima del loro avvio ({_d(avvio)})"
    return None


def regole_pnrr(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    for path, conf, imp in p.impianti():
        cp = imp.contributo_pnrr
        if cp is None:
            continue
        base = f"{path}.contributo_pnrr"
        nome = f"«{imp.denominazione or imp.id}»"
        al = data_riferimento(cp, ctx.al)
        # potenza
        pmax = Decimal(str(param("impianto_potenza_massima_kw", al)))
        if imp.potenza_kw > pmax:
            yield _r("PNRR_POTENZA", "errore", f"{path}.potenza_kw",
                     f"L'impianto {nome} ha {imp.potenza_kw} kW: il contributo PNRR spetta solo a impianti fino a "
                     f"{pmax} kW. Riduci la potenza del progetto o rinuncia al contributo.",
                     rif("impianto_potenza_massima_kw", al))
        if imp.intervento not in param("pnrr_interventi_ammessi", al):
            yield _r("PNRR_INTERVENTO", "errore", f"{path}.intervento",
                     f"L'impianto {nome} è un impianto esistente: il contributo PNRR spetta solo a nuove "
                     "costruzioni e potenziamenti.", rif("pnrr_interventi_ammessi", al))
        # comune sotto soglia
        soglia = param("pnrr_soglia_popolazione", al)
        ub = imp.ubicazione
        if ub is None or ub.popolazione is None:
            yield _r("PNRR_POPOLAZIONE_IGNOTA", "avviso", f"{path}.ubicazione.popolazione",
                     f"Per l'impianto {nome} manca la popolazione del comune (dato ISTAT alla data della domanda): "
                     f"serve a verificare che sia sotto i {soglia:,} abitanti.".replace(",", "."),
                     rif("pnrr_soglia_popolazione", al))
        elif ub.popolazione >= soglia:
            yield _r("PNRR_POPOLAZIONE", "errore", f"{path}.ubicazione.popolazione",
                     f"L'impianto {nome} è a {ub.comune or 'un comune'} con {ub.popolazione:,} abitanti: alla data "
                     f"della domanda ({_d(al)}) il contributo PNRR spetta solo nei comuni con meno di {soglia:,} "
                     "abitanti.".replace(",", "."), rif("pnrr_soglia_popolazione", al))
        # CER costituita prima della domanda
        if cp.data_domanda is None:
            finestra = param("pnrr_finestra_domande", al)
            if al > finestra["chiusura"]:
                yield _r("PNRR_FINESTRA_CHIUSA", "info", f"{base}.data_domanda",
                         f"Il portale del GSE per le domande di contributo PNRR è chiuso dal {_d(finestra['chiusura'])} "
                         f"(finestra aperta dal {_d(finestra['apertura'])}): per {nome} non risulta una domanda, "
                         "quindi il contributo non si può più chiedere finché non si apre una nuova finestra. Se la "
                         "domanda era stata presentata, scrivi la sua data nel passo «Impianti».",
                         rif("pnrr_finestra_domande", al))
        if cp.data_domanda is not None:
            finestra = param("pnrr_finestra_domande", al)
            if not (finestra["apertura"] <= cp.data_domanda <= finestra["chiusura"]):
                yield _r("PNRR_FINESTRA", "errore", f"{base}.data_domanda",
                         f"La domanda di contributo risulta del {_d(cp.data_domanda)}, fuori dalla finestra del "
                         f"portale GSE ({_d(finestra['apertura'])} – {_d(finestra['chiusura'])}): verifica la data.",
                         rif("pnrr_finestra_domande", al))
            if conf.tipo == "CER":
                cost = ctx.data_costituzione
                if cost is None or cost > cp.data_domanda:
                    yield _r("PNRR_COSTITUZIONE", "errore", f"{base}.data_domanda",
                             f"La domanda di contributo per {nome} ({_d(cp.data_domanda)}) è "
                             + (f"anteriore alla costituzione della CER ({_d(cost)})" if cost else
                                "stata presentata senza che la CER abbia una data certa di costituzione")
                             + ": la CER deve essere già costituita quando si presenta la domanda.",
                             cita("gse-faq-pnrr-rich", ("ro-2025", "Parte II §1")))
            if cp.data_avvio_lavori is not None and cp.data_avvio_lavori <= cp.data_domanda:
                yield _r("PNRR_AVVIO_LAVORI", "errore", f"{base}.data_avvio_lavori",
                         f"I lavori dell'impianto {nome} risultano avviati il {_d(cp.data_avvio_lavori)}, non dopo "
                         f"la domanda ({_d(cp.data_domanda)}): il contributo spetta solo a lavori avviati dopo la "
                         "domanda. Sono ammesse prima solo le spese preparatorie (studi, progettazione).",
                         cita(("dm-414-2023", "art. 7"), ("ro-2025", "Parte II §1")))
        elif cp.data_avvio_lavori is not None:
            yield _r("PNRR_DOMANDA_DATA", "avviso", f"{base}.data_domanda",
                     f"Per l'impianto {nome} i lavori hanno una data di avvio ma manca la data della domanda di "
                     "contributo: inseriscila, i lavori devono partire dopo la domanda.", cita(("ro-2025", "Parte II §1")))
        if m := fine_prima_dell_avvio(cp.data_avvio_lavori, cp.data_fine_lavori):
            yield _r("PNRR_FINE_PRIMA_DELL_AVVIO", "errore", f"{base}.data_fine_lavori",
                     f"Per l'impianto {nome} {m}: correggi una delle due date nel passo «Impianti». Le due date "
                     "servono al GSE per verificare che i lavori siano partiti dopo la domanda e conclusi nei termini.",
                     cita(("dm-414-2023", "art. 7"), ("ro-2025", "Parte II §1")))
        # codici
        if cp.cup:
            esito = idf.cup(cp.cup, al)
            if esito:
                yield _r("ID_CUP", esito[0], f"{base}.cup", f"Impianto {nome}: {esito[1]}.", cita(("l-3-2003", "art. 11")))
        elif cp.data_concessione is not None:
            yield _r("PNRR_CUP_MANCANTE", "avviso", f"{base}.cup",
                     f"Il contributo per {nome} è concesso ma manca il CUP: inseriscilo, deve comparire su tutte le "
                     "fatture e i bonifici emessi dopo la sua assegnazione.", cita("gse-faq-cup", ("l-3-2003", "art. 11")))
        if cp.cig and (m := idf.cig(cp.cig, al)):
            yield _r("ID_CIG", "errore", f"{base}.cig", f"Impianto {nome}: {m}.", cita(("l-136-2010", "art. 3")))
        if cp.data_concessione and not cp.codice_progetto_gse:
            yield _r("PNRR_CODICE_PROGETTO", "avviso", f"{base}.codice_progetto_gse",
                     f"Manca il codice del progetto assegnato dal portale GSE per {nome}: va riportato su fatture e "
                     "bonifici.", cita("gse-faq-cup"))
        # importo
        if cp.spesa_ammissibile_euro is not None and cp.contributo_richiesto_euro is not None:
            massimo = contributo_massimo(imp.potenza_kw, cp.spesa_ammissibile_euro, al,
                                         cp.altri_contributi_euro or Decimal(0))
            if massimo is not None and cp.contributo_richiesto_euro > massimo:
                yield _r("PNRR_CONTRIBUTO_MASSIMO", "errore", f"{base}.contributo_richiesto_euro",
                         f"Il contributo richiesto per {nome} ({_euro(cp.contributo_richiesto_euro)}) supera il "
                         f"massimo ammissibile di {_euro(massimo)} ({percentuale(param('pnrr_quota_massima_pct', al))} della spesa "
                         "ammissibile entro il costo massimo di riferimento per kW, al netto di altri contributi): "
                         "riduci l'importo richiesto.", rif("pnrr_costi_massimi", al) + "; " + rif("pnrr_quota_massima_pct", al))
        yield from _accordo_concessione(ctx, base, nome, cp)
        yield from _cumulo_fondi_ue(ctx, base, nome, cp)


def _accordo_concessione(ctx: Contesto, base: str, nome: str, cp) -> Iterator[Rilievo]:
    """Dal DL 19/2026: della concessione servono la data di notifica (24 mesi per l'esercizio) e il termine
    dei pagamenti fissato dall'accordo. Se mancano si chiedono (avviso), senza inventarli."""
    regola = in_vigore("pnrr_termini_realizzazione", ctx.al)
    termine = termine_pagamenti(cp.accordo_concessione, ctx.al)
    if cp.data_concessione is None or regola is None or regola.valore.get("schema") != "accordo_concessione":
        return
    acc = cp.accordo_concessione
    manca = []
    if acc is None or acc.data_notifica is None:
        manca.append(f"la data di notifica dell'atto di concessione (da lì corrono i {regola.valore['entrata_esercizio_mesi']} "
                     "mesi per l'entrata in esercizio; finché manca si conta dalla data di concessione)")
    if termine is not None and termine.manca_accordo:
        manca.append("il termine per pagare le spese e il cronoprogramma di rendicontazione fissati dall'accordo")
    if manca:
        rifs = regola.riferimento
        if termine is not None and termine.manca_accordo:
            # stessa fonte (art. 27): il testo non si ripete, il parametro resta tra quelli su cui poggia
            testo = rifs if set(termine.fonti) <= set(regola.fonti) else f"{rifs}; {termine.riferimento}"
            rifs = TestoRiferimento(testo, rifs.parametri + termine.riferimento.parametri)
        yield _r("PNRR_ACCORDO_CONCESSIONE", "avviso", f"{base}.accordo_concessione",
                 f"Il contributo per {nome} è concesso: registra nella pratica " + " e ".join(manca) + ".", rifs)


def _cumulo_fondi_ue(ctx: Contesto, base: str, nome: str, cp) -> Iterator[Rilievo]:
    """Niente cumulo con altri fondi UE sulle stesse spese (DL 19/2026 art. 27 c. 5; prima le Regole Operative)."""
    divieto = in_vigore("pnrr_cumulo_fondi_ue", ctx.al)
    if divieto is None or not divieto.valore:
        return
    for i, f in enumerate(cp.altri_fondi_ue):
        oggetto = f"{base}.altri_fondi_ue[{i}]"
        if f.stesse_spese is True:
            yield _r("PNRR_CUMULO_FONDI_UE", "errore", oggetto,
                     f"Per l'impianto {nome} risulta anche il finanziamento «{f.programma}», a carico di fondi "
                     "dell'Unione europea, sulle stesse spese del contributo PNRR: il doppio finanziamento degli "
                     "stessi costi non è ammesso. Togli quelle spese da uno dei due finanziamenti (e dal registro "
                     "spese PNRR) o rinuncia a uno dei due.", divieto.riferimento)
        elif f.stesse_spese is None:
            yield _r("PNRR_CUMULO_FONDI_UE_DA_VERIFICARE", "avviso", f"{oggetto}.stesse_spese",
                     f"Per l'impianto {nome} è dichiarato anche il finanziamento «{f.programma}» con fondi "
                     "dell'Unione europea: verifica e indica se copre le stesse spese del contributo PNRR. Sulle "
                     "stesse spese i due finanziamenti non si cumulano; su spese diverse sì.", divieto.riferimento)
        else:
            yield _r("PNRR_ALTRO_FONDO_UE", "info", oggetto,
                     f"Per l'impianto {nome} il finanziamento «{f.programma}» copre spese diverse da quelle del "
                     "contributo PNRR: tieni separate fatture e pagamenti, la stessa spesa non va rendicontata due "
                     "volte.", divieto.riferimento)
