"""Formattazione all'italiana: date, numeri, importi e loro scrittura in lettere.

Scelte documentate (valgono per tutti i documenti generati):

* ``data_lunga``: ``"20 ottobre 2025"``; il primo del mese si scrive ``"1° marzo 2026"``,
  come nella Gazzetta Ufficiale e negli atti normativi. I nomi dei mesi sono quelli del CLDR per
  ``it_IT`` (minuscoli: ``gennaio`` … ``dicembre``), il giorno senza zero iniziale.
* Cifre (``numero``, ``percentuale``, ``importo``): punto per le migliaia, virgola per i decimali,
  segno ``-`` (trattino) davanti ai negativi, come il formato CLDR ``it_IT`` (``#,##0.###`` per i
  numeri, ``#,##0.00 ¤`` per gli euro). Le scriviamo qui con ``Decimal``, senza babel: importare
  babel costava 15-20 ms a ogni avvio e la prima cifra altri ~15 ms per caricare i dati della
  lingua (issue 18); ``tests/test_italiano_senza_babel.py`` confronta le due scritture.
* ``numero_in_lettere``: ogni gruppo sotto il milione è una sola parola
  (``"milleduecentotrentaquattro"``); *milione* e *miliardo* sono sostantivi e restano
  staccati (``"un milione duecentomila"``), come raccomanda l'Accademia della Crusca.
  Chi vuole la scrittura tutta unita, usata su assegni e in alcuni studi notarili contro le
  aggiunte (``"unmilioneduecentomila"``), passa ``unito=True``.
* Elisioni: ``ventuno``, ``ventotto``, ``trentuno``; con *cento* si elide solo davanti a
  *ottanta* (``centottanta``), mentre si scrive ``centouno`` e ``centootto`` (forme piene,
  entrambe ammesse dai dizionari e più leggibili in un atto); *mille* non elide mai
  (``milleuno``, ``milleotto``). Davanti a *mila*/*milioni* si usa ``ventuno`` intero
  (``ventunomila`` per l'elisione ordinaria, ``ventuno milioni``).
* ``tre`` in fine di parola composta prende l'accento: ``ventitré``, ``centotré``,
  ``duemilaventitré``; da solo resta ``tre`` (anche ``"un milione tre"``).
* ``importo`` separa il simbolo dell'euro con uno spazio normale (``"1.234,50 €"``); chi impagina
  può chiedere lo spazio unificatore con ``spazio="\\u00a0"``.
* ``percentuale`` riceve i punti percentuali, non la frazione, e attacca il segno al numero
  (``12`` → ``"12%"``, ``Decimal("12.5")`` → ``"12,5%"``), come si scrive nei testi giuridici e
  negli atti normativi italiani: è la sola regola della casa per le percentuali, in ogni documento,
  messaggio e prospetto; nessuno scrive il segno «%» a mano.

Non usiamo num2words: in italiano sbaglia ``centodiciotto`` e perde l'accento di ``tré``
nei composti (vedi ``ecosistema.md`` §6.8).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "a_luogo",
    "e_stato_estero",
    "in_stato",
    "luogo_di_nascita",
    "denominazione_articolata",
    "genere_denominazione",
    "articolo",
    "con_articolo",
    "con_data",
    "forme_articolate",
    "indeterminativo",
    "maiuscola_iniziale",
    "per_genere",
    "plurale",
    "data_in_lettere",
    "data_lunga",
    "importo",
    "importo_in_lettere",
    "numero",
    "numero_in_lettere",
    "percentuale",
]

MASSIMO_IN_LETTERE = 999_999_999_999

_UNITA = (
    "zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove",
    "dieci", "undici", "dodici", "tredici", "quattordici", "quindici", "sedici",
    "diciassette", "diciotto", "diciannove",
)
_DECINE = (
    "", "", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta",
    "novanta",
)


# --- date --------------------------------------------------------------------------------

# I nomi dei mesi del CLDR per it_IT (formato esteso, contesto «format»: quello di babel «MMMM»).
_MESI = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
    "ottobre", "novembre", "dicembre",
)


def _mese(d: dt.date) -> str:
    return _MESI[d.month - 1]


def mese_e_anno(d: dt.date) -> str:
    """``date(2025, 2, 1)`` → ``"febbraio 2025"``."""
    return f"{_mese(d)} {d.year}"


def data_lunga(d: dt.date) -> str:
    """``date(2025, 10, 20)`` → ``"20 ottobre 2025"``; il giorno 1 → ``"1° marzo 2026"``."""
    _controlla_data(d)
    if d.day == 1:
        return f"1° {_mese(d)} {d.year}"
    return f"{d.day} {_mese(d)} {d.year}"


def data_in_lettere(d: dt.date) -> str:
    """Data tutta in lettere, per gli atti: ``"venti ottobre duemilaventicinque"``.

    Il primo giorno del mese si legge ``"primo"``.
    """
    _controlla_data(d)
    giorno = "primo" if d.day == 1 else numero_in_lettere(d.day)
    return f"{giorno} {_mese(d)} {numero_in_lettere(d.year)}"


def _controlla_data(d: object) -> None:
    if not isinstance(d, dt.date):
        raise TypeError(f"serve una data (datetime.date), non {type(d).__name__}")


# --- numeri in lettere -------------------------------------------------------------------


def _sotto_cento(n: int) -> str:
    if n < 20:
        return _UNITA[n]
    decina, unita = divmod(n, 10)
    parola = _DECINE[decina]
    if unita == 0:
        return parola
    if unita in (1, 8):  # venti + uno → ventuno, trenta + otto → trentotto
        parola = parola[:-1]
    return parola + _UNITA[unita]


def _sotto_mille(n: int) -> str:
    centinaia, resto = divmod(n, 100)
    if centinaia == 0:
        return _sotto_cento(resto)
    testa = "cento" if centinaia == 1 else _UNITA[centinaia] + "cento"
    if resto == 0:
        return testa
    coda = _sotto_cento(resto)
    if 80 <= resto < 90:  # cento + ottanta → centottanta, ottocento + ottantotto → ottocentottantotto
        testa = testa[:-1]
    return testa + coda


def _sotto_milione(n: int) -> str:
    migliaia, resto = divmod(n, 1000)
    if migliaia == 0:
        testa = ""
    elif migliaia == 1:
        testa = "mille"
    else:
        testa = _sotto_mille(migliaia) + "mila"
    if resto == 0:
        return testa
    return testa + _sotto_mille(resto)


def _accento_tre(parola: str) -> str:
    """``tre`` finale di un composto prende l'accento: ventitré, centotré, milletré."""
    if len(parola) > 3 and parola.endswith("tre"):
        return parola[:-3] + "tré"
    return parola


