"""Configurazioni: perimetro della cabina primaria, composizione minima, POD, produttori terzi, referente."""

from __future__ import annotations

from typing import Iterator

from . import identificativi as idf
from .base import Rilievo, cita, param, rif
from cer_docs.model.vocabolario import QUALIFICHE_REFERENTE, TIPI_CONFIGURAZIONE

from .contesto import Contesto

AMBITO = "configurazioni"

_NOMI_TIPO = {k: (v.breve or v.nome) for k, v in TIPI_CONFIGURAZIONE.items()}
_QUALIFICHE = {k: v.etichetta[:1].lower() + v.etichetta[1:] for k, v in QUALIFICHE_REFERENTE.items()}


def _r(codice, gravita, oggetto, messaggio, riferimento) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,
                   riferimento=riferimento, ambito=AMBITO)


def regole_configurazioni(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    al = ctx.al
    pod_visti: dict[str, str] = {}
    if not p.configurazioni:
        yield _r("CONF_ASSENTE", "info", "configurazioni",
                 "La pratica non ha ancora configurazioni: aggiungi almeno una configurazione con i punti di "
                 "connessione (POD) e gli impianti sotto la stessa cabina primaria.", cita("gse-faq-cer"))
    for ci, conf in enumerate(p.configurazioni):
        base = f"configurazioni[{ci}]"
        nome_conf = conf.denominazione or conf.id
        if conf.tipo == "CER" and p.comunita is None:
            yield _r("CONF_CER_SENZA_COMUNITA", "errore", f"{base}.tipo",
                     f"La configurazione «{nome_conf}» è di tipo CER ma la pratica non descrive la comunità "
                     "(sezione 'comunita'): una CER deve essere un soggetto giuridico autonomo con statuto.",
                     cita(("dlgs-199-2021", "art. 31 c. 1"), "gse-faq-cer"))
        cp = idf.normalizza(conf.cabina_primaria)
        # --- perimetro della cabina primaria e unicità dei POD
        pods_conf: dict[str, int] = {}
        for pi, pc in enumerate(conf.punti_connessione):
            ppath = f"{base}.punti_connessione[{pi}]"
            pod = idf.normalizza(pc.pod)
            if pod in pods_conf:
                yield _r("CONF_POD_DUPLICATO", "errore", f"{ppath}.pod",
                         f"Il POD {pod} compare due volte nella configurazione «{nome_conf}»: togli il doppione.",
                         cita(("ro-2024", "§1.2.5")))
            elif pod in pod_visti:
                yield _r("CONF_POD_ALTRA_CONFIGURAZIONE", "errore", f"{ppath}.pod",
                         f"Il POD {pod} è già nella configurazione {pod_visti[pod]}: ogni punto di connessione può "
                         "far parte di una sola configurazione.", cita("gse-faq-cer"))
            pods_conf.setdefault(pod, pi)
            pod_visti.setdefault(pod, f"«{nome_conf}»")
            pcp = idf.normalizza(pc.cabina_primaria)
            # un POD senza cabina propria sta sotto quella dichiarata per la configurazione (verificata lì):
            # l'avviso serve solo se la cabina non c'è né sul POD né sulla configurazione
            if not pcp:
                if not cp:
                    yield _r("CONF_CABINA_POD_MANCANTE", "avviso", f"{ppath}.cabina_primaria",
                             f"Per il POD {pod} ({ctx.nome(pc.soggetto)}) manca la cabina primaria: verificala sulla "
                             "mappa interattiva del GSE cercando il POD o l'indirizzo.",
                             cita("gse-mappa-cabine", ("ro-2024", "§2.1")))
            elif cp and pcp != cp:
                yield _r("CONF_CABINA_DIVERSA", "errore", f"{ppath}.cabina_primaria",
                         f"Il POD {pod} ({ctx.nome(pc.soggetto)}) è sotto la cabina primaria {pcp}, mentre la "
                         f"configurazione «{nome_conf}» è sulla cabina {cp}: tutti i punti di connessione di una "
                         "configurazione devono stare sotto la stessa cabina primaria. Sposta il POD in una "
                         "configurazione della cabina giusta o correggi il codice dopo averlo verificato sulla mappa GSE.",
                         cita(("dlgs-199-2021", "art. 31 c. 2 lett. a"), ("ro-2024", "§2.1"), "gse-mappa-cabine"))
            if pc.scambio_sul_posto:
                yield _r("CONF_SSP", "errore", f"{ppath}.scambio_sul_posto",
                         f"Il POD {pod} ({ctx.nome(pc.soggetto)}) ha lo Scambio sul Posto attivo: un punto in SSP "
                         "non può far parte della configurazione. Recedi dalla convenzione SSP prima della richiesta.",
                         cita("gse-faq-cer", "gse-faq-auc", "gse-faq-aid"))
            if conf.tipo == "CER" and pc.soggetto not in ctx.membri and pc.soggetto not in ctx.terzi:
                yield _r("CONF_POD_NON_MEMBRO", "errore", f"{ppath}.soggetto",
                         f"Il titolare del POD {pod}, {ctx.nome(pc.soggetto)}, non è membro della CER né produttore "
                         "terzo: aggiungilo ai membri o togli il POD dalla configurazione.",
                         cita(("ro-2024", "§1.2.5"), "gse-faq-cer"))

        # --- impianti: il POD deve essere nella configurazione
        pod_impianti = set()
        for ii, imp in enumerate(conf.impianti):
            pod = idf.normalizza(imp.pod)
            pod_impianti.add(pod)
            if pod not in pods_conf:
                yield _r("CONF_IMPIANTO_POD", "errore", f"{base}.impianti[{ii}].pod",
                         f"L'impianto «{imp.denominazione or imp.id}» è collegato al POD {pod}, che non è tra i "
                         f"punti di connessione della configurazione «{nome_conf}»: aggiungi il POD o correggi il codice.",
                         cita(("ro-2024", "§1.2.5")))
            elif conf.punti_connessione[pods_conf[pod]].soggetto != imp.produttore:
                pc = conf.punti_connessione[pods_conf[pod]]
                yield _r("CONF_IMPIANTO_TITOLARE", "avviso", f"{base}.impianti[{ii}].produttore",
                         f"L'impianto «{imp.denominazione or imp.id}» ha come produttore {ctx.nome(imp.produttore)}, "
                         f"ma il POD {pod} è intestato a {ctx.nome(pc.soggetto)}: verifica chi è il produttore "
                         "(titolare dell'officina elettrica) e chi il cliente finale.", cita(("ro-2024", "§1.1.2")))
            if conf.tipo == "CER" and imp.produttore not in ctx.membri and imp.produttore not in ctx.terzi:
                yield _r("CONF_PRODUTTORE_ESTRANEO", "errore", f"{base}.impianti[{ii}].produttore",
                         f"Il produttore dell'impianto «{imp.denominazione or imp.id}», "
                         f"{ctx.nome(imp.produttore)}, non è membro della CER né produttore terzo: la CER deve avere la "
                         "disponibilità e il controllo degli impianti. Aggiungilo ai membri o ai produttori terzi "
                         "con un accordo.", cita(("ro-2024", "§1.2.5"), "gse-faq-cer"))

        # --- composizione minima
        yield from _composizione(ctx, ci, conf, pods_conf, pod_impianti)
        # --- referente
        yield from _referente(ctx, ci, conf)

    yield from _produttori_terzi(ctx)


def _composizione(ctx, ci, conf, pods_conf, pod_impianti) -> Iterator[Rilievo]:
    minimo = param("composizione_minima", ctx.al)[conf.tipo]
    base = f"configurazioni[{ci}]"
    nome_conf = conf.denominazione or conf.id
    titolari = {pc.soggetto for pc in conf.punti_connessione}
    produttori = {imp.produttore for imp in conf.impianti}
    if conf.tipo == "CER":
        soggetti = {s for s in titolari | produttori if s in ctx.membri}
        chi = "membri della CER che vi partecipano come clienti finali o produttori"
    else:
        soggetti = titolari | produttori
        chi = "soggetti distinti (clienti finali o produttori)"
    n_prelievo = len(set(pods_conf) - pod_impianti)
    problemi = []
    if len(soggetti) < minimo["soggetti"]:
        problemi.append(f"servono almeno {minimo['soggetti']} {chi}, ce ne sono {len(soggetti)}")
    if len(pods_conf) < minimo["punti"]:
        problemi.append(f"servono almeno {minimo['punti']} punti di connessione distinti, ce ne sono {len(pods_conf)}")
    if not pod_impianti:
        problemi.append("manca un punto di connessione a cui è collegato un impianto")
    if n_prelievo < 1 and len(pods_conf) >= 1:
        problemi.append("manca un punto di connessione di solo prelievo (unità di consumo)")
    if problemi:
        yield _r("CONF_COMPOSIZIONE_MINIMA", "errore", base,
                 f"La configurazione «{nome_conf}» ({_NOMI_TIPO[conf.tipo]}) non ha la composizione minima: "
                 + "; ".join(problemi) + ".", rif("composizione_minima", ctx.al))


def _referente(ctx: Contesto, ci: int, conf) -> Iterator[Rilievo]:
    al = ctx.al
    ref = conf.referente
    base = f"configurazioni[{ci}].referente"
    ammesse = param("referente_qualifiche_ammesse", al)[conf.tipo]
    riferimento = rif("referente_qualifiche_ammesse", al)
    if ref.qualifica not in ammesse:
        elenco = "; ".join(_QUALIFICHE[q] for q in ammesse)
        yield _r("REF_QUALIFICA", "errore", f"{base}.qualifica",
                 f"Per una configurazione di tipo {conf.tipo} il referente non può essere "
                 f"«{_QUALIFICHE.get(ref.qualifica, ref.qualifica)}». Può essere: {elenco}.", riferimento)
        return
    s = ctx.soggetto(ref.soggetto)
    serve_soggetto = ref.qualifica not in ("comunita",)
    if serve_soggetto and s is None and ref.qualifica not in ("autoconsumatore",):
        yield _r("REF_SOGGETTO_MANCANTE", "errore", f"{base}.soggetto",
                 f"Il referente è «{_QUALIFICHE[ref.qualifica]}» ma non è indicato chi: scegli il soggetto.",
                 riferimento)
        return
    if ref.qualifica == "comunita":
        presidente = ctx.pratica.comunita.organi.presidente if ctx.pratica.comunita else None
        if ctx.pratica.comunita is not None and presidente is None:
            yield _r("REF_LEGALE_RAPPRESENTANTE", "avviso", "comunita.organi.presidente",
                     "Il referente è la comunità tramite il suo legale rappresentante, ma non è indicato il presidente: "
                     "completa gli organi.", cita(("ro-2024", "§1.2.6"), "gse-faq-cer"))
    if ref.qualifica == "membro" and s is not None:
        in_conf = any(pc.soggetto == s.id for pc in conf.punti_connessione) or any(
            i.produttore == s.id for i in conf.impianti)
        if conf.tipo == "CER" and s.id not in ctx.membri:
            yield _r("REF_NON_MEMBRO", "errore", f"{base}.soggetto",
                     f"{s.nome_completo} è indicato come referente «membro», ma non è membro della CER: aggiungilo "
                     "ai membri o scegli un altro referente.", riferimento)
        elif not in_conf:
            yield _r("REF_FUORI_CONFIGURAZIONE", "errore", f"{base}.soggetto",
                     f"{s.nome_completo} non è né cliente finale né produttore della configurazione «"
                     f"{conf.denominazione or conf.id}»: il referente «membro» deve farne parte.", riferimento)
    if ref.qualifica == "esco_uni_11352" and s is not None:
        produce = any(i.produttore == s.id for i in conf.impianti)
        if not s.esco_uni_11352 or not produce:
            yield _r("REF_ESCO", "errore", f"{base}.soggetto",
                     f"Un referente ESCO deve essere certificato UNI CEI 11352 e produttore di un impianto della "
                     f"configurazione: per {s.nome_completo} "
                     + ("manca la certificazione (campo esco_uni_11352)" if not s.esco_uni_11352
                        else "non risulta alcun impianto nella configurazione") + ".", riferimento)
    # mandato
    serve_mandato = ref.qualifica in ("membro", "esco_uni_11352") or conf.tipo == "AUC"
    if serve_mandato and ref.mandato.data_firma is None:
        inviata = conf.richiesta_accesso.data_invio
        if inviata is not None and inviata <= al:
            yield _r("REF_MANDATO_MANCANTE", "errore", f"{base}.mandato.data_firma",
                     "La richiesta al GSE risulta inviata ma il mandato al referente non è firmato: il referente "
                     "agisce in forza di un mandato senza rappresentanza, da firmare prima della richiesta.",
                     cita(("ro-2024", "§1.2.6"), "gse-accesso"))
        else:
            yield _r("REF_MANDATO_DA_FIRMARE", "info", f"{base}.mandato.data_firma",
                     "Il mandato al referente non è ancora firmato: va firmato prima di inviare la richiesta "
                     "di accesso al GSE (mandato senza rappresentanza, un anno, rinnovo tacito, revocabile).",
                     cita(("ro-2024", "§1.2.6"), "gse-accesso"))
    if ref.mandato.data_revoca is not None and ref.mandato.data_revoca <= al:
        yield _r("REF_MANDATO_REVOCATO", "errore", f"{base}.mandato.data_revoca",
                 "Il mandato al referente è stato revocato: designa un nuovo referente e comunica il cambio al GSE.",
                 cita(("ro-2024", "§1.2.6"), "gse-faq-mod"))


def _produttori_terzi(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    impianti = {imp.id: (path, imp) for path, _c, imp in p.impianti()}
    for ti, t in enumerate(p.produttori_terzi):
        base = f"produttori_terzi[{ti}]"
        nome = ctx.nome(t.soggetto)
        if t.soggetto in ctx.membri:
            yield _r("TERZO_GIA_MEMBRO", "avviso", f"{base}.soggetto",
                     f"{nome} è membro della CER e insieme produttore terzo: un membro non è «terzo». Togli uno "
                     "dei due ruoli.", cita(("ro-2024", "§1.2.8"), "gse-faq-cer"))
        if not t.impianti:
            yield _r("TERZO_SENZA_IMPIANTI", "avviso", f"{base}.impianti",
                     f"Il produttore terzo {nome} non ha impianti indicati: elenca gli impianti che mette a "
                     "disposizione della configurazione.", cita(("ro-2024", "§1.2.8")))
        for ii, iid in enumerate(t.impianti):
            if iid in impianti and impianti[iid][1].produttore != t.soggetto:
                yield _r("TERZO_IMPIANTO_ALTRUI", "errore", f"{base}.impianti[{ii}]",
                         f"L'impianto {iid} è indicato tra quelli di {nome}, ma il suo produttore è "
                         f"{ctx.nome(impianti[iid][1].produttore)}: correggi il produttore o l'elenco.",
                         cita(("ro-2024", "§1.2.8")))
        q = t.quota_incentivo_pct
        if q is not None and not (0 <= q <= 100):
            yield _r("TERZO_QUOTA", "errore", f"{base}.quota_incentivo_pct",
                     f"La quota del beneficio riconosciuta a {nome} deve essere tra 0 e 100 (trovato {q}).",
                     cita(("ro-2024", "§1.2.8")))
        if t.data_accordo is None:
            yield _r("TERZO_ACCORDO", "info", base,
                     f"Con il produttore terzo {nome} serve un accordo che dia alla CER la disponibilità e il "
                     "controllo dell'impianto e un mandato al referente perché l'energia immessa conti nella "
                     "configurazione; l'energia resta di proprietà del produttore.",
                     cita(("ro-2024", "§1.2.5"), ("ro-2024", "§1.2.8"), "gse-faq-cer"))
