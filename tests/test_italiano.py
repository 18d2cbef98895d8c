"""Formattazione italiana: tabella fissa di numeri, date e importi in lettere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cer_docs.italiano import (
    data_in_lettere,
    data_lunga,
    importo,
    importo_in_lettere,
    numero,
    numero_in_lettere,
    percentuale,
)

NUMERI = [
    (0, "zero"),
    (1, "uno"),
    (3, "tre"),
    (8, "otto"),
    (11, "undici"),
    (16, "sedici"),
    (17, "diciassette"),
    (18, "diciotto"),
    (19, "diciannove"),
    (20, "venti"),
    (21, "ventuno"),
    (23, "ventitré"),
    (28, "ventotto"),
    (31, "trentuno"),
    (33, "trentatré"),
    (38, "trentotto"),
    (71, "settantuno"),
    (88, "ottantotto"),
    (99, "novantanove"),
    (100, "cento"),
    (101, "centouno"),
    (103, "centotré"),
    (108, "centootto"),
    (111, "centoundici"),
    (118, "centodiciotto"),
    (123, "centoventitré"),
    (180, "centottanta"),
    (188, "centottantotto"),
    (200, "duecento"),
    (333, "trecentotrentatré"),
    (800, "ottocento"),
    (881, "ottocentottantuno"),
    (999, "novecentonovantanove"),
    (1000, "mille"),
    (1001, "milleuno"),
    (1003, "milletré"),
    (1008, "milleotto"),
    (1018, "millediciotto"),
    (1080, "milleottanta"),
    (1100, "millecento"),
    (1118, "millecentodiciotto"),
    (1234, "milleduecentotrentaquattro"),
    (1999, "millenovecentonovantanove"),
    (2000, "duemila"),
    (2023, "duemilaventitré"),
    (2025, "duemilaventicinque"),
    (3000, "tremila"),
    (10000, "diecimila"),
    (21000, "ventunomila"),
    (23000, "ventitremila"),
    (28000, "ventottomila"),
    (36800, "trentaseimilaottocento"),
    (100000, "centomila"),
    (101000, "centounomila"),
    (180000, "centottantamila"),
    (999999, "novecentonovantanovemilanovecentonovantanove"),
    (1000000, "un milione"),
    (1000003, "un milione tre"),
    (1000023, "un milione ventitré"),
    (1200000, "un milione duecentomila"),
    (2000000, "due milioni"),
    (3000000, "tre milioni"),
    (21000000, "ventuno milioni"),
    (23000000, "ventitré milioni"),
    (1000000000, "un miliardo"),
    (2001001001, "due miliardi un milione milleuno"),
    (999999999999, "novecentonovantanove miliardi novecentonovantanove milioni "
                   "novecentonovantanovemilanovecentonovantanove"),
]


@pytest.mark.parametrize(("n", "atteso"), NUMERI)
def test_numero_in_lettere_tabella(n: int, atteso: str) -> None:
    assert numero_in_lettere(n) == atteso


@pytest.mark.parametrize(("n", "atteso"), [
    (1200000, "unmilioneduecentomila"),
    (1000023, "unmilioneventitré"),
    (1000003, "unmilionetré"),
    (3000000, "tremilioni"),
    (2000000000, "duemiliardi"),
])
def test_numero_in_lettere_unito(n: int, atteso: str) -> None:
    assert numero_in_lettere(n, unito=True) == atteso


@pytest.mark.parametrize("n", [-1, 1_000_000_000_000])
def test_numero_in_lettere_fuori_intervallo(n: int) -> None:
    with pytest.raises(ValueError):
        numero_in_lettere(n)


@pytest.mark.parametrize("n", [1.5, "3", True, None])
def test_numero_in_lettere_solo_interi(n: object) -> None:
    with pytest.raises(TypeError):
        numero_in_lettere(n)  # type: ignore[arg-type]


@pytest.mark.parametrize(("d", "atteso"), [
    (dt.date(2025, 10, 20), "venti ottobre duemilaventicinque"),
    (dt.date(2026, 1, 1), "primo gennaio duemilaventisei"),
    (dt.date(1999, 12, 31), "trentuno dicembre millenovecentonovantanove"),
    (dt.date(2023, 3, 23), "ventitré marzo duemilaventitré"),
    (dt.date(2028, 8, 28), "ventotto agosto duemilaventotto"),
])
def test_data_in_lettere(d: dt.date, atteso: str) -> None:
    assert data_in_lettere(d) == atteso


@pytest.mark.parametrize(("d", "atteso"), [
    (dt.date(2025, 10, 20), "20 ottobre 2025"),
    (dt.date(2026, 3, 1), "1° marzo 2026"),
    (dt.date(2025, 7, 17), "17 luglio 2025"),
])
def test_data_lunga(d: dt.date, atteso: str) -> None:
    assert data_lunga(d) == atteso


def test_data_rifiuta_non_date() -> None:
    with pytest.raises(TypeError):
        data_lunga("2025-10-20")  # type: ignore[arg-type]


@pytest.mark.parametrize(("x", "atteso"), [
    (Decimal("10"), "euro dieci/00"),
    (10, "euro dieci/00"),
    (Decimal("36800"), "euro trentaseimilaottocento/00"),
    (Decimal("1234.5"), "euro milleduecentotrentaquattro/50"),
    (Decimal("1234.50"), "euro milleduecentotrentaquattro/50"),
    (Decimal("0.05"), "euro zero/05"),
    (Decimal("118.18"), "euro centodiciotto/18"),
    (Decimal("2023.00"), "euro duemilaventitré/00"),
    (Decimal("1.500"), "euro uno/50"),
    (Decimal("1200000"), "euro un milione duecentomila/00"),
])
def test_importo_in_lettere(x: Decimal, atteso: str) -> None:
    assert importo_in_lettere(x) == atteso


def test_importo_in_lettere_unito() -> None:
    assert importo_in_lettere(Decimal("1200000.10"), unito=True) == "euro unmilioneduecentomila/10"


@pytest.mark.parametrize("x", [Decimal("-1"), Decimal("1.005"), Decimal("NaN"), Decimal("1e12")])
def test_importo_in_lettere_rifiuta(x: Decimal) -> None:
    with pytest.raises(ValueError) as err:
        importo_in_lettere(x)
    assert "importo" in str(err.value)


def test_importo_in_lettere_messaggi_in_italiano() -> None:
    with pytest.raises(ValueError, match="negativo"):
        importo_in_lettere(Decimal("-0.01"))
    with pytest.raises(ValueError, match="più di due decimali"):
        importo_in_lettere(Decimal("10.001"))


@pytest.mark.parametrize(("x", "atteso"), [
    (Decimal("1234.5"), "1.234,50 €"),
    (Decimal("1234567.5"), "1.234.567,50 €"),
    (0, "0,00 €"),
    (Decimal("0.125"), "0,13 €"),
    (Decimal("0.135"), "0,14 €"),
    (Decimal("-12.5"), "-12,50 €"),
])
def test_importo(x: Decimal, atteso: str) -> None:
    assert importo(x) == atteso


def test_importo_spazio_unificatore() -> None:
    assert importo(Decimal("5"), spazio="\u00a0") == "5,00\u00a0€"


@pytest.mark.parametrize(("x", "decimali", "atteso"), [
    (Decimal("1234.5"), None, "1.234,5"),
    (Decimal("1234.5"), 2, "1.234,50"),
    (Decimal("1234.5678"), None, "1.234,5678"),
    (1234, None, "1.234"),
    (Decimal("0.125"), 1, "0,1"),
    (Decimal("0.15"), 1, "0,2"),
    (Decimal("1234.56"), 0, "1.235"),
    (Decimal("2.5"), 0, "3"),
    (Decimal("0.125"), 2, "0,13"),
])
def test_numero(x: Decimal, decimali: int | None, atteso: str) -> None:
    assert numero(x, decimali) == atteso


@pytest.mark.parametrize(("x", "atteso"), [
    (12, "12%"),
    (Decimal("12.5"), "12,5%"),
    (Decimal("55"), "55%"),
    (Decimal("1234.5"), "1.234,5%"),
])
def test_percentuale(x: Decimal, atteso: str) -> None:
    """Regola della casa: il segno attaccato al numero, come negli atti normativi («25%»)."""
    assert percentuale(x) == atteso


# ---------------------------------------------------------------- articoli e preposizioni

import pytest as _pytest

from cer_docs import italiano as _it


@_pytest.mark.parametrize("parola,genere,numero,prep,atteso", [
    ("Comunità", "f", "s", "a", "alla Comunità"),
    ("Comune di Vicchio", "m", "s", "di", "del Comune di Vicchio"),
    ("Comune", "m", "s", "da", "dal Comune"),
    ("Associazione", "f", "s", "a", "all'Associazione"),
    ("Assemblea", "f", "s", None, "l'Assemblea"),
    ("studio", "m", "s", None, "lo studio"),
    ("associati", "m", "p", "di", "degli associati"),
    ("soci", "m", "p", "a", "ai soci"),
    ("associazioni", "f", "p", None, "le associazioni"),
    ("Gruppo", "m", "s", "in", "nel Gruppo"),
])
def test_articoli_e_preposizioni_articolate(parola, genere, numero, prep, atteso):
    assert _it.con_articolo(parola, genere, numero, prep) == atteso


def test_d_eufonica_davanti_ai_luoghi():
    assert [_it.a_luogo(x) for x in ("Arezzo", "Empoli", "Imola", "Orvieto", "Urbino", "Vicchio")] == [
        "ad Arezzo", "ad Empoli", "a Imola", "a Orvieto", "a Urbino", "a Vicchio"]


def test_date_con_articolo():
    assert _it.con_data("il", dt.date(2025, 3, 11)) == "l'11 marzo 2025"
    assert _it.con_data("il", dt.date(2025, 3, 8)) == "l'8 marzo 2025"
    assert _it.con_data("del", dt.date(2025, 3, 8)) == "dell'8 marzo 2025"
    assert _it.con_data("il", dt.date(2025, 3, 1)) == "il 1° marzo 2025"
    assert _it.con_data("al", dt.date(2080, 12, 31)) == "al 31 dicembre 2080"


def test_denominazioni_degli_enti():
    assert _it.denominazione_articolata("Comune di Vicchio", "f")["dal"] == "dal Comune di Vicchio"
    assert _it.denominazione_articolata("Comunità Energetica Rinnovabile X")["al"] == "alla Comunità Energetica Rinnovabile X"
    assert _it.denominazione_articolata("Associazione Pro Loco")["del"] == "dell'Associazione Pro Loco"
    assert _it.denominazione_articolata("Il Poggio S.r.l.")["del"] == "di «Il Poggio S.r.l.»"


def test_genere_e_plurali():
    assert _it.per_genere(True, "nato", "nata") == "nata"
    assert _it.per_genere(None, "nato", "nata") == "nato/a"
    assert _it.plurale(1, "pagina", "pagine") == "1 pagina" and _it.plurale(2, "pagina", "pagine") == "2 pagine"
    assert _it.indeterminativo("impresa", "f") == "un'impresa" and _it.indeterminativo("ente") == "un ente"


# --- nomi propri delle società e Stati esteri ----------------------------------------------


def test_il_nome_di_una_societa_non_prende_articolo_ne_preposizione_articolata():
    f = _it.denominazione_articolata("Energia Verde Mugello S.p.A.", "f", articolo=False)
    assert (f["il"], f["del"], f["al"], f["dal"], f["nel"]) == (
        "Energia Verde Mugello S.p.A.", "di Energia Verde Mugello S.p.A.", "ad Energia Verde Mugello S.p.A.",
        "da Energia Verde Mugello S.p.A.", "in Energia Verde Mugello S.p.A.")
    # un nome che comincia con l'articolo resta tra caporali anche senza articolo
    assert _it.denominazione_articolata("Il Poggio S.r.l.", articolo=False)["del"] == "di «Il Poggio S.r.l.»"
    # con l'articolo, come prima
    assert _it.denominazione_articolata("Comune di Vicchio", "m")["del"] == "del Comune di Vicchio"


def test_stati_esteri_con_la_loro_preposizione():
    assert _it.e_stato_estero("Marocco") and _it.e_stato_estero("Stati Uniti d'America")
    assert not _it.e_stato_estero("Firenze") and not _it.e_stato_estero(None)
    assert _it.in_stato("Paesi Bassi") == "nei Paesi Bassi"
    assert _it.in_stato("Emirati Arabi Uniti") == "negli Emirati Arabi Uniti"
    assert _it.in_stato("Malta") == "a Malta"
    assert _it.luogo_di_nascita("Romania (EE)") == "in Romania"


@pytest.mark.parametrize("carica, attesa", [
    ("Procuratore speciale", "procuratore speciale"), ("Sindaco pro tempore", "sindaco pro tempore"),
    ("legale rappresentante", "legale rappresentante"), ("CEO", "CEO"), ("RUP del Comune", "RUP del Comune"),
    ("Presidente del Consiglio di Amministrazione", "presidente del Consiglio di Amministrazione"), ("A", "A"),
])
def test_una_carica_dentro_una_frase_perde_la_maiuscola_iniziale_ma_non_le_sigle(carica, attesa):
    from cer_docs.italiano import in_frase

    assert in_frase(carica) == attesa


@pytest.mark.parametrize("nome, atteso", [
    ("il codice fiscale", "del codice fiscale"), ("la partita IVA", "della partita IVA"), ("l'IBAN", "dell'IBAN"),
    ("lo statuto", "dello statuto"), ("gli atti", "degli atti"), ("Mario Rossi", "di Mario Rossi"),
])
def test_di_davanti_a_un_nome_con_l_articolo(nome, atteso):
    from cer_docs.italiano import di_articolato

    assert di_articolato(nome) == atteso
