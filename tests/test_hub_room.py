"""A real room on JupyterHub, on loopback: passwords and the vote.

One hub for the whole test session (the `room` fixture in `tests/conftest.py`, opened with
`python -m hub open` as the trainer would): a trainer, three learners who do the whole exercise
flow in Chromium (`tests/browser/test_hub_flow.py`, with the privacy checks on its result), and
ten more who only vote. Every call goes through the hub's proxy with that person's own login, as
a browser would. Needs root (it makes Unix accounts); the accounts, their homes, the room folder
and every process are removed at the end, and the fixture checks that.
"""

from __future__ import annotations

import json

import pytest
from hub_room import FLOW_LEARNERS, why_not

pytestmark = [pytest.mark.hub, pytest.mark.timeout(1500)]
if why_not():
    pytest.skip(why_not(), allow_module_level=True)

def test_a_wrong_password_is_refused(room):
    first, second = room.learners[:2]
    assert not room.user(first).login("not-the-password")
    assert not room.user(first).login(room.passwords[second]), "another person's password"
    assert not room.user("nobody-on-the-roster").login("whatever-password")
    assert not room.user(room.trainer).login(room.passwords[first])
    assert room.user(first).login()


def test_a_vote_with_ten_learners(room):
    trainer = room.user(room.trainer)
    assert trainer.login()
    voters = [room.user(name) for name in room.learners[FLOW_LEARNERS:]]
    assert len(voters) >= 10

    # nothing answers without signing in
    anonymous = __import__("requests").get(f"{room.url}/services/vote/api/state",
                                           allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 403) and "phase" not in anonymous.text
    bridge = __import__("requests").get(f"{room.url}/services/vote/bridge",
                                        allow_redirects=False, timeout=30)
    assert bridge.status_code in (302, 403) and "data-xsrf" not in bridge.text
    anonymous = __import__("requests").post(f"{room.url}/services/vote/api/vote",
                                            json={"choice": "acceptable"},
                                            allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 403) and "phase" not in anonymous.text

    t_xsrf = trainer.vote_xsrf()
    reply = trainer.vote_api("POST", "open", t_xsrf, json={"post": "p003"})
    assert reply.status_code == 200 and reply.json()["phase"] == "open", reply.text
    assert "verdict" not in reply.json()

    tokens = []
    for voter in voters:
        assert voter.login()
        tokens.append(voter.vote_xsrf())
    seen = voters[0].vote_api("GET", "state", tokens[0]).json()
    assert seen["post"]["id"] == "p003" and seen["choices"] == ["acceptable", "not acceptable"]
    assert "verdict" not in seen and "votes" not in seen and "split" not in seen

    # a learner cannot run the vote
    for action in ("open", "close", "reveal"):
        refused = voters[0].vote_api("POST", action, tokens[0], json={"post": "p004"})
        assert refused.status_code == 403
    # and a vote without the XSRF token is not counted
    forged = voters[0].session.post(f"{room.url}/services/vote/api/vote",
                                    json={"choice": "acceptable"}, allow_redirects=False)
    assert forged.status_code in (302, 403)

    for i, (voter, xsrf) in enumerate(zip(voters, tokens, strict=True)):
        choice = "acceptable" if i < 7 else "not acceptable"
        reply = voter.vote_api("POST", "vote", xsrf, json={"choice": choice})
        assert reply.status_code == 200 and reply.json()["my_vote"] == choice, reply.text
    # two change their minds; one votes twice the same way: still one vote each
    voters[0].vote_api("POST", "vote", tokens[0], json={"choice": "not acceptable"})
    voters[1].vote_api("POST", "vote", tokens[1], json={"choice": "not acceptable"})
    voters[2].vote_api("POST", "vote", tokens[2], json={"choice": "acceptable"})
    count = trainer.vote_api("GET", "state", t_xsrf).json()
    assert count["votes"] == len(voters) and "split" not in count

    trainer.vote_api("POST", "close", t_xsrf)
    late = voters[3].vote_api("POST", "vote", tokens[3], json={"choice": "not acceptable"})
    assert late.status_code == 409

    revealed = trainer.vote_api("POST", "reveal", t_xsrf).json()
    assert revealed["split"] == {"acceptable": 5, "not acceptable": 5}
    assert revealed["verdict"] == "acceptable"
    everything = json.dumps(revealed) + voters[4].vote_api("GET", "state", tokens[4]).text
    assert not any(name in everything for name in room.learners), "a name in the vote"
    # the bridge (the app's pages take their XSRF token from it) carries no name either
    bridge_page = voters[4].session.get(f"{room.url}/services/vote/bridge", timeout=60)
    assert bridge_page.status_code == 200 and 'data-xsrf="' in bridge_page.text
    assert not any(name in bridge_page.text for name in [room.trainer, *room.learners])
    assert trainer.vote_api("POST", "end", t_xsrf).json()["phase"] == "idle"
