"""Interfaccia web di cer-docs (Streamlit): ``app.py`` più pagine sottili che chiamano solo i servizi."""