def numero_in_lettere(n: int, *, unito: bool = False) -> str:
    """Un intero da 0 a 999.999.999.999 scritto in lettere, secondo l'uso italiano.

    ``1234`` → ``"milleduecentotrentaquattro"``; ``1_200_000`` → ``"un milione duecentomila"``
    (con ``unito=True`` → ``"unmilioneduecentomila"``).
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"serve un numero intero, non {type(n).__name__}")
    if n < 0:
        raise ValueError(f"non si scrivono in lettere i numeri negativi ({n})")
    if n > MASSIMO_IN_LETTERE:
        raise ValueError(
            f"il numero {n} è troppo grande: si scrivono in lettere i numeri fino a "
            f"{_cifre(Decimal(MASSIMO_IN_LETTERE))}"
        )
    if n == 0:
        return "zero"
    miliardi, resto = divmod(n, 1_000_000_000)
    milioni, resto = divmod(resto, 1_000_000)
    parti: list[str] = []
    if miliardi:
        parti += ["un", "miliardo"] if miliardi == 1 else [_sotto_mille(miliardi), "miliardi"]
    if milioni:
        parti += ["un", "milione"] if milioni == 1 else [_sotto_mille(milioni), "milioni"]
    if resto:
        parti.append(_sotto_milione(resto))
    if unito:
        return _accento_tre("".join(parti))
    # "un" e il sostantivo che segue formano un gruppo: "un milione", "due milioni".
    return " ".join(_accento_tre(p) for p in parti)


# --- numeri e importi in cifre -----------------------------------------------------------


def _decimale(x: object, cosa: str) -> Decimal:
    if isinstance(x, bool):
        raise TypeError(f"{cosa}: serve un numero, non un valore vero/falso")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        d = Decimal(repr(x))  # la rappresentazione più breve: 1234.5 → Decimal("1234.5")
    elif isinstance(x, str):
        try:
            d = Decimal(x.strip())
        except InvalidOperation:
            raise ValueError(f"{cosa}: '{x}' non è un numero") from None
    else:
        raise TypeError(f"{cosa}: serve un numero, non {type(x).__name__}")
    if not d.is_finite():
        raise ValueError(f"{cosa}: il valore {x} non è un numero finito")
    return d


def _cifre(d: Decimal) -> str:
    """Le cifre di ``d`` all'italiana, esattamente quelle del valore: ``Decimal("-1234567.50")`` →
    ``"-1.234.567,50"``, ``Decimal("1E+3")`` → ``"1.000"``. Nessun arrotondamento: chi vuole un
    numero fisso di decimali arrotonda prima (``_arrotonda``). Il segno viene dal bit del segno,
    come in babel: ``Decimal("-0.00")`` → ``"-0,00"``."""
    intera, _, decimale = f"{abs(d):f}".partition(".")
    testa = len(intera) % 3 or 3
    gruppi = [intera[:testa]] + [intera[i:i + 3] for i in range(testa, len(intera), 3)]
    testo = ".".join(gruppi)
    if decimale:
        testo += "," + decimale
    return "-" + testo if d.is_signed() else testo


def numero(x: Decimal | int | float, decimali: int | None = None) -> str:
    """``1234.5`` → ``"1.234,5"``; con ``decimali=2`` → ``"1.234,50"``.

    Senza ``decimali`` si mostrano tutte le cifre decimali del valore, senza gli zeri finali
    (``Decimal("1.50")`` → ``"1,5"``); con ``decimali`` si arrotonda metà per eccesso
    (``2,5`` → ``3``).
    """
    d = _decimale(x, "numero")
    if decimali is None:
        # normalize() toglie gli zeri finali; oltre le 28 cifre significative del contesto di
        # Decimal arrotonda (metà al pari), come faceva babel con lo stesso normalize().
        assoluto = abs(d).normalize()
        return _cifre(assoluto.copy_negate() if d.is_signed() else assoluto)
    if decimali < 0:
        raise ValueError("il numero di decimali non può essere negativo")
    return _cifre(_arrotonda(d, decimali))


def _arrotonda(d: Decimal, decimali: int) -> Decimal:
    """Arrotondamento commerciale (metà per eccesso: 0,125 → 0,13), non quello bancario."""
    return d.quantize(Decimal(1).scaleb(-decimali), rounding=ROUND_HALF_UP)


def importo(x: Decimal | int, *, spazio: str = " ") -> str:
    """``Decimal("1234.5")`` → ``"1.234,50 €"`` (sempre due decimali, arrotondati
    metà per eccesso)."""
    return f"{_cifre(_arrotonda(_decimale(x, 'importo'), 2))}{spazio}€"


def percentuale(x: Decimal | int | float, decimali: int | None = None) -> str:
    """Punti percentuali con il segno attaccato: ``12`` → ``"12%"``, ``Decimal("12.5")`` → ``"12,5%"``.
    Il segno non va mai a capo da solo, perché non c'è spazio da spezzare."""
    return f"{numero(x, decimali)}%"


