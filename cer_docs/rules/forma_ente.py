"""Regole della forma giuridica della CER: forma dell'atto, patrimonio per la personalità
giuridica, requisiti della cooperativa, denominazione e controllo pubblico negli enti del Terzo
settore, dati che l'atto costitutivo chiede prima della firma."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from cer_docs import italiano
from cer_docs.model.vocabolario import DATE_ATTO, FORME_GIURIDICHE

from .base import Rilievo, cita, param, parametro, rif
from .contesto import Contesto
from .forme_giuridiche import forma_giuridica

AMBITO = "comunita"





def _r(codice, gravita, oggetto, messaggio, riferimento) -> Rilievo:
    return Rilievo(codice=codice, gravita=gravita, oggetto=oggetto, messaggio=messaggio,
                   riferimento=riferimento, ambito=AMBITO)


def _euro(x: Decimal) -> str:
    return italiano.importo(x)


def regole_forma_ente(ctx: Contesto) -> Iterator[Rilievo]:
    p = ctx.pratica
    c = p.comunita
    al = ctx.al
    if c is None:
        return
    forma = c.forma_giuridica
    fg = forma_giuridica(forma, al)
    voce = FORME_GIURIDICHE[forma]
    nome = voce.nome
    # --- forma dell'atto
    if fg.richiede_notaio and c.atto_costitutivo.forma != "atto_pubblico":
        yield _r("FORMA_ATTO_PUBBLICO", "avviso", "comunita.atto_costitutivo.forma",
                 f"La forma giuridica scelta ({nome}) si costituisce per atto pubblico del notaio, ma la pratica "
                 "indica una scrittura privata: cambia la forma dell'atto o la forma giuridica.",
                 rif("forme_giuridiche", al))
    # --- patrimonio per la personalità giuridica
    pm = fg.patrimonio_minimo
    if pm is not None:
        pat = c.patrimonio_iniziale_euro
        if pat is None and not pm.facoltativo:
            yield _r("PATRIMONIO_MANCANTE", "avviso", "comunita.patrimonio_iniziale_euro",
                     f"{italiano.maiuscola_iniziale(voce.con_articolo())} chiede la personalità giuridica, che si ottiene solo con un patrimonio adeguato "
                     f"allo scopo: indica l'importo del {pm.nome_fondo} conferito dai fondatori (di regola almeno "
                     f"{_euro(pm.importo)}).", pm.riferimento)
        elif pat is not None and Decimal(pat) < pm.importo:
            gravita = "errore" if pm.confermato and not pm.facoltativo else "avviso"
            perche = ("la cifra è di prassi e non di legge: chiedi conferma all'ufficio che riconosce l'ente"
                      if not pm.confermato else "la cifra è di legge")
            cosa = ("per chiedere la personalità giuridica con l'iscrizione nel RUNTS" if pm.facoltativo
                    else "per il riconoscimento della personalità giuridica")
            yield _r("PATRIMONIO_INSUFFICIENTE", gravita, "comunita.patrimonio_iniziale_euro",
                     f"Il {pm.nome_fondo} indicato ({_euro(Decimal(pat))}) è inferiore al minimo di "
                     f"{_euro(pm.importo)} richiesto {cosa}; {perche}.", pm.riferimento)
    # --- cooperativa: numero dei soci fondatori
    if forma == "cooperativa" and c.fondatori:
        req = param("cooperativa_requisiti", al)
        fondatori = [ctx.soggetto(f) for f in c.fondatori]
        persone = [s for s in fondatori if s is not None and s.tipo == "persona_fisica"]
        n = len(c.fondatori)
        ok = n >= int(req["soci_minimi"]) or (len(persone) == n and n >= int(req["soci_minimi_persone_fisiche_srl"]))
        if not ok:
            yield _r("COOPERATIVA_SOCI_MINIMI", "avviso", "comunita.fondatori",
                     f"Una società cooperativa si costituisce con almeno {req['soci_minimi']} soci, oppure con almeno "
                     f"{req['soci_minimi_persone_fisiche_srl']} soci tutti persone fisiche se adotta le regole della "
                     f"S.r.l.: la pratica ne indica {n}. Aggiungi fondatori o scegli un'altra forma giuridica.",
                     rif("cooperativa_requisiti", al))
    # --- corrispettivo di recesso per il contributo PNRR: proporzionato all'obbligo residuo
    rp = c.recesso.restituzione_contributo_pnrr if c.recesso else None
    if rp is not None:
        anni = int(param("pnrr_esercizio_minimo_anni", al))
        if rp.quota_dopo:
            yield _r("RECESSO_PNRR_DOPO_VINCOLO", "avviso", "comunita.recesso.restituzione_contributo_pnrr.quota_dopo",
                     f"È previsto un corrispettivo anche per chi recede dopo i {anni} anni in cui il contributo PNRR "
                     "vincola l'impianto: non è proporzionato a un obbligo che non c'è più, e lo statuto non lo "
                     "riporta. Togli la quota «dopo».",
                     cita(("dlgs-199-2021", "art. 32 c. 1 lett. b"), ("ro-2025", "§1.2.1, elemento e)")))
        if rp.entro_anni and int(rp.entro_anni) != anni:
            yield _r("RECESSO_PNRR_VINCOLO", "info", "comunita.recesso.restituzione_contributo_pnrr.entro_anni",
                     f"Il corrispettivo di recesso si calcola sul periodo di esercizio minimo che il contributo PNRR "
                     f"impone ({anni} anni), non sui {rp.entro_anni} indicati: lo statuto usa il periodo di legge.",
                     rif("pnrr_esercizio_minimo_anni", al))
    # --- Terzo settore: denominazione prima dell'iscrizione e controllo pubblico
    if forma == "ets_associazione":
        parole = c.denominazione.replace(".", "").upper().split()
        if "ETS" in parole or "APS" in parole or "ODV" in parole:
            yield _r("ETS_DENOMINAZIONE", "avviso", "comunita.denominazione",
                     "La denominazione contiene già l'acronimo del Terzo settore: l'ente può usarlo solo dopo "
                     "l'iscrizione nel RUNTS. Nello statuto e nell'atto la denominazione compare senza acronimo; "
                     "toglilo anche dalla pratica.", cita(("dlgs-117-2017", "art. 12")))
    if forma in ("ets_associazione", "impresa_sociale"):
        lim = param("ets_controllo_enti_pubblici", al)
        pubblici = set(lim["tipi_pubblici"])
        attivi = [ctx.soggetto(sid) for sid in ctx.membri] or [ctx.soggetto(f) for f in c.fondatori]
        attivi = [s for s in attivi if s is not None]
        if attivi:
            quota = Decimal(sum(1 for s in attivi if s.tipo in pubblici)) * 100 / Decimal(len(attivi))
            if quota > Decimal(str(lim["quota_massima_pct"])):
                yield _r("ETS_CONTROLLO_PUBBLICO", "avviso", "membri",
                         f"Le amministrazioni pubbliche sono il {italiano.percentuale(quota, 0)} dei membri: con un voto "
                         "per testa controllerebbero l'ente, che allora non potrebbe essere ente del Terzo settore "
                         "né impresa sociale. Rivedi la composizione o i diritti di voto.",
                         rif("ets_controllo_enti_pubblici", al))


def dati_mancanti_atto(ctx: Contesto) -> list[tuple[str, str]]:
    """I dati che l'atto costitutivo chiede e la pratica non dà: coppie (percorso, che cosa manca).
    Nell'atto generato ciascuno diventa un campo evidenziato da completare."""
    p = ctx.pratica
    c = p.comunita
    if c is None:
        return []
    out: list[tuple[str, str]] = []
    atto = c.atto_costitutivo
    if not (atto.luogo or c.sede.comune):
        out.append(("comunita.atto_costitutivo.luogo", "il luogo della firma dell'atto"))
    if atto.data is None and atto.data_prevista is None:
        out.append(("comunita.atto_costitutivo.data_prevista", "la data della firma dell'atto"))
    if atto.forma != "scrittura_privata_registrata":
        n = atto.dati_notaio
        if n is None or not n.nome_completo:
            out.append(("comunita.atto_costitutivo.notaio", "il notaio rogante o autenticante"))
        else:
            for campo, cosa in (("sede", "la sede del notaio"), ("distretto", "il distretto notarile")):
                if not getattr(n, campo) and "notaio in" not in (n.nome or "").lower():
                    out.append((f"comunita.atto_costitutivo.notaio.{campo}", cosa))
    if c.forma_giuridica == "cooperativa" and c.spese_costituzione_euro is None:
        out.append(("comunita.spese_costituzione_euro", "l'importo approssimativo delle spese di costituzione"))
    if c.quota_associativa_euro is None:
        out.append(("comunita.quota_associativa_euro", "l'importo della quota dei fondatori"))
    for sid in c.fondatori:
        s = ctx.soggetto(sid)
        if s is None:
            continue
        path = ctx.path_soggetto(sid)
        chi = s.nome_completo
        if s.tipo == "persona_fisica":
            for campo, cosa in (("nato_a", "il luogo di nascita"), ("nato_il", "la data di nascita"),
                                ("residenza", "la residenza"), ("codice_fiscale", "il codice fiscale")):
                if not getattr(s, campo):
                    out.append((f"{path}.{campo}", f"{cosa} di {chi}"))
            if c.forma_giuridica == "cooperativa" and not s.cittadinanza:
                out.append((f"{path}.cittadinanza", f"la cittadinanza di {chi}"))
            continue
        if not s.codice_fiscale:
            out.append((f"{path}.codice_fiscale", f"il codice fiscale di {chi}"))
        if s.sede is None or not s.sede.comune:
            out.append((f"{path}.sede", f"la sede di {chi}"))
        r = s.rappresentante
        if r is None or not (r.nome and r.cognome):
            out.append((f"{path}.rappresentante", f"chi firma per {chi} (legale rappresentante)"))
            continue
        for campo, cosa in (("nato_a", "il luogo di nascita"), ("nato_il", "la data di nascita"),
                            ("codice_fiscale", "il codice fiscale")):
            if not getattr(r, campo):
                out.append((f"{path}.rappresentante.{campo}", f"{cosa} del rappresentante di {chi}"))
        if r.poteri is None or not (r.poteri.fonte or r.poteri.atto):
            out.append((f"{path}.rappresentante.poteri", f"l'atto da cui {chi} trae i poteri di firma "
                        "(per un Comune la deliberazione, per una parrocchia l'autorizzazione canonica)"))
    return out


