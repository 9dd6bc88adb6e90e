"""The static verification page: one HTML file holding the provider's public key, that checks a
certificate's verification text in the browser, offline, with nothing to install.

It uses the browser's own Ed25519 (WebCrypto: current Chrome, Edge, Firefox and Safari); no
script library is bundled. A browser without it is told so plainly. The text comes from the
address after ``#`` (what the QR code opens when the page's address was given at issue) or is
pasted in. What it shows is set as text, never as markup.
"""

from __future__ import annotations

import json

import jinja2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from markupsafe import Markup

from course.catalogue.wording import MONTHS

from .claims import PREFIX
from .keys import raw_public


def render(key: Ed25519PublicKey, provider: str) -> str:
    settings = {"key": raw_public(key), "provider": provider, "prefix": PREFIX,
                "months": MONTHS.split()}
    data = json.dumps(settings, ensure_ascii=True).replace("<", "\\u003c")
    return _TEMPLATE.render(provider=provider, settings=Markup(data), script=Markup(_SCRIPT))


_SCRIPT = r"""
"use strict";
const S = JSON.parse(document.getElementById("pwc-settings").textContent);
const $ = (id) => document.getElementById(id);

function bytes(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const raw = atob(b64);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}
function longDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d} ${S.months[m - 1]} ${y}`;
}
function duration(minutes) {
  const hours = Math.floor(minutes / 60), rest = minutes % 60, parts = [];
  if (hours) parts.push(`${hours} hour${hours === 1 ? "" : "s"}`);
  if (rest || !hours) parts.push(`${rest} minute${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}
function say(kind, title, detail) {
  const box = $("pwc-result");
  box.className = "result " + kind;
  box.hidden = false;
  $("pwc-result-title").textContent = title;
  $("pwc-result-detail").textContent = detail || "";
  $("pwc-claims").hidden = true;
}
function show(claims) {
  const rows = [["Name", claims.name], ["Course", claims.course],
    ["Issued on", longDate(claims.issued)], ["Issued by", claims.provider],
    ["CPD time", duration(claims.cpd_minutes) + " (the course's time for the exercises listed)"],
    ["Pass mark", claims.pass_mark + " in each exercise listed"],
    ["Certificate number", claims.number]];
  for (const e of claims.exercises) rows.push([e.title, `${e.score} out of ${e.max}`]);
  const list = $("pwc-claims");
  list.replaceChildren();
  for (const [label, value] of rows) {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = label; dd.textContent = value;
    list.append(dt, dd);
  }
  list.hidden = false;
}
async function check(input) {
  let text = input.replace(/\s+/g, "");
  if (!text) { $("pwc-result").hidden = true; return; }
  if (text.includes("#")) text = text.slice(text.lastIndexOf("#") + 1);
  if (/^PWC-[A-Z0-9]{4}-[A-Z0-9]{4}$/i.test(text)) {
    return say("bad", "That is a certificate number, not its verification text.",
      "The number alone cannot be checked. Scan the certificate's QR code, or paste the " +
      "block of text printed under it.");
  }
  const parts = text.split(".");
  if (parts.length !== 3 || parts[0] !== S.prefix) {
    return say("bad", "Not verified: this is not a verification text.",
      `A verification text starts with ${S.prefix}. and has three parts separated by dots. ` +
      "Paste all of it.");
  }
  let payload, signature, claims;
  try {
    payload = bytes(parts[1]); signature = bytes(parts[2]);
    claims = JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(payload));
  } catch (error) {
    return say("bad", "Not verified: the text is damaged.",
      "Part of it is missing or was changed. Paste the whole text again, or scan the QR code.");
  }
  let key;
  try {
    if (!window.crypto || !crypto.subtle) throw new Error("no WebCrypto");
    const raw = Uint8Array.from(atob(S.key), (c) => c.charCodeAt(0));
    key = await crypto.subtle.importKey("raw", raw, {name: "Ed25519"}, false, ["verify"]);
  } catch (error) {
    return say("bad", "This browser cannot check signatures.",
      "It does not support Ed25519 signatures. Open this page in a current version of " +
      "Chrome, Edge, Firefox or Safari.");
  }
  let ok = false;
  try {
    ok = await crypto.subtle.verify({name: "Ed25519"}, key, signature, payload);
  } catch (error) { ok = false; }
  if (!ok) {
    return say("bad", "Not verified: the signature does not match.",
      `Either the details were changed after ${S.provider} signed them, or the certificate ` +
      `was not issued by ${S.provider}.`);
  }
  say("good", `Verified: issued and signed by ${S.provider}.`,
    "These are the details that were signed. Check that the certificate you were shown says " +
    "exactly the same; if anything differs, it was edited.");
  show(claims);
}
$("pwc-check").addEventListener("click", () => check($("pwc-code").value));
window.addEventListener("hashchange", () => { $("pwc-code").value = location.hash.slice(1);
  check(location.hash.slice(1)); });
if (location.hash.length > 1) {
  $("pwc-code").value = decodeURIComponent(location.hash.slice(1));
  check($("pwc-code").value);
}
"""

_TEMPLATE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>Check a certificate from {{ provider }}</title>
<style>
body { margin: 0; color: #1f2328; background: #fff;
  font: 1.05rem/1.5 "Noto Sans", "Segoe UI", system-ui, sans-serif; }
main { max-width: 42rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.5rem; }
label { display: block; font-weight: 700; margin: 1.2rem 0 0.3rem; }
textarea { width: 100%; min-height: 7rem; font: 0.9rem/1.4 monospace; padding: 0.5rem;
  border: 2px solid #57606a; border-radius: 6px; box-sizing: border-box; }
button { margin-top: 0.6rem; font: inherit; font-weight: 700; padding: 0.5rem 1.2rem;
  color: #fff; background: #0b5cad; border: none; border-radius: 6px; cursor: pointer; }
button:focus-visible, textarea:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
.result { margin-top: 1.5rem; padding: 1rem 1.2rem; border-radius: 6px; border-left: 6px solid; }
.result.good { background: #e9f6ec; border-color: #1a7f37; }
.result.bad { background: #fdecea; border-color: #b42318; }
.result h2 { margin: 0 0 0.3rem; font-size: 1.15rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 700; }
dd { margin: 0; unicode-bidi: plaintext; text-align: left; }
.note { color: #3d4450; font-size: 0.95rem; }
</style>
</head>
<body>
<main>
<h1>Check a certificate from {{ provider }}</h1>
<p>Certificates of the course <em>Posting with Care</em> issued by {{ provider }} are signed
digitally. This page checks the signature with {{ provider }}'s public key, which it holds. It
works offline and sends nothing anywhere.</p>
<p>Scan the certificate's QR code with your phone's camera to open this page with the code
filled in, or paste the block of text printed under the QR code here:</p>
<label for="pwc-code">Verification text</label>
<textarea id="pwc-code" spellcheck="false" autocomplete="off"
 placeholder="PWC1.…"></textarea>
<button type="button" id="pwc-check">Check the certificate</button>
<section id="pwc-result" class="result" role="status" aria-live="polite" hidden>
<h2 id="pwc-result-title"></h2>
<p id="pwc-result-detail"></p>
<dl id="pwc-claims" hidden></dl>
</section>
<p class="note">A certificate that verifies was issued by {{ provider }} with exactly the
details shown here. This page cannot tell whether the person showing it is the person named:
check that as you would for any certificate.</p>
</main>
<script type="application/json" id="pwc-settings">{{ settings }}</script>
<script>{{ script }}</script>
</body>
</html>
"""
)