def importo_in_lettere(x: Decimal | int, *, unito: bool = False) -> str:
    """Importo in euro scritto come negli atti: ``Decimal("1234.50")`` →
    ``"euro milleduecentotrentaquattro/50"``; ``10`` → ``"euro dieci/00"``.

    Rifiuta importi negativi e importi con più di due decimali significativi.
    """
    d = _decimale(x, "importo in lettere")
    if d < 0:
        raise ValueError(f"un importo in lettere non può essere negativo ({x})")
    centesimi_esatti = d * 100
    if centesimi_esatti != centesimi_esatti.to_integral_value():
        raise ValueError(
            f"l'importo {x} ha più di due decimali: arrotondalo ai centesimi prima di "
            "scriverlo in lettere"
        )
    centesimi_totali = int(centesimi_esatti)
    euro, centesimi = divmod(centesimi_totali, 100)
    if euro > MASSIMO_IN_LETTERE:
        raise ValueError(
            f"l'importo {x} è troppo grande: si scrivono in lettere importi fino a "
            f"{_cifre(Decimal(MASSIMO_IN_LETTERE))} euro"
        )
    return f"euro {numero_in_lettere(euro, unito=unito)}/{centesimi:02d}"


# --- articoli, preposizioni articolate, accordo di genere --------------------------------
#
# Scelte documentate:
#
# * L'articolo dipende dal suono iniziale: «l'» davanti a vocale (e ad «h» muta), «lo»/«gli»
#   davanti a s impura, z, gn, ps, pn, x, y e i semiconsonantica; al femminile plurale
#   «le» senza elisione («le associazioni»), come raccomanda l'uso moderno.
# * La «d» eufonica: ``a_luogo`` scrive «ad» davanti ai nomi che iniziano per «a» o per «e»
#   («ad Arezzo», «ad Empoli»), «a» davanti alle altre vocali («a Imola», «a Orvieto», «a
#   Urbino»): l'uso notarile la conserva davanti a «e», la Crusca la vuole almeno tra vocali
#   uguali; il resto suona affettato.
# * Le date con l'articolo elidono davanti ai numeri che si leggono con una vocale iniziale:
#   «l'8 marzo», «dall'11 aprile»; il primo del mese resta «il 1° marzo».

