"""The room's live vote: a JupyterHub-managed service behind the hub's own OAuth.

:mod:`hub.vote.ballot` is the vote itself (pure, no web); :mod:`hub.vote.service` serves it at
``/services/vote/`` to signed-in hub users only.
"""
