"""Casi d'uso: l'unica porta per la UI e la riga di comando."""