Genere = str  # "m" | "f"
Numero = str  # "s" | "p"

_VOCALI = "aeiouàèéìòóùAEIOUÀÈÉÌÒÓÙ"
_PREPOSIZIONI = {
    # preposizione: (m.s. davanti a consonante, m.s. lo, elisa, f.s., m.p. i, m.p. gli, f.p.)
    None: ("il", "lo", "l'", "la", "i", "gli", "le"),
    "di": ("del", "dello", "dell'", "della", "dei", "degli", "delle"),
    "a": ("al", "allo", "all'", "alla", "ai", "agli", "alle"),
    "da": ("dal", "dallo", "dall'", "dalla", "dai", "dagli", "dalle"),
    "in": ("nel", "nello", "nell'", "nella", "nei", "negli", "nelle"),
    "su": ("sul", "sullo", "sull'", "sulla", "sui", "sugli", "sulle"),
}
_INDETERMINATIVI = {"m": ("un", "uno", "un"), "f": ("una", "una", "un'")}


def _inizio(parola: str) -> str:
    """Che suono apre la parola: ``"vocale"``, ``"lo"`` (s impura, z, gn…), ``"consonante"``."""
    p = parola.lstrip("«\"'( ").lower()
    if not p:
        return "consonante"
    if p[0] in _VOCALI.lower() or (p[0] == "h" and len(p) > 1 and p[1] in "aeiou" and p[:3] != "han"):
        # «i» seguita da vocale è semiconsonante: «lo iato», «gli ioni»
        if p[0] == "i" and len(p) > 1 and p[1] in "aeiou":
            return "lo"
        return "vocale"
    if p[0] == "s" and len(p) > 1 and p[1] not in _VOCALI.lower():
        return "lo"
    if p[0] in "zxy" or p[:2] in ("gn", "ps", "pn"):
        return "lo"
    return "consonante"


