"""Il registro delle pagine dell'interfaccia.

Per aggiungere una pagina (per esempio «Scadenze» o «PNRR»): crea il modulo in questa
cartella (``scadenze.py``: uno script che chiama ``componenti.esegui(corpo)``) e aggiungi una
riga a ``PAGINE``. ``app.py`` costruisce la navigazione da qui, e ``componenti.vai_a("scadenze")``
porta alla pagina portandosi dietro la pratica aperta.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CARTELLA = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Pagina:
    id: str              # anche l'indirizzo della pagina: /<id>
    file: str            # modulo in ui/pagine/
    titolo: str
    icona: str           # icona Material (":material/nome:")
    predefinita: bool = False
    sezione: str = "Lavoro"

    @property
    def percorso(self) -> Path:
        return CARTELLA / self.file

    @property
    def percorso_relativo(self) -> str:
        """Il percorso rispetto a ``ui/app.py``, come lo vogliono ``st.switch_page`` e AppTest."""
        return f"pagine/{self.file}"


PAGINE: tuple[Pagina, ...] = (
    Pagina("pratiche", "pratiche.py", "Pratiche", ":material/folder_open:", predefinita=True),
    Pagina("procedura", "procedura.py", "Procedura guidata", ":material/checklist:"),
    Pagina("verifiche", "verifiche.py", "Verifiche", ":material/fact_check:"),
    Pagina("documenti", "documenti.py", "Documenti", ":material/description:"),
    Pagina("scadenze", "scadenze.py", "Scadenze", ":material/event:"),
    Pagina("cronologia", "cronologia.py", "Cronologia", ":material/timeline:"),
    Pagina("pnrr", "pnrr.py", "Contributo PNRR", ":material/euro:"),
    Pagina("simulazione", "simulazione.py", "Simulazione economica", ":material/query_stats:"),
    Pagina("riparto", "riparto.py", "Riparto e pagamenti", ":material/account_balance_wallet:"),
    Pagina("campagne", "campagne.py", "Manifestazioni di interesse", ":material/campaign:"),
)


def pagina(pid: str) -> Pagina:
    for p in PAGINE:
        if p.id == pid:
            return p
    raise KeyError(pid)
