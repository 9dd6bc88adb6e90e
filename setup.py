"""Packaging hook: the wheel carries the released exercise notebooks.

Everything else is declared in pyproject.toml. The released notebooks live in ``exercises/``
(what learners are given, outside the Python packages); the grader needs them at run time, so
a build copies each ``exercises/<id>/<id>.ipynb`` into the wheel as
``grader/releases/<id>/<id>.ipynb`` (see ``grader/locations.py``). Editable installs read
``exercises/`` directly and need no copy.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithReleases(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for notebook in sorted((HERE / "exercises").glob("*/*.ipynb")):
            target = Path(self.build_lib) / "grader" / "releases" / notebook.parent.name
            self.mkpath(str(target))
            self.copy_file(str(notebook), str(target / notebook.name))


setup(cmdclass={"build_py": BuildWithReleases})