def articolo(parola: str, genere: Genere = "m", numero: Numero = "s", preposizione: str | None = None) -> str:
    """L'articolo determinativo (eventualmente con la preposizione) da mettere davanti a
    ``parola``: ``articolo("Comunità", "f", preposizione="a")`` → ``"alla"``;
    ``articolo("Associazione", "f", preposizione="di")`` → ``"dell'"``."""
    forme = _PREPOSIZIONI[preposizione]
    inizio = _inizio(parola)
    if numero == "p":
        if genere == "f":
            return forme[6]
        return forme[5] if inizio in ("vocale", "lo") else forme[4]
    if inizio == "vocale":
        return forme[2]
    if genere == "f":
        return forme[3]
    return forme[1] if inizio == "lo" else forme[0]


def con_articolo(parola: str, genere: Genere = "m", numero: Numero = "s", preposizione: str | None = None,
                 *, maiuscola: bool = False) -> str:
    """``con_articolo("Comunità", "f", preposizione="a")`` → ``"alla Comunità"``;
    ``con_articolo("Associazione", "f")`` → ``"l'Associazione"``; ``con_articolo("Comune di
    Vicchio", "m", preposizione="da")`` → ``"dal Comune di Vicchio"``."""
    art = articolo(parola, genere, numero, preposizione)
    testo = f"{art}{parola}" if art.endswith("'") else f"{art} {parola}"
    return maiuscola_iniziale(testo) if maiuscola else testo


def indeterminativo(parola: str, genere: Genere = "m") -> str:
    """``"un ente"``, ``"uno studio"``, ``"una impresa"`` → ``"un'impresa"``."""
    inizio = _inizio(parola)
    forme = _INDETERMINATIVI[genere]
    art = forme[2] if inizio == "vocale" else (forme[1] if inizio == "lo" else forme[0])
    return f"{art}{parola}" if art.endswith("'") else f"{art} {parola}"


def forme_articolate(parola: str, genere: Genere = "m", numero: Numero = "s") -> dict[str, str]:
    """Tutte le forme con articolo, per i contesti dei documenti: ``il``, ``Il``, ``del``,
    ``al``, ``dal``, ``nel``, ``sul`` (le chiavi sono sempre le forme maschili)."""
    out = {}
    for chiave, prep in (("il", None), ("del", "di"), ("al", "a"), ("dal", "da"), ("nel", "in"), ("sul", "su")):
        out[chiave] = con_articolo(parola, genere, numero, prep)
    out["Il"] = maiuscola_iniziale(out["il"])
    return out


_ARTICOLI_DI = (("il ", "del "), ("lo ", "dello "), ("la ", "della "), ("l'", "dell'"), ("i ", "dei "),
                ("gli ", "degli "), ("le ", "delle "))


def di_articolato(testo: str) -> str:
    """«di» davanti a un nome che ha già l'articolo: «il codice fiscale» → «del codice fiscale», «la partita
    IVA» → «della partita IVA», «l'IBAN» → «dell'IBAN»; senza articolo «di …»."""
    for art, prep in _ARTICOLI_DI:
        if testo.startswith(art):
            return prep + testo[len(art):]
    return "di " + testo


def in_frase(testo: str) -> str:
    """Una carica o un ruolo scritti come titolo («Procuratore speciale», «Sindaco pro tempore») dentro
    una frase: la prima parola in minuscolo, se è una parola comune con la sola iniziale maiuscola.
    Le sigle («CEO», «RUP») e le parole con maiuscole interne («SpA») restano come sono."""
    parole = testo.split(" ", 1)
    prima = parole[0]
    if len(prima) > 1 and prima[0].isupper() and prima[1:].islower():
        parole[0] = prima[0].lower() + prima[1:]
    return " ".join(parole)


def maiuscola_iniziale(testo: str) -> str:
    return testo[:1].upper() + testo[1:] if testo else testo


