"""Issue certificates: results → decisions → signed claims → one PDF per learner who passed,
and ``certificates.csv`` listing every learner with what happened and why. Running it again
into the same folder replaces the certificates, and removes any an earlier run made for a
learner who has none now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from grader.cohort import outputs
from grader.cohort.ids import file_slug
from grader.exercise import UnknownExercise, load_exercise

from . import document
from .claims import Claims, ExerciseClaim, canonical, encode, nfc
from .results import Decision, PassMark, ResultsError, ResultsFolder

HEADER = ["learner", "name", "certificate", "number", "reason", "file"]


@dataclass(frozen=True)
class Issued:
    decision: Decision
    claims: Claims | None
    file: str


def claims_for(decision: Decision, *, provider: str, pass_mark: PassMark, issued: date,
               verify_url: str = "") -> Claims:
    """The signed details of a learner's certificate."""
    exercises = []
    for result in decision.results:
        try:
            exercise = load_exercise(result.exercise)
        except UnknownExercise as error:
            raise ResultsError(str(error)) from None
        minutes = exercise.key.minutes
        exercises.append(ExerciseClaim(id=exercise.id,
                                       title=f"Exercise {exercise.key.number}: {exercise.title}",
                                       score=result.score or 0.0, max=result.max_score,
                                       minutes=minutes))
    exercises.sort(key=lambda e: e.id)
    return Claims(provider=nfc(provider), name=nfc(decision.name), issued=issued,
                  pass_mark=str(pass_mark), cpd_minutes=sum(e.minutes for e in exercises),
                  exercises=tuple(exercises), verify_url=verify_url.strip()).with_number()


def sign(claims: Claims, key: Ed25519PrivateKey) -> str:
    """The verification text of ``claims``, signed with the provider's private key."""
    return encode(claims, key.sign(canonical(claims)))


def issue(folders: list[ResultsFolder], decisions: list[Decision], out: Path,
          key: Ed25519PrivateKey, *, provider: str, pass_mark: PassMark, issued: date,
          verify_url: str = "") -> list[Issued]:
    """Write a PDF for every learner who earned one, and ``certificates.csv``."""
    outputs.private_dir(out)
    done: list[Issued] = []
    used: set[str] = set()
    for decision in decisions:
        if not decision.issue:
            done.append(Issued(decision, None, ""))
            continue
        claims = claims_for(decision, provider=provider, pass_mark=pass_mark, issued=issued,
                            verify_url=verify_url)
        code = sign(claims, key)
        name = file_slug(decision.learner)
        while name.casefold() in used:
            name += "_"
        used.add(name.casefold())
        file = f"certificate-{name}.pdf"
        outputs.write_private(out / file, document.to_pdf(claims, code))
        done.append(Issued(decision, claims, file))
    wanted = {i.file for i in done if i.file}
    for old in out.glob("certificate-*.pdf"):
        if old.name not in wanted:  # from an earlier run, for a learner not issued one now
            old.unlink()
    rows = [[i.decision.learner, i.decision.name, "issued" if i.claims else "not issued",
             i.claims.number if i.claims else "", i.decision.reason, i.file] for i in done]
    outputs.write_private(out / "certificates.csv", outputs.csv_text(HEADER, rows))
    return done