def regole_dati_atto(ctx: Contesto) -> Iterator[Rilievo]:
    c = ctx.pratica.comunita
    if c is None or c.atto_costitutivo.data is not None:
        return  # atto già firmato: i dati mancanti non si completano più sull'atto
    prevista = c.atto_costitutivo.data_prevista
    if prevista is not None and prevista < ctx.al:
        # promemoria pratico, non un obbligo di legge: la data scritta nell'atto, il primo esercizio e il
        # termine di registrazione dipendono dalla data vera della firma
        dp, df = DATE_ATTO["data_prevista"], DATE_ATTO["data"]
        giorni = param("registrazione_termine_giorni", ctx.al)
        yield _r("ATTO_DATA_PREVISTA_PASSATA", "avviso", "comunita.atto_costitutivo.data_prevista",
                 f"La {dp.nome} ({italiano.data_lunga(prevista)}) è già passata e la pratica non indica la "
                 f"{df.nome}. Se l'atto è stato firmato, indica la «{df.etichetta}»: da quel giorno decorrono i "
                 f"{giorni} giorni per registrarlo. Se non lo è ancora, aggiorna la «{dp.etichetta}»: l'atto "
                 "generato porta quella data e da essa calcola la chiusura del primo esercizio.",
                 rif("registrazione_termine_giorni", ctx.al))
    mancanti = dati_mancanti_atto(ctx)
    if mancanti:
        elenco = "; ".join(cosa for _, cosa in mancanti)
        yield _r("ATTO_DATI_MANCANTI", "avviso", mancanti[0][0],
                 f"Prima della firma dell'atto costitutivo "
                 f"{'manca 1 dato, che' if len(mancanti) == 1 else f'mancano {len(mancanti)} dati, che'} l'atto "
                 f"mostra come {'campo evidenziato' if len(mancanti) == 1 else 'campi evidenziati'} da completare: "
                 f"{elenco}.",
                 cita(("codice-civile", "artt. 16, 2521"), ("ro-2025", "§1.2.1")))