def a_luogo(nome: str) -> str:
    """La preposizione «a» davanti a un nome di luogo, con la «d» eufonica davanti ad «a» ed
    «e»: ``"ad Arezzo"``, ``"ad Empoli"``, ``"a Imola"``, ``"a Vicchio"``."""
    p = nome.lstrip().lower()
    return f"ad {nome}" if p[:1] in ("a", "e", "à", "è", "é") else f"a {nome}"


# --- Stati esteri ------------------------------------------------------------------------
#
# Scelte documentate: davanti al nome di uno Stato si usa «in» senza articolo («nata in Marocco»,
# «in Francia», «in Perù»); i nomi che si leggono con l'articolo lo fondono con «in» («negli Stati
# Uniti», «nel Regno Unito», «nelle Filippine», «nella Repubblica Ceca»); le isole e le città-Stato
# vogliono «a» («a Cuba», «a Malta», «a San Marino», «a Singapore»). Un nome che comincia con
# «Stati», «Regno», «Repubblica», «Emirati», «Paesi», «Isole», «Principato», «Granducato»,
# «Unione» o «Federazione» prende l'articolo del sostantivo iniziale anche se non è in elenco.

_STATI_IN = frozenset(x.strip().lower() for x in """
Afghanistan, Albania, Algeria, Andorra, Angola, Arabia Saudita, Argentina, Armenia, Australia, Austria,
Azerbaigian, Bahrein, Bangladesh, Belgio, Belize, Benin, Bhutan, Bielorussia, Birmania, Bolivia,
Bosnia ed Erzegovina, Bosnia-Erzegovina, Botswana, Brasile, Brunei, Bulgaria, Burkina Faso, Burundi,
Cambogia, Camerun, Canada, Cecoslovacchia, Ciad, Cile, Cina, Colombia, Congo, Corea del Nord, Corea del Sud,
Costa d'Avorio, Costa Rica, Croazia, Danimarca, Ecuador, Egitto, El Salvador, Eritrea, Estonia, Eswatini,
Etiopia, Finlandia, Francia, Gabon, Gambia, Georgia, Germania, Ghana, Giamaica, Giappone, Gibuti, Giordania,
Grecia, Guatemala, Guinea, Guinea-Bissau, Guinea Equatoriale, Guyana, Honduras, India, Indonesia, Iran,
Iraq, Irlanda, Islanda, Israele, Jugoslavia, Kazakistan, Kenya, Kirghizistan, Kosovo, Kuwait, Laos, Lesotho,
Lettonia, Libano, Liberia, Libia, Liechtenstein, Lituania, Lussemburgo, Macedonia, Macedonia del Nord,
Madagascar, Malawi, Malaysia, Mali, Marocco, Mauritania, Messico, Micronesia, Moldavia, Mongolia,
Montenegro, Mozambico, Myanmar, Namibia, Nepal, Nicaragua, Niger, Nigeria, Norvegia, Nuova Zelanda, Oman,
Pakistan, Palestina, Panama, Papua Nuova Guinea, Paraguay, Perù, Polonia, Portogallo, Qatar, Romania, Ruanda,
Russia, Senegal, Serbia, Sierra Leone, Siria, Slovacchia, Slovenia, Somalia, Spagna, Sri Lanka, Sudafrica,
Sudan, Sudan del Sud, Suriname, Svezia, Svizzera, Swaziland, Tagikistan, Tanzania, Thailandia, Togo, Tunisia,
Turchia, Turkmenistan, Ucraina, Uganda, Ungheria, Uruguay, Uzbekistan, Venezuela, Vietnam, Yemen, Zambia,
Zimbabwe
""".split(","))
_STATI_A = frozenset(x.strip().lower() for x in """
Antigua e Barbuda, Barbados, Capo Verde, Cipro, Cuba, Dominica, Grenada, Haiti, Hong Kong, Kiribati, Malta,
Mauritius, Monaco, Nauru, Palau, Saint Kitts e Nevis, Saint Lucia, Saint Vincent e Grenadine, Samoa,
San Marino, São Tomé e Príncipe, Singapore, Taiwan, Timor Est, Tonga, Trinidad e Tobago, Tuvalu, Vanuatu
""".split(","))
# Stati il cui nome vuole l'articolo: genere e numero
_STATI_ARTICOLO = {
    "bahamas": ("f", "p"), "comore": ("f", "p"), "figi": ("f", "p"), "filippine": ("f", "p"),
    "maldive": ("f", "p"), "seychelles": ("f", "p"), "vaticano": ("m", "s"), "città del vaticano": ("f", "s"),
}
_TESTE_STATO = {"stati": ("m", "p"), "regno": ("m", "s"), "repubblica": ("f", "s"), "emirati": ("m", "p"),
                "paesi": ("m", "p"), "isole": ("f", "p"), "principato": ("m", "s"), "granducato": ("m", "s"),
                "unione": ("f", "s"), "federazione": ("f", "s")}


