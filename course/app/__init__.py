"""Launchers: the authors' and trainers' JupyterLab (``make lab``)."""
