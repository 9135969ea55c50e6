/* The answer form: growing textareas, live word counts, autosave with conflict handling,
   and a copy of unsaved text in localStorage so that nothing typed is ever lost.
   Works on the markup of templates/responses/edit.html; the form also posts without JS.
   Each kind of field reads and writes its value through answer-fields.js (loaded first). */
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  var kinds = window.MRAnswerFields;
  if (!form || !window.fetch || !kinds) return;

  var DELAY_MS = 2000;
  var RETRY_MS = 20000;
  var autosaveUrl = form.dataset.autosaveUrl;
  var tokenUrl = form.dataset.tokenUrl;
  var loginUrl = form.dataset.loginUrl;
  var responseId = form.dataset.responseId;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.content : "";
  var numbers = new Intl.NumberFormat("sv-SE");
  var fields = {};
  var submitting = false;

  // --- small helpers -----------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function clock(iso) {
    var date = iso ? new Date(iso) : new Date();
    return date.toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
  }
  function words(text) {
    var found = text.trim().match(/\S+/g);
    return found ? found.length : 0;
  }
  function grow(area) {
    area.style.height = "auto";
    area.style.height = (area.scrollHeight + 4) + "px";
  }

  // --- the local copy of unsaved values -----------------------------------------------
  function storageKey(name) { return "mr-unsaved:" + responseId + ":" + name; }
  function remember(name, value, version) {
    try {
      localStorage.setItem(storageKey(name),
        JSON.stringify({ value: value, version: version, at: Date.now() }));
    } catch (e) { /* storage full or disabled: the field itself still holds the text */ }
  }
  function recall(name) {
    try { return JSON.parse(localStorage.getItem(storageKey(name)) || "null"); }
    catch (e) { return null; }
  }
  function forget(name) {
    try { localStorage.removeItem(storageKey(name)); } catch (e) { /* ignore */ }
  }

  // --- talking to the server ------------------------------------------------------------
  function post(payload) {
    return fetch(autosaveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": token },
      body: JSON.stringify(payload)
    }).then(function (reply) {
      return reply.json().catch(function () { return {}; }).then(function (body) {
        return { status: reply.status, body: body };
      });
    });
  }
  function refreshToken() {
    // After a new login (in another tab) the page's token no longer matches the session.
    return fetch(tokenUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (reply) {
        if (reply.status !== 200) return false;
        return reply.json().then(function (body) {
          token = body.token;
          if (meta) meta.content = token;
          var hidden = form.querySelector('input[name="csrf_token"]');
          if (hidden) hidden.value = token;
          return true;
        });
      }).catch(function () { return false; });
  }
  function send(payload) {
    return post(payload).then(function (result) {
      if (result.status === 400 && result.body.error === "csrf") {
        return refreshToken().then(function (ok) {
          return ok ? post(payload) : { status: 401, body: { error: "login" } };
        });
      }
      return result;
    });
  }

  // --- one autosaved field ----------------------------------------------------------------
  function Field(box) {
    this.box = box;
    this.name = box.dataset.field;
    this.kind = box.dataset.kind;
    this.versionInput = box.querySelector("[data-version]");
    this.statusBox = box.querySelector("[data-status]");
    this.warningsBox = box.querySelector("[data-warnings]");
    this.area = kinds.area(box, this.kind);
    this.counter = box.querySelector("[data-word-count]");
    this.timer = null;
    this.busy = false;
    this.again = false;
    this.retry = false;
    this.stopped = false;
    this.conflict = !!box.querySelector("[data-conflict-for]");
    this.lastSaved = JSON.stringify(this.serverValue());
  }
  Field.prototype.version = function () { return parseInt(this.versionInput.value, 10) || 0; };
  Field.prototype.value = function () { return kinds.value(this); };
  Field.prototype.serverValue = function () { return kinds.serverValue(this); };
  Field.prototype.setValue = function (value) {
    kinds.setValue(this, value);
    this.refresh();
  };
  Field.prototype.refresh = function () {
    if (this.area && this.area.tagName === "TEXTAREA") grow(this.area);
    if (this.counter) this.counter.textContent = numbers.format(words(this.area.value)) + " ord";
  };
  Field.prototype.dirty = function () { return JSON.stringify(this.value()) !== this.lastSaved; };
  Field.prototype.status = function (text, kind, extra) {
    this.statusBox.textContent = text;
    this.statusBox.className = "save-status" + (kind ? " save-status-" + kind : "");
    if (extra) this.statusBox.appendChild(extra);
  };
  Field.prototype.changed = function (now) {
    remember(this.name, this.value(), this.version());
    this.refresh();
    clearTimeout(this.timer);
    if (this.conflict) {
      this.status("Inte sparat: välj först vilken text som ska gälla (se nedan).", "error");
      return;
    }
    var self = this;
    this.timer = setTimeout(function () { self.save(); }, now ? 0 : DELAY_MS);
  };
  Field.prototype.save = function (force) {
    clearTimeout(this.timer);
    if (this.conflict || this.stopped || submitting) return;
    if (this.busy) { this.again = true; return; }
    if (!force && !this.dirty()) return;
    var self = this;
    var value = this.value();
    this.busy = true;
    this.status("Sparar …", "busy");
    send({ field: this.name, value: value, version: this.version() })
      .then(function (result) { self.handle(result, value); },
            function () { self.offline(); })
      .then(function () {
        self.busy = false;
        if (self.again) { self.again = false; self.save(); }
      });
  };
  Field.prototype.handle = function (result, sent) {
    var body = result.body || {};
    if (result.status === 200 && body.ok) {
      this.versionInput.value = body.version;
      this.lastSaved = JSON.stringify(sent);
      this.retry = false;
      kinds.invalid(this, false);
      kinds.settle(this, sent, body.value);
      if (!this.dirty()) forget(this.name);
      this.status(body.saved_at ? "Sparat " + clock(body.saved_at) : body.saved_label, "ok");
      this.showWarnings(body.warnings || []);
    } else if (result.status === 409 && body.conflict) {
      this.retry = false;
      showConflict(this, body);
      this.status("Inte sparat: en kollega har sparat en annan version. Din text finns kvar.",
        "error");
    } else if (result.status === 401) {
      this.retry = true;
      this.status("Din session har gått ut – texten finns kvar. ", "error", loginHelp());
    } else if (result.status === 422) {
      kinds.invalid(this, true);
      this.status(body.message || "Texten kunde inte sparas. Den finns kvar i fältet.", "error");
    } else if (result.status === 403 || (result.status === 409 && body.error === "not_editable")) {
      this.stopped = true;
      this.status((body.message || "Du kan inte ändra svaret.") +
        " Texten finns kvar i fältet och i webbläsaren.", "error");
    } else {
      this.retry = true;
      this.status("Kunde inte spara (fel " + result.status + "). Texten finns kvar; " +
        "vi försöker igen strax.", "error", retryButton(this));
    }
  };
  Field.prototype.offline = function () {
    this.retry = true;
    this.status("Kunde inte nå servern. Texten finns kvar här och i webbläsaren; " +
      "vi försöker igen strax.", "error", retryButton(this));
  };
  Field.prototype.showWarnings = function (warnings) {
    if (!this.warningsBox) return;
    this.warningsBox.textContent = "";
    var box = this.warningsBox;
    warnings.forEach(function (text) { box.appendChild(el("p", "notice notice-warning", text)); });
  };

  function loginHelp() {
    var span = el("span");
    var link = el("a", "", "Logga in i en ny flik");
    link.href = loginUrl;
    link.target = "_blank";
    link.rel = "noopener";
    span.appendChild(link);
    span.appendChild(document.createTextNode(" och spara igen. "));
    return span;
  }
  function retryButton(field) {
    var button = el("button", "button-link", "Spara igen");
    button.type = "button";
    button.addEventListener("click", function () { field.save(true); });
    return button;
  }

  // --- conflicts ---------------------------------------------------------------------------
  function showConflict(field, body) {
    var old = field.box.querySelector("[data-conflict-for]");
    if (old) old.remove();
    field.conflict = true;
    var panel = el("div", "conflict");
    panel.setAttribute("role", "alert");
    panel.dataset.conflictFor = field.name;
    panel.dataset.currentVersion = body.current_version;
    panel.savedValue = body.current_value;
    var title = el("p", "conflict-title");
    title.appendChild(el("strong", "", "Någon annan har sparat samtidigt som du. "));
    title.appendChild(document.createTextNode("Inget har skrivits över. Välj vilken text " +
      "som ska gälla, eller slå ihop dem i fältet och tryck på Behåll min text."));
    panel.appendChild(title);
    var columns = el("div", "conflict-columns");
    [["Din text", body.your_value],
     ["Sparad av " + body.updated_by + " " + (body.updated_label || ""), body.current_value]]
      .forEach(function (pair) {
        var column = el("div", "conflict-column");
        column.appendChild(el("h4", "", pair[0]));
        column.appendChild(el("div", "answer-text conflict-text", kinds.describe(field, pair[1])));
        columns.appendChild(column);
      });
    panel.appendChild(columns);
    var actions = el("div", "actions conflict-actions");
    [["keep", "Behåll min text", "button"],
     ["use-saved", "Använd den sparade texten", "button button-secondary"]]
      .forEach(function (spec) {
        var button = el("button", spec[2], spec[1]);
        button.type = "button";
        button.dataset.conflictAction = spec[0];
        actions.appendChild(button);
      });
    panel.appendChild(actions);
    field.box.appendChild(panel);
  }
  function resolve(button) {
    var panel = button.closest("[data-conflict-for]");
    var field = fields[panel.dataset.conflictFor];
    if (!field) return;
    var saved = panel.savedValue !== undefined ? panel.savedValue :
      JSON.parse(panel.dataset.savedValue);
    field.versionInput.value = panel.dataset.currentVersion;
    field.conflict = false;
    field.stopped = false;
    panel.remove();
    if (button.dataset.conflictAction === "use-saved") {
      field.setValue(saved);
      field.lastSaved = JSON.stringify(field.value());
      forget(field.name);
      field.status("Den sparade texten används.", "ok");
    } else {
      field.save(true);  // the user's text, on top of the version just seen
    }
    var focus = field.area || field.box.querySelector("input:checked, input");
    if (focus) focus.focus();
  }

  // --- unsaved text from an earlier visit ----------------------------------------------
  function offerRestore(field) {
    var kept = recall(field.name);
    if (!kept) return;
    var shown = JSON.stringify(field.value());
    if (JSON.stringify(kept.value) === shown) {
      if (!field.conflict && shown === field.lastSaved) forget(field.name);
      return;
    }
    var notice = el("div", "notice notice-warning restore-offer");
    notice.setAttribute("role", "alert");
    notice.appendChild(el("p", "", "Det finns osparad text från " +
      new Date(kept.at).toLocaleString("sv-SE") + " i den här webbläsaren som skiljer sig " +
      "från den sparade texten."));
    var actions = el("div", "actions");
    var restore = el("button", "button", "Återställ osparad text");
    var discard = el("button", "button button-secondary", "Släng den osparade texten");
    restore.type = discard.type = "button";
    restore.addEventListener("click", function () {
      notice.remove();
      field.setValue(kept.value);
      // Save on top of the version the text was written on: a newer colleague's text
      // then shows as a conflict instead of being overwritten.
      if (typeof kept.version === "number") field.versionInput.value = kept.version;
      field.save(true);
    });
    discard.addEventListener("click", function () {
      notice.remove();
      forget(field.name);
    });
    actions.appendChild(restore);
    actions.appendChild(discard);
    notice.appendChild(actions);
    field.box.insertBefore(notice, field.statusBox);
  }

  // --- wiring ---------------------------------------------------------------------------
  form.querySelectorAll("[data-field]").forEach(function (box) {
    var field = new Field(box);
    fields[field.name] = field;
    field.refresh();
    if (field.area) {
      field.area.addEventListener("input", function () { field.changed(false); });
      field.area.addEventListener("blur", function () {
        // A field waiting for a retry (session expired, server down) keeps its message:
        // saving on blur would replace the "Logga in i en ny flik" link or the "Spara
        // igen" button just as the user moves to it with Tab or the mouse.
        if (!field.retry) field.save();
        kinds.tidy(field);
      });
      kinds.wire(field);
    }
    box.querySelectorAll('input[type="radio"], input[type="checkbox"]').forEach(function (input) {
      input.addEventListener("change", function () { field.changed(true); });
    });
    offerRestore(field);
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-conflict-action]");
    if (button) {
      event.preventDefault();
      resolve(button);
    }
  });
  form.addEventListener("submit", function () { submitting = true; });

  function retryAll() {
    Object.keys(fields).forEach(function (name) {
      if (fields[name].retry) fields[name].save(true);
    });
  }
  window.addEventListener("focus", retryAll);
  window.addEventListener("online", retryAll);
  setInterval(retryAll, RETRY_MS);
  window.addEventListener("beforeunload", function (event) {
    if (submitting) return;
    var unsaved = Object.keys(fields).some(function (name) { return fields[name].dirty(); });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