def _nome_stato(nome: str) -> str:
    """Il nome senza la sigla «(EE)» che alcuni moduli aggiungono agli Stati esteri."""
    n = nome.strip()
    if n.upper().endswith("(EE)"):
        n = n[:-4].strip()
    return n


def _articolo_stato(nome: str) -> tuple[str, str] | None:
    n = _nome_stato(nome).lower()
    if n in _STATI_ARTICOLO:
        return _STATI_ARTICOLO[n]
    testa = n.split(maxsplit=1)[0] if n else ""
    return _TESTE_STATO.get(testa) if " " in n else None


def e_stato_estero(nome: str | None) -> bool:
    """Vero se ``nome`` è il nome di uno Stato estero («Marocco», «Stati Uniti», «Regno Unito»)."""
    if not nome:
        return False
    n = _nome_stato(nome).lower()
    return n in _STATI_IN or n in _STATI_A or _articolo_stato(nome) is not None


def in_stato(nome: str) -> str:
    """La preposizione di luogo davanti al nome di uno Stato: ``"in Marocco"``, ``"negli Stati
    Uniti"``, ``"nel Regno Unito"``, ``"nelle Filippine"``, ``"a Cuba"``, ``"a San Marino"``."""
    n = _nome_stato(nome)
    gn = _articolo_stato(n)
    if gn is not None:
        return con_articolo(n, gn[0], gn[1], "in")
    if n.lower() in _STATI_A:
        return a_luogo(n)
    return f"in {n}"


def luogo_di_nascita(nome: str) -> str:
    """Il luogo di nascita dopo «nato»/«nata»: un comune vuole «a» («a Firenze», «ad Arezzo»), uno
    Stato estero la sua preposizione («in Marocco», «negli Stati Uniti»); «Casablanca (Marocco)» è
    una città e vuole «a»."""
    return in_stato(nome) if e_stato_estero(nome) else a_luogo(nome)


def con_data(preposizione: str | None, d: dt.date) -> str:
    """Una data dentro una frase con l'articolo giusto: ``con_data("il", 8 marzo)`` →
    ``"l'8 marzo 2026"``; ``con_data("dal", 11 aprile)`` → ``"dall'11 aprile 2026"``; il primo
    del mese non elide («il 1° marzo 2026»). ``preposizione`` è la forma maschile davanti a
    consonante («il», «del», «al», «dal», «nel», «sul») o ``None`` per la sola data."""
    testo = data_lunga(d)
    if preposizione is None:
        return testo
    if d.day != 1 and numero_in_lettere(d.day)[0] in "aeiou" and preposizione in _ELISIONI:
        return f"{_ELISIONI[preposizione]}{testo}"
    return f"{preposizione} {testo}"


_ELISIONI = {"il": "l'", "dal": "dall'", "del": "dell'", "al": "all'", "nel": "nell'", "sul": "sull'",
             "Il": "L'"}


