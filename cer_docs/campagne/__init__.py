"""Manifestazione di interesse: conversione delle candidature in pratica, esportazioni."""
