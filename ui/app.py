"""cer-docs: l'interfaccia web. Avvio: ``cer-docs avvia`` (oppure ``streamlit run ui/app.py``).

La navigazione nasce dal registro ``ui/pagine/__init__.py``: per una pagina nuova basta un
modulo in ``ui/pagine/`` e una riga in ``PAGINE``.
"""

from __future__ import annotations

import sys
from pathlib import Path

RADICE = Path(__file__).resolve().parents[1]
if str(RADICE) not in sys.path:
    sys.path.insert(0, str(RADICE))

import streamlit as st  # noqa: E402

from ui import componenti  # noqa: E402
from ui.pagine import PAGINE  # noqa: E402

st.set_page_config(page_title="cer-docs", page_icon=":material/solar_power:", layout="wide",
                   initial_sidebar_state="auto")
st.set_option("client.showErrorDetails", "none")  # mai un traceback nella pagina
st.set_option("client.toolbarMode", "minimal")

navigazione = st.navigation(
    [st.Page(p.percorso_relativo, title=p.titolo, icon=p.icona, url_path=p.id, default=p.predefinita)
     for p in PAGINE],
    position="sidebar",
)
componenti.barra_laterale()
navigazione.run()
