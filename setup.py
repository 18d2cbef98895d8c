"""Build: copia nel pacchetto le risorse che stanno nella radice del progetto.

Tutta la configurazione è in ``pyproject.toml``; qui c'è solo il passo che mette ``templates/``,
``ui/`` e ``samples/`` dentro ``cer_docs/_risorse/`` della ruota, perché ``pip install .`` dia uno
strumento completo (modelli dei documenti, interfaccia web, pratiche d'esempio). ``cer_docs.risorse``
le cerca prima lì e poi nella radice della copia di lavoro.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RISORSE = ("templates", "ui", "samples")


class BuildConRisorse(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # installazione modificabile: le risorse restano nella copia di lavoro
            return
        radice = Path(__file__).resolve().parent
        for nome in RISORSE:
            dest = Path(self.build_lib) / "cer_docs" / "_risorse" / nome
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(radice / nome, dest,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "secrets.toml"))


setup(cmdclass={"build_py": BuildConRisorse})
