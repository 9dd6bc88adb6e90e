/* Posting with Care: the room vote's client, for pages on the room's hub (the learner app's
   pages and the trainer's presentation). The vote service (hub/vote) is the only source of
   truth; this only talks to it.

   How it signs in: the service accepts the hub's own OAuth cookie, and for a script's request
   (fetch) JupyterHub also requires the service's XSRF token in an X-XSRFToken header. The
   token comes from the service's "bridge" page, loaded once in a hidden frame: that load is an
   ordinary navigation, so the hub's OAuth redirects run as for any page (no confirmation:
   oauth_no_confirm), and the bridge page carries the token. The frame is on the same origin, so
   this script reads the token from it and removes the frame. When the service stops knowing
   the cookie (it restarted, or the person signed out), a request is redirected or refused;
   the client then fetches a new token once and tries again. */
(function () {
  "use strict";
  if (window.PwcRoomVote) { return; }

  function RoomVote(base) {
    this.base = base;
    this.token = null;
    this.waiting = null;
  }

  RoomVote.prototype.signIn = function () {
    var self = this;
    if (self.token) { return Promise.resolve(self.token); }
    if (self.waiting) { return self.waiting; }
    self.waiting = new Promise(function (resolve, reject) {
      var frame = document.createElement("iframe");
      var timer = window.setTimeout(function () { finish(null); }, 30000);
      function finish(token) {
        window.clearTimeout(timer);
        if (frame.parentNode) { frame.parentNode.removeChild(frame); }
        self.waiting = null;
        if (token) { self.token = token; resolve(token); }
        else { reject(new Error("The room vote could not sign in.")); }
      }
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.setAttribute("aria-hidden", "true");
      frame.title = "Room vote (sign-in)";
      frame.addEventListener("load", function () {
        var token = null;
        try {
          var body = frame.contentDocument && frame.contentDocument.body;
          token = body && body.getAttribute("data-xsrf");
        } catch (error) { token = null; }
        finish(token);
      });
      frame.src = self.base + "bridge";
      document.body.appendChild(frame);
    });
    return self.waiting;
  };

  RoomVote.prototype.request = function (method, action, body) {
    var self = this;
    return self.signIn().then(function (token) {
      return window.fetch(self.base + "api/" + action, {
        method: method,
        credentials: "same-origin",
        redirect: "manual",
        cache: "no-store",
        headers: {"X-XSRFToken": token, "Content-Type": "application/json"},
        body: method === "GET" ? undefined : JSON.stringify(body || {})
      });
    });
  };

  /* One call to the service; resolves with its JSON answer (which may carry "error"). */
  RoomVote.prototype.call = function (method, action, body) {
    var self = this;
    function signedOut(reply) {
      // a stale cookie: a GET is redirected to the hub's sign-in, a POST refused
      return reply.type === "opaqueredirect" || reply.status === 0 || reply.status === 403;
    }
    return self.request(method, action, body).then(function (reply) {
      if (!signedOut(reply)) { return reply; }
      self.token = null;
      return self.request(method, action, body);
    }).then(function (reply) {
      if (reply.type === "opaqueredirect" || reply.status === 0) {
        self.token = null;
        throw new Error("The room vote could not sign in.");
      }
      return reply.json();
    });
  };

  RoomVote.prototype.state = function () { return this.call("GET", "state"); };
  RoomVote.prototype.act = function (action, body) { return this.call("POST", action, body); };

  window.PwcRoomVote = RoomVote;
}());