def per_genere(femminile: bool | None, maschile: str, femminile_forma: str, incerto: str | None = None) -> str:
    """Sceglie la forma accordata: ``per_genere(True, "nato", "nata")`` → ``"nata"``; con
    genere ignoto la doppia forma («nato/a»), che segnala il dato da completare."""
    if femminile is None:
        return incerto if incerto is not None else f"{maschile}/{femminile_forma[-1]}"
    return femminile_forma if femminile else maschile


def plurale(n: int, singolare: str, plurale_forma: str) -> str:
    """``plurale(1, "pagina", "pagine")`` → ``"1 pagina"``; ``plurale(2, ...)`` → ``"2 pagine"``."""
    return f"{n} {singolare if n == 1 else plurale_forma}"


# nomi che aprono la denominazione di un ente e ne decidono il genere («il Comune di…»,
# «la Parrocchia di…»); oltre a questi vale la desinenza (-a, -à, -ione: femminile)
_TESTE_MASCHILI = frozenset({
    "comune", "consorzio", "condominio", "ente", "circolo", "comitato", "gruppo", "istituto", "centro",
    "studio", "il", "lo", "i", "gli", "agriturismo", "caseificio", "forno", "ospedale", "collegio",
})
_TESTE_FEMMINILI = frozenset({"la", "le", "cer", "asp", "ater", "ipab", "società", "srl", "s.r.l.", "spa"})


def genere_denominazione(nome: str, predefinito: Genere = "f") -> Genere:
    """Il genere con cui si accorda il nome di un ente: «il Comune di Vicchio», «la
    Parrocchia di San Gaudenzio», «l'Associazione Pro Loco», «il Caseificio del Borgo»."""
    parole = nome.strip().lstrip("«\"").split()
    if not parole:
        return predefinito
    testa = parole[0].lower().rstrip(",")
    if testa.startswith(("l'", "l’")):
        testa = testa[2:]
    if testa in _TESTE_MASCHILI:
        return "m"
    if testa in _TESTE_FEMMINILI or testa.endswith(("a", "à", "ione", "tà")):
        return "f"
    if testa.endswith(("o", "i")):
        return "m"
    return predefinito


def denominazione_articolata(nome: str, predefinito: Genere = "f", *, articolo: bool = True) -> dict[str, str]:
    """Le forme con articolo del nome di un ente, che comincia con la maiuscola: ``il``
    («la Comunità Energetica…»), ``Il``, ``del``, ``al``, ``dal``, ``nel``, ``sul``. Un nome
    che comincia già con l'articolo («Il Poggio S.r.l.») resta tra virgolette dopo la
    preposizione semplice («di «Il Poggio S.r.l.»», come si scrive negli atti).

    Con ``articolo=False`` il nome è un nome proprio che non prende articolo (una società: «per
    Energia Verde Mugello S.p.A.», «di Caseificio del Borgo S.r.l.»): le chiavi restano le
    stesse, i valori hanno la preposizione semplice («ad» davanti ad «a» ed «e»)."""
    parole = nome.split(maxsplit=1)
    indice = {"Il": 0, "Lo": 1, "La": 3, "I": 4, "Gli": 5, "Le": 6}
    if len(parole) == 2 and parole[0] in indice:
        # «Il Poggio S.r.l.»: l'articolo fa parte del nome e non si fonde con la preposizione
        # («di «Il Poggio S.r.l.»», come si scrive negli atti)
        out = {chiave: f"{prep} «{nome}»" for chiave, prep in (("del", "di"), ("al", "a"), ("dal", "da"),
                                                                ("nel", "in"), ("sul", "su"))}
        out["il"] = out["Il"] = f"«{nome}»"
        return out
    if not articolo:
        return {"il": nome, "Il": nome, "del": f"di {nome}", "al": a_luogo(nome), "dal": f"da {nome}",
                "nel": f"in {nome}", "sul": f"su {nome}"}
    return forme_articolate(nome, genere_denominazione(nome, predefinito))
