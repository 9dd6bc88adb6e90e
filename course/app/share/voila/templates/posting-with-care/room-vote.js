/* Posting with Care: the room's vote on a learner's app page (on the room's hub only).

   The page's first cell draws a marker, div.pwc-room-vote[data-vote="/services/vote/"], only
   when the app runs on the room's hub for a learner (course.app.settings). Without the marker
   this script does nothing and never uses the network. With it, it asks the vote service for
   the vote's state every two seconds; while a vote is open it shows the post and its choices
   in a panel at the foot of the screen (a labelled radio group; one vote, changeable until
   the vote closes); after the trainer's Reveal, the room's split and the course's verdict.
   When no vote is open, nothing shows. */
(function () {
  "use strict";
  var started = false;
  var POLL_MS = 2000;

  function label(choice) { return choice.charAt(0).toUpperCase() + choice.slice(1); }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function style() {
    var css = [
      ".pwc-vote { position: fixed; left: 0; right: 0; bottom: 0; z-index: 1000;",
      "  max-height: 60vh; overflow: auto; box-sizing: border-box; padding: 0.8rem 1rem 1rem;",
      "  background: #ffffff; color: #1f2328; border-top: 4px solid #0b5cad;",
      "  box-shadow: 0 -4px 18px rgba(0, 0, 0, 0.18); font: 1rem/1.5 system-ui, sans-serif; }",
      ".pwc-vote[hidden] { display: none; }",
      ".pwc-vote-inner { max-width: 46rem; margin: 0 auto; }",
      ".pwc-vote h2 { font-size: 1.1rem; margin: 0 0 0.4rem; color: #0b3d91; }",
      ".pwc-vote-post { margin: 0 0 0.6rem; padding: 0.5rem 0.8rem; border-left: 4px solid #8c959f;",
      "  background: #f6f8fa; border-radius: 4px; }",
      ".pwc-vote-who { margin: 0; color: #57606a; font-size: 0.9rem; }",
      ".pwc-vote-text { margin: 0.2rem 0 0; overflow-wrap: anywhere; }",
      ".pwc-vote fieldset { border: 0; margin: 0; padding: 0; }",
      ".pwc-vote legend { font-weight: 700; padding: 0; margin-bottom: 0.3rem; }",
      ".pwc-vote-choices { display: flex; flex-wrap: wrap; gap: 0.5rem; }",
      ".pwc-vote-choice { display: flex; align-items: center; gap: 0.5rem; min-height: 44px;",
      "  padding: 0.3rem 0.9rem; border: 2px solid #0b5cad; border-radius: 8px; cursor: pointer;",
      "  color: #0b3d91; background: #ffffff; }",
      ".pwc-vote-choice input { width: 1.2rem; height: 1.2rem; margin: 0; accent-color: #0b5cad; }",
      ".pwc-vote-choice.pwc-chosen { background: #ddeeff; font-weight: 700; }",
      ".pwc-vote-choice:focus-within { outline: 3px solid #0b5cad; outline-offset: 2px; }",
      ".pwc-vote fieldset:disabled .pwc-vote-choice { cursor: default; border-color: #6e7781;",
      "  color: #424a53; }",
      ".pwc-vote-status { margin: 0.5rem 0 0; }",
      ".pwc-vote-result { margin: 0.5rem 0 0; }",
      ".pwc-vote-result[hidden] { display: none; }",
      ".pwc-vote-split { font-weight: 700; margin: 0; }",
      ".pwc-vote-verdict { margin: 0.3rem 0 0; }",
      "@media (max-width: 600px) { .pwc-vote { padding: 0.6rem 0.7rem 0.8rem; }",
      "  .pwc-vote-choice { flex: 1 1 100%; } }"
    ].join("\n");
    document.head.appendChild(element("style", {}, css));
  }

  function Panel(client) {
    this.client = client;
    this.round = null;
    this.last = "";
    this.root = element("section", {"class": "pwc-vote", "aria-labelledby": "pwc-vote-title",
                                    "hidden": ""});
    var inner = element("div", {"class": "pwc-vote-inner"});
    inner.appendChild(element("h2", {"id": "pwc-vote-title"}, "Room vote"));
    this.post = element("blockquote", {"class": "pwc-vote-post"});
    this.who = element("p", {"class": "pwc-vote-who"});
    this.text = element("p", {"class": "pwc-vote-text"});
    this.post.appendChild(this.who);
    this.post.appendChild(this.text);
    inner.appendChild(this.post);
    this.fieldset = element("fieldset", {"role": "radiogroup",
                                         "aria-labelledby": "pwc-vote-question"});
    this.fieldset.appendChild(element("legend", {"id": "pwc-vote-question"},
                                      "Your vote: is this post acceptable?"));
    this.choices = element("div", {"class": "pwc-vote-choices"});
    this.fieldset.appendChild(this.choices);
    inner.appendChild(this.fieldset);
    this.status = element("p", {"class": "pwc-vote-status", "aria-live": "polite"});
    inner.appendChild(this.status);
    this.result = element("div", {"class": "pwc-vote-result", "aria-live": "polite",
                                  "hidden": ""});
    this.split = element("p", {"class": "pwc-vote-split"});
    this.verdict = element("p", {"class": "pwc-vote-verdict"});
    this.result.appendChild(this.split);
    this.result.appendChild(this.verdict);
    inner.appendChild(this.result);
    this.root.appendChild(inner);
    document.body.appendChild(this.root);
  }

  Panel.prototype.cast = function (choice) {
    var self = this;
    self.status.textContent = "Sending your vote…";
    self.client.act("vote", {choice: choice}).then(function (state) { self.show(state); })
      .catch(function () { self.status.textContent = "Your vote did not arrive. Please try again."; });
  };

  Panel.prototype.build = function (state) {
    var self = this;
    var post = state.post;
    self.who.textContent = [post.display_name + (post.handle ? " " + post.handle : ""),
                            post.platform].join(" · ");
    self.text.textContent = post.text;
    while (self.choices.firstChild) { self.choices.removeChild(self.choices.firstChild); }
    state.choices.forEach(function (choice, i) {
      var id = "pwc-vote-choice-" + i;
      var box = element("label", {"class": "pwc-vote-choice", "for": id});
      var input = element("input", {"type": "radio", "name": "pwc-vote-choice", "id": id,
                                    "value": choice});
      input.addEventListener("change", function () { if (input.checked) { self.cast(choice); } });
      box.appendChild(input);
      box.appendChild(document.createTextNode(label(choice)));
      self.choices.appendChild(box);
    });
  };

  Panel.prototype.show = function (state) {
    var self = this;
    var on = state && state.phase && state.phase !== "idle" && state.post;
    if (!on) {
      self.root.hidden = true;
      document.body.style.paddingBottom = "";
      self.round = null;
      return;
    }
    if (state.round !== self.round) {
      self.round = state.round;
      self.build(state);
    }
    var open = state.phase === "open";
    self.fieldset.disabled = !open;
    Array.prototype.forEach.call(self.choices.querySelectorAll("input"), function (input) {
      input.checked = input.value === state.my_vote;
      input.parentNode.classList.toggle("pwc-chosen", input.checked);
    });
    var message = state.error ? state.error + " " : "";
    if (open) {
      message += state.my_vote
        ? "Your vote: " + label(state.my_vote) + ". You can change it until the vote closes."
        : "Choose one. Nobody sees who voted for what.";
    } else {
      message += "The vote has closed." +
        (state.my_vote ? " Your vote: " + label(state.my_vote) + "." : "");
    }
    if (message !== self.last) { self.status.textContent = message; self.last = message; }
    var revealed = state.phase === "revealed";
    self.result.hidden = !revealed;
    if (revealed) {
      var total = state.votes || 0;
      self.split.textContent = total === 0 ? "The room: nobody voted." : "The room: " +
        state.choices.map(function (choice) {
          return state.split[choice] + " of " + total + " said " + choice;
        }).join(", ") + ".";
      self.verdict.textContent = "The course's verdict: " + label(state.verdict) + ". " +
        (state.explanation || "");
    }
    self.root.hidden = false;
    document.body.style.paddingBottom = self.root.offsetHeight + "px";
  };

  Panel.prototype.poll = function () {
    var self = this;
    function again() { window.setTimeout(function () { self.poll(); }, POLL_MS); }
    if (document.visibilityState === "hidden") { again(); return; }
    self.client.state().then(function (state) { self.show(state); }, function () { self.show(null); })
      .then(again, again);
  };

  function start(marker) {
    if (started || !window.PwcRoomVote) { return; }
    started = true;
    style();
    new Panel(new window.PwcRoomVote(marker.getAttribute("data-vote"))).poll();
  }

  function look() {
    var marker = document.querySelector(".pwc-room-vote[data-vote]");
    if (marker) { start(marker); }
  }
  var watcher = new MutationObserver(function () {
    look();
    if (started) { watcher.disconnect(); }
  });
  watcher.observe(document.documentElement, {childList: true, subtree: true});
  look();
}());
