"""Documenti: catalogo, libreria delle clausole, scrittori DOCX e PDF, verifica dello statuto."""
