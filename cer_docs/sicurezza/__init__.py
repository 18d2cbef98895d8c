"""Difese contro l'input ostile, condivise da tutti i lettori e gli scrittori di file.

- ``fogli``: celle di CSV/XLSX che un foglio di calcolo non eseguirà come formule;
- ``archivi``: controllo degli archivi ZIP (DOCX, XLSX, ZIP) prima di aprirli (bombe di decompressione);
- ``sistema``: errori del sistema operativo (disco pieno, sola lettura) in italiano;
- ``limiti``: limiti tecnici configurabili (non normativi), con la data in cui sono stati misurati.
"""
