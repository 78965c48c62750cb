// The staff area in the browser: login, the conversations with filters,
// search and exports, one transcript (masked; an admin may reveal it with a
// reason) with review marks and annotations, the misunderstood inbox, and
// for admins the audit log and one person's data (access and erasure). It talks only to /v1/staff/ on this service;
// every sentence comes from locales/ (the service puts them below); every
// text from the service is put into the page as text, never as markup.
(function () {
  "use strict";
  var TEXTS = /*wegwijs:text*/{};
  var lang = /^en\b/.test(new URLSearchParams(location.search).get("lang") || "") ? "en" : "nl";
  var me = null;
  // Message keys whole, so that the service can check that each exists.
  var ROLES = { reviewer: "staff.role.reviewer", admin: "staff.role.admin" };
  var COLS = { started: "staff.col.started", channel: "staff.col.channel", language: "staff.col.language",
               desk: "staff.col.desk", product: "staff.col.product", opening: "staff.col.opening",
               outcome: "staff.col.outcome", review: "staff.col.review" };
  var OUTCOMES = { booked: "staff.outcome.booked", cancelled: "staff.outcome.cancelled", moved: "staff.outcome.moved",
                   no_appointment: "staff.outcome.no_appointment", human: "staff.outcome.human",
                   misunderstood: "staff.outcome.misunderstood", abandoned: "staff.outcome.abandoned" };
  var FLAGS = { fallback: "staff.flag.fallback", correction: "staff.flag.correction", low_confidence: "staff.flag.low_confidence" };
  var AUDIT_COLS = { at: "staff.audit_col.at", account: "staff.audit_col.account", action: "staff.audit_col.action",
                     conversation: "staff.audit_col.conversation", detail: "staff.audit_col.detail",
                     address: "staff.audit_col.address" };

  // What the service's error codes mean to a clerk; anything else: "staff.error".
  var PROBLEMS = { invalid_login: "staff.invalid_login", login_throttled: "staff.throttled",
                   unknown_session: "staff.not_found", admin_only: "staff.admin_only",
                   reason_needed: "staff.reason_needed", invalid_field: "staff.invalid_field",
                   csrf: "staff.expired", export_too_large: "staff.export_too_large",
                   unknown_turn: "staff.unknown_turn", unknown_annotation: "staff.unknown_turn",
                   annotation_empty: "staff.annotation_empty" };
  function problem(e) { return t(PROBLEMS[e.code] || "staff.error"); }

  function t(key, args) {
    var s = (TEXTS[lang] && TEXTS[lang][key]) || key;
    Object.keys(args || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(args[k])); });
    return s;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else if (attrs[k] !== undefined && attrs[k] !== null && attrs[k] !== false) e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && me) headers["X-CSRF-Token"] = me.csrf;
    return fetch(path, { method: method, headers: headers, credentials: "same-origin",
                         body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (r.status === 401 && path !== "/v1/staff/login" && path !== "/v1/staff/me") { me = null; showLogin(t("staff.expired")); throw null; }
          if (!r.ok) { var e = new Error((j.error && j.error.message) || r.statusText); e.code = j.error && j.error.code; e.status = r.status; throw e; }
          return j;
        });
      });
  }

  // A POST whose answer is a file (a person's data): saved by the browser.
  function postDownload(path, body) {
    return fetch(path, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                         headers: { "Content-Type": "application/json", "X-CSRF-Token": me.csrf } })
      .then(function (r) {
        if (!r.ok) return r.json().catch(function () { return {}; }).then(function (j) {
          if (r.status === 401) { me = null; showLogin(t("staff.expired")); throw null; }
          var e = new Error(r.statusText); e.code = j.error && j.error.code; throw e;
        });
        var name = (/filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") || "") || [])[1] || "wegwijs.json";
        return r.blob().then(function (b) {
          var a = el("a", { href: URL.createObjectURL(b), download: name });
          document.body.appendChild(a); a.click(); a.remove();
          setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
        });
      });
  }

  var main = document.getElementById("main");
  var nav = document.getElementById("nav");

  function show(title, nodes) {
    document.title = title + " — " + t("staff.brand");
    main.textContent = "";
    main.appendChild(el("h1", { text: title, id: "page-title" }));
    nodes.forEach(function (n) { if (n) main.appendChild(n); });
  }

  function when(ms) {
    if (!ms) return "";
    return new Date(ms).toLocaleString(lang === "en" ? "en-GB" : "nl-BE",
      { timeZone: "Europe/Brussels", dateStyle: "short", timeStyle: "medium" });
  }

  function errorLine(id) { return el("p", { class: "error", id: id, role: "alert" }); }

  // A product by its name in the page's language (its id when it has none).
  function productName(id) { var k = "product." + id; var s = t(k); return s === k ? id : s; }
  function outcomeName(o) { return o ? t(OUTCOMES[o] || o) : ""; }

  // Links that download a file; the browser sends the session's cookie.
  function downloads(label, links) {
    return el("nav", { class: "downloads", "aria-label": label }, [el("p", { text: label }),
      el("ul", {}, links.map(function (l) { return el("li", {}, [el("a", { href: l[0], download: "", text: l[1] })]); }))]);
  }

  // --- navigation ---------------------------------------------------------
  function drawNav(current) {
    nav.textContent = "";
    nav.hidden = !me;
    nav.setAttribute("aria-label", t("staff.nav"));
    if (!me) return;
    nav.appendChild(el("a", { href: "#/", text: t("staff.conversations"), "aria-current": current === "list" ? "page" : null }));
    nav.appendChild(el("a", { href: "#/inbox", text: t("staff.inbox"), "aria-current": current === "inbox" ? "page" : null }));
    nav.appendChild(el("a", { href: "#/dashboard", text: t("staff.dashboard"), "aria-current": current === "dashboard" ? "page" : null }));
    if (me.role === "admin") {
      nav.appendChild(el("a", { href: "#/audit", text: t("staff.audit"), "aria-current": current === "audit" ? "page" : null }));
      nav.appendChild(el("a", { href: "#/people", text: t("staff.people"), "aria-current": current === "people" ? "page" : null }));
    }
    nav.appendChild(el("span", { class: "who", text: t("staff.logged_in_as", { name: me.account, role: t(ROLES[me.role] || me.role) }) }));
    var out = el("button", { type: "button", text: t("staff.logout") });
    out.addEventListener("click", function () {
      api("POST", "/v1/staff/logout", {}).catch(function () {}).then(function () { me = null; showLogin(""); });
    });
    nav.appendChild(out);
  }

  // --- login --------------------------------------------------------------
  function showLogin(message) {
    drawNav("");
    var err = errorLine("login-error");
    err.textContent = message || "";
    var name = el("input", { id: "name", name: "name", autocomplete: "username", required: "required" });
    var pass = el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: "required" });
    var form = el("form", { class: "login", novalidate: "novalidate" }, [
      el("label", { for: "name", text: t("staff.name") }), name,
      el("label", { for: "password", text: t("staff.password") }), pass,
      el("button", { type: "submit", text: t("staff.login") }), err]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!name.value || !pass.value) { err.textContent = t("staff.login_missing"); return; }
      api("POST", "/v1/staff/login", { name: name.value, password: pass.value }).then(function (j) {
        pass.value = ""; me = null; route();  // /v1/staff/me says what the filters offer
      }, function (e) {
        if (!e) return;
        pass.value = "";
        err.textContent = problem(e);
        pass.focus();
      });
    });
    show(t("staff.login_title"), [form]);
    name.focus();
  }

  // --- the conversations --------------------------------------------------
  var FILTERS = ["from", "to", "channel", "locale", "desk", "product", "outcome", "reviewed", "annotated", "q"];

  function select(id, label, options, value) {
    var s = el("select", { id: id, name: id });
    options.forEach(function (o) { var opt = el("option", { value: o[0], text: o[1] }); if (o[0] === value) opt.selected = true; s.appendChild(opt); });
    return el("label", { for: id }, [document.createTextNode(label), s]);
  }

  function showList(params) {
    drawNav("list");
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    var form = el("form", { class: "filters", role: "search", "aria-label": t("staff.filters") }, [
      el("label", { for: "from" }, [document.createTextNode(t("staff.from")), el("input", { id: "from", name: "from", type: "date", value: params.get("from") || "" })]),
      el("label", { for: "to" }, [document.createTextNode(t("staff.to")), el("input", { id: "to", name: "to", type: "date", value: params.get("to") || "" })]),
      select("channel", t("staff.channel"), [["", t("staff.any")], ["web", "web"], ["whatsapp", "WhatsApp"], ["telegram", "Telegram"], ["terminal", "terminal"]], params.get("channel") || ""),
      select("locale", t("staff.language"), [["", t("staff.any")], ["nl", "nl"], ["en", "en"]], params.get("locale") || ""),
      select("desk", t("staff.desk"), [["", t("staff.any")], ["loket", "Loket"], ["infopunt", "Infopunt"]], params.get("desk") || ""),
      select("product", t("staff.product"), [["", t("staff.any")]].concat(me.products.map(function (p) { return [p, productName(p)]; })), params.get("product") || ""),
      select("outcome", t("staff.outcome"), [["", t("staff.any")]].concat(me.outcomes.map(function (o) { return [o, outcomeName(o)]; })), params.get("outcome") || ""),
      select("reviewed", t("staff.reviewed_filter"), [["", t("staff.any")], ["yes", t("staff.yes")], ["no", t("staff.no")]], params.get("reviewed") || ""),
      select("annotated", t("staff.annotated_filter"), [["", t("staff.any")], ["yes", t("staff.yes")], ["no", t("staff.no")]], params.get("annotated") || ""),
      el("label", { for: "q" }, [document.createTextNode(t("staff.search")), el("input", { id: "q", name: "q", type: "search", value: params.get("q") || "" })]),
      el("button", { type: "submit", text: t("staff.apply") })]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var p = new URLSearchParams();
      FILTERS.forEach(function (k) { var v = form.elements[k].value; if (v) p.set(k, v); });
      location.hash = "#/?" + p.toString();
    });
    var err = errorLine("list-error");
    var holder = el("div", { class: "table-wrap" });
    var pager = el("nav", { class: "pager", "aria-label": t("staff.pages") });
    var query = new URLSearchParams();
    FILTERS.forEach(function (k) { if (params.get(k)) query.set(k, params.get(k)); });
    function exportOf(format, rows) {
      var p = new URLSearchParams(query); p.set("format", format); p.set("rows", rows);
      return "/v1/staff/export/conversations?" + p.toString();
    }
    show(t("staff.conversations"), [form, err, holder, pager, downloads(t("staff.export"), [
      [exportOf("csv", "conversation"), t("staff.export_csv")], [exportOf("csv", "turn"), t("staff.export_turns_csv")],
      [exportOf("jsonl", "conversation"), t("staff.export_jsonl")], [exportOf("jsonl", "turn"), t("staff.export_turns_jsonl")]])]);
    query.set("page", page);
    api("GET", "/v1/staff/conversations?" + query.toString()).then(function (j) {
      var head = el("tr", {}, ["started", "channel", "language", "desk", "product", "opening", "outcome", "review"].map(function (k) {
        return el("th", { scope: "col", text: t(COLS[k]) });
      }));
      var body = el("tbody");
      j.conversations.forEach(function (c) {
        var flags = [];
        if (c.outcome) flags.push(outcomeName(c.outcome));
        else if (c.booked) flags.push(t("staff.booked"));
        if (c.delivery_failed) flags.push(t("staff.delivery_failed"));
        var marks = [];
        if (c.reviewed) marks.push(t("staff.reviewed_by", { name: c.reviewed_by }));
        if (c.flagged) marks.push(t("staff.flagged_n", { count: c.flagged }));
        if (c.annotations) marks.push(t("staff.annotations_n", { count: c.annotations }));
        body.appendChild(el("tr", {}, [
          el("td", {}, [el("a", { href: "#/c/" + encodeURIComponent(c.session_id), text: when(c.created_ms) })]),
          el("td", { text: c.channel }), el("td", { text: c.locale }), el("td", { text: c.desk }),
          el("td", { text: c.product ? productName(c.product) : "" }), el("td", { text: c.opening }),
          el("td", { class: c.delivery_failed ? "flag" : "", text: flags.join(", ") }),
          el("td", { text: marks.join(", ") })]));
      });
      if (!j.conversations.length)
        body.appendChild(el("tr", {}, [el("td", { colspan: "8", text: t("staff.none") })]));
      holder.appendChild(el("table", {}, [el("caption", { text: t("staff.page_n", { page: j.page }) }), el("thead", {}, [head]), body]));
      function link(n, label) {
        var p = new URLSearchParams(query); p.set("page", n);
        return el("a", { href: "#/?" + p.toString(), text: label });
      }
      if (page > 1) pager.appendChild(link(page - 1, t("staff.previous")));
      if (j.more) pager.appendChild(link(page + 1, t("staff.next")));
    }, function (e) { if (e) err.textContent = problem(e); });
  }

  // --- one conversation ---------------------------------------------------
  function fact(dl, key, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", { text: t(key) }));
    dl.appendChild(el("dd", { text: String(value) }));
  }

  function understandingOf(u) {
    if (!u || typeof u !== "object") return null;
    var lines = [];
    (u.topics || []).forEach(function (x) { lines.push(x.label + " " + (x.p * 100).toFixed(1) + "%"); });
    (u.intents || []).forEach(function (x) { lines.push(t("staff.intent") + ": " + x); });
    (u.matches || []).forEach(function (m) {
      lines.push(Object.keys(m).filter(function (k) { return k !== "weight"; }).map(function (k) { return k + "=" + m[k]; }).join(" "));
    });
    if (u.product) lines.push(t("staff.col.product") + ": " + u.product);
    if (u.command) lines.push(t("staff.command") + ": " + u.command);
    if (!lines.length) return null;
    return el("details", {}, [el("summary", { text: t("staff.understanding") }),
      el("ul", {}, lines.map(function (l) { return el("li", { text: l }); }))]);
  }

  function drawConversation(c) {
    var dl = el("dl", { class: "facts" });
    fact(dl, "staff.col.started", when(c.created_ms));
    fact(dl, "staff.col.channel", c.channel);
    fact(dl, "staff.col.language", c.locale);
    fact(dl, "staff.col.desk", c.desk);
    fact(dl, "staff.col.product", c.product ? productName(c.product) : "");
    fact(dl, "staff.state", c.state + (c.done ? " (" + t("staff.done") + ")" : ""));
    fact(dl, "staff.outcome", outcomeName(c.outcome));
    fact(dl, "staff.reviewed_filter", c.reviewed ? t("staff.reviewed_by", { name: c.reviewed_by }) : "");
    var status = el("p", { class: "status", role: "status", id: "conversation-status" });
    var mark = el("button", { type: "button", class: "secondary", id: "mark-reviewed",
                              text: c.reviewed ? t("staff.unmark_reviewed") : t("staff.mark_reviewed") });
    mark.addEventListener("click", function () {
      api("POST", "/v1/staff/conversations/" + encodeURIComponent(c.session_id) + "/review", { reviewed: !c.reviewed })
        .then(function () { showConversation(c.session_id, "mark-reviewed"); }, function (e) { if (e) status.textContent = problem(e); });
    });
    var nodes = [dl, mark, status];
    if (c.revealed) nodes.push(el("p", { class: "notice", role: "status", text: t("staff.revealed") }));
    if (c.bookings.length) {
      nodes.push(el("h2", { text: t("staff.bookings") }));
      nodes.push(el("ul", {}, c.bookings.map(function (b) {
        return el("li", { text: [b.code, b.status, b.product, b.location, when(b.start_ms), b.name, b.email, b.phone].filter(Boolean).join(" · ") });
      })));
    }
    var failed = c.deliveries.filter(function (d) { return d.status === "failed" || d.delivery === "failed"; });
    if (c.deliveries.length) {
      nodes.push(el("h2", { text: t("staff.deliveries") }));
      if (failed.length) nodes.push(el("p", { class: "flag", text: t("staff.deliveries_failed", { count: failed.length }) }));
      nodes.push(el("ul", {}, c.deliveries.map(function (d) {
        var words = [d.platform, d.delivery || d.status, when(d.delivery_ms || d.sent_ms || d.created_ms)];
        if (d.error) words.push(d.error);
        return el("li", { class: (d.status === "failed" || d.delivery === "failed") ? "flag" : "", text: words.join(" · ") });
      })));
    }
    nodes.push(el("h2", { text: t("staff.turns"), id: "turns-title" }));
    var list = el("ol", { class: "turns", "aria-labelledby": "turns-title" });
    c.turns.forEach(function (turn) {
      var who = turn.from === "citizen" ? t("staff.citizen") : t("staff.assistant");
      var meta = [when(turn.at_ms), who, turn.locale, turn.state_before + " → " + turn.state_after].join(" · ");
      var text = turn.text || (turn.choice ? "[" + turn.choice + "]" : "");
      list.appendChild(el("li", { class: "turn " + turn.from, tabindex: "-1", id: "turn-" + turn.id }, [
        el("p", { class: "meta", text: meta }),
        turn.flag ? el("p", { class: "flag", text: t("staff.flag") + ": " + t(FLAGS[turn.flag] || turn.flag) }) : null,
        el("p", { class: "text", text: text }), understandingOf(turn.understanding),
        turn.from === "citizen" && !c.revealed ? annotationOf(c, turn) : null]));
    });
    nodes.push(list);
    if (me.role === "admin" && !c.revealed) {
      var reason = el("textarea", { id: "reason", name: "reason", rows: "2", required: "required" });
      var err = errorLine("reveal-error");
      var form = el("form", { class: "reveal" }, [el("label", { for: "reason", text: t("staff.reveal_reason") }), reason,
        el("button", { type: "submit", class: "secondary", text: t("staff.reveal") }), err]);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (!reason.value.trim()) { err.textContent = t("staff.reason_needed"); reason.focus(); return; }
        api("POST", "/v1/staff/conversations/" + encodeURIComponent(c.session_id) + "/reveal", { reason: reason.value })
          .then(function (j) { draw(j); }, function (e) { if (e) err.textContent = problem(e); });
      });
      nodes.push(form);
    }
    if (me.role === "admin") {
      var why = el("textarea", { id: "delete-reason", name: "delete-reason", rows: "2", required: "required" });
      var derr = errorLine("delete-error");
      var del = el("form", { class: "reveal" }, [el("label", { for: "delete-reason", text: t("staff.delete_reason") }), why,
        el("button", { type: "submit", class: "secondary", text: t("staff.delete") }), derr]);
      del.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (!why.value.trim()) { derr.textContent = t("staff.reason_needed"); why.focus(); return; }
        api("DELETE", "/v1/staff/conversations/" + encodeURIComponent(c.session_id), { reason: why.value })
          .then(function () { show(t("staff.conversation"), [el("p", { class: "notice", role: "status", text: t("staff.deleted") })]); },
                function (e) { if (e) derr.textContent = problem(e); });
      });
      nodes.push(del);
    }
    return nodes;
  }

  // A citizen's turn's annotation: the right product, or what was meant
  // instead, and a note; open when the turn has one.
  function annotationOf(c, turn) {
    var a = turn.annotation || {};
    var id = "a" + turn.id;
    var product = select(id + "-product", t("staff.annotation_product"),
      [["", t("staff.none_chosen")]].concat(me.products.map(function (p) { return [p, productName(p)]; })), a.product || "");
    var intent = select(id + "-intent", t("staff.annotation_intent"),
      [["", t("staff.none_chosen")]].concat(me.intents.map(function (i) { return [i, i]; })), a.intent || "");
    var note = el("textarea", { id: id + "-note", name: "note", rows: "2" });
    note.value = a.note || "";
    var status = el("p", { class: "status", role: "status", id: id + "-status" });
    var path = "/v1/staff/conversations/" + encodeURIComponent(c.session_id) + "/turns/" + turn.id + "/annotation";
    var save = el("button", { type: "submit", text: t("staff.save") });
    var form = el("form", { class: "annotation" }, [product, intent,
      el("label", { for: id + "-note" }, [document.createTextNode(t("staff.annotation_note")), note]), save]);
    if (turn.annotation) {
      var remove = el("button", { type: "button", class: "secondary", text: t("staff.remove") });
      remove.addEventListener("click", function () {
        api("DELETE", path).then(function () { showConversation(c.session_id, "turn-" + turn.id); },
                                 function (e) { if (e) status.textContent = problem(e); });
      });
      form.appendChild(remove);
    }
    form.appendChild(status);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = { product: form.elements[id + "-product"].value, intent: form.elements[id + "-intent"].value, note: note.value };
      if (!body.product && !body.intent && !body.note.trim()) { status.textContent = t("staff.annotation_empty"); return; }
      api("POST", path, body).then(function () { showConversation(c.session_id, "turn-" + turn.id); },
                                   function (e) { if (e) status.textContent = problem(e); });
    });
    var summary = t("staff.annotate") + (turn.annotation
      ? ": " + [a.product ? productName(a.product) : a.intent, t("staff.annotation_by", { name: a.account })].filter(Boolean).join(" · ") : "");
    return el("details", { class: "annotate", open: turn.annotation || turn.flag ? "open" : null },
              [el("summary", { text: summary }), form]);
  }

  // `focus`: the id of the element to focus (a turn, a button); else the latest turn.
  function draw(c, focus) {
    show(t("staff.conversation"), drawConversation(c));
    var target = (focus && document.getElementById(focus)) || main.querySelector(".turn:last-child");
    if (target) { target.scrollIntoView({ block: "center" }); target.focus({ preventScroll: true }); }
  }

  function showConversation(id, focus) {
    drawNav("");
    var err = errorLine("conversation-error");
    show(t("staff.conversation"), [err]);
    api("GET", "/v1/staff/conversations/" + encodeURIComponent(id)).then(function (c) { draw(c, focus); }, function (e) {
      if (e) err.textContent = problem(e);
    });
  }

  // --- the misunderstood inbox --------------------------------------------
  function showInbox(params) {
    drawNav("inbox");
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    var all = params.get("all") === "1";
    var flag = params.get("flag") || "";
    var box = el("input", { id: "all", name: "all", type: "checkbox", checked: all ? "checked" : null });
    var form = el("form", { class: "filters", "aria-label": t("staff.filters") }, [
      select("flag", t("staff.flag"), [["", t("staff.any")]].concat(me.flags.map(function (f) { return [f, t(FLAGS[f] || f)]; })), flag),
      el("label", { for: "all", class: "check" }, [box, document.createTextNode(t("staff.inbox_all"))]),
      el("button", { type: "submit", text: t("staff.apply") })]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var p = new URLSearchParams();
      if (form.elements.flag.value) p.set("flag", form.elements.flag.value);
      if (box.checked) p.set("all", "1");
      location.hash = "#/inbox?" + p.toString();
    });
    var err = errorLine("inbox-error");
    var list = el("ol", { class: "inbox" });
    var pager = el("nav", { class: "pager", "aria-label": t("staff.pages") });
    show(t("staff.inbox"), [form, err, list, pager, downloads(t("staff.export"), [
      ["/v1/staff/export/annotations?format=route-eval", t("staff.export_route_eval")],
      ["/v1/staff/export/annotations?format=conversations", t("staff.export_scripts")]])]);
    var query = new URLSearchParams();
    if (flag) query.set("flag", flag);
    if (all) query.set("all", "1");
    query.set("page", page);
    api("GET", "/v1/staff/inbox?" + query.toString()).then(function (j) {
      j.turns.forEach(function (turn) {
        var meta = [when(turn.at_ms), t(FLAGS[turn.flag] || turn.flag), turn.locale,
                    turn.conversation.product ? productName(turn.conversation.product) : turn.conversation.desk].filter(Boolean).join(" · ");
        list.appendChild(el("li", { class: "turn citizen" }, [
          el("p", { class: "meta", text: meta }),
          el("p", { class: "text", text: turn.text || (turn.choice ? "[" + turn.choice + "]" : "") }),
          el("p", { class: "reply", text: t("staff.reply") + ": " + turn.reply }),
          el("a", { href: "#/c/" + encodeURIComponent(turn.session_id) + "?turn=" + turn.id, text: t("staff.open_turn") })]));
      });
      if (!j.turns.length) list.appendChild(el("li", { text: t("staff.inbox_none") }));
      function link(n, label) { var p = new URLSearchParams(query); p.set("page", n); return el("a", { href: "#/inbox?" + p.toString(), text: label }); }
      if (page > 1) pager.appendChild(link(page - 1, t("staff.previous")));
      if (j.more) pager.appendChild(link(page + 1, t("staff.next")));
    }, function (e) { if (e) err.textContent = problem(e); });
  }

  // --- the audit log ------------------------------------------------------
  function showAudit(params) {
    drawNav("audit");
    var err = errorLine("audit-error");
    var holder = el("div", { class: "table-wrap" });
    var pager = el("nav", { class: "pager", "aria-label": t("staff.pages") });
    show(t("staff.audit"), [err, holder, pager, downloads(t("staff.export"), [
      ["/v1/staff/audit/export?format=csv", t("staff.audit_export_csv")],
      ["/v1/staff/audit/export?format=jsonl", t("staff.audit_export_jsonl")]])]);
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    api("GET", "/v1/staff/audit?page=" + page).then(function (j) {
      var head = el("tr", {}, ["at", "account", "action", "conversation", "detail", "address"].map(function (k) {
        return el("th", { scope: "col", text: t(AUDIT_COLS[k]) });
      }));
      var body = el("tbody", {}, j.entries.map(function (e) {
        return el("tr", {}, [el("td", { text: when(e.at_ms) }), el("td", { text: e.account }), el("td", { text: e.action }),
          el("td", {}, [e.session_id ? el("a", { href: "#/c/" + encodeURIComponent(e.session_id), text: e.session_id.slice(0, 8) }) : null]),
          el("td", { text: e.detail }), el("td", { text: e.address })]);
      }));
      holder.appendChild(el("table", {}, [el("caption", { text: t("staff.page_n", { page: j.page }) }), el("thead", {}, [head]), body]));
      if (page > 1) pager.appendChild(el("a", { href: "#/audit?page=" + (page - 1), text: t("staff.previous") }));
      if (j.more) pager.appendChild(el("a", { href: "#/audit?page=" + (page + 1), text: t("staff.next") }));
    }, function (e) { if (e) err.textContent = problem(e); });
  }

  // --- the dashboard --------------------------------------------------------
  var METRICS = { conversations: "staff.metric.conversations", first_turn_routing: "staff.metric.first_turn_routing",
                  turns_to_outcome: "staff.metric.turns_to_outcome", fallback_rate: "staff.metric.fallback_rate",
                  human_rate: "staff.metric.human_rate", booking_conversion: "staff.metric.booking_conversion" };
  var BY = { "": "staff.by.none", product: "staff.by.product", desk: "staff.by.desk", locale: "staff.by.locale", channel: "staff.by.channel" };

  function metricCells(m) {
    function pct(v) { return v === null || v === undefined ? "–" : (v * 100).toFixed(0) + "%"; }
    return [el("td", { text: String(m.conversations) }), el("td", { text: pct(m.first_turn_routing) }),
            el("td", { text: m.turns_to_outcome === null ? "–" : m.turns_to_outcome.toFixed(1) }),
            el("td", { text: pct(m.fallback_rate) }), el("td", { text: pct(m.human_rate) }),
            el("td", { text: pct(m.booking_conversion) })];
  }

  function metricTable(caption, first, rows) {
    var head = el("tr", {}, [el("th", { scope: "col", text: first })].concat(Object.keys(METRICS).map(function (k) {
      return el("th", { scope: "col", text: t(METRICS[k]) });
    })));
    // focusable, so a keyboard scrolls it on a narrow screen
    return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, [el("table", {}, [el("caption", { text: caption }), el("thead", {}, [head]),
      el("tbody", {}, rows.map(function (r) { return el("tr", {}, [el("th", { scope: "row", text: r[0] })].concat(metricCells(r[1]))); }))])]);
  }

  function showDashboard(params) {
    drawNav("dashboard");
    var form = el("form", { class: "filters", "aria-label": t("staff.filters") }, [
      el("label", { for: "from" }, [document.createTextNode(t("staff.from")), el("input", { id: "from", name: "from", type: "date", value: params.get("from") || "" })]),
      el("label", { for: "to" }, [document.createTextNode(t("staff.to")), el("input", { id: "to", name: "to", type: "date", value: params.get("to") || "" })]),
      select("bucket", t("staff.bucket"), [["day", t("staff.day")], ["week", t("staff.week")]], params.get("bucket") || "day"),
      select("by", t("staff.by"), Object.keys(BY).map(function (k) { return [k, t(BY[k])]; }), params.get("by") || ""),
      el("button", { type: "submit", text: t("staff.apply") })]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var p = new URLSearchParams();
      ["from", "to", "bucket", "by"].forEach(function (k) { var v = form.elements[k].value; if (v) p.set(k, v); });
      location.hash = "#/dashboard?" + p.toString();
    });
    var err = errorLine("dashboard-error");
    var holder = el("div", { class: "dashboard" });
    show(t("staff.dashboard"), [form, err, holder]);
    var query = new URLSearchParams();
    ["from", "to", "bucket", "by"].forEach(function (k) { if (params.get(k)) query.set(k, params.get(k)); });
    api("GET", "/v1/staff/dashboard?" + query.toString()).then(function (j) {
      var q = new URLSearchParams(query); q.set("lang", lang);
      holder.appendChild(el("img", { src: "/v1/staff/dashboard/conversations.svg?" + q.toString(), alt: t("staff.chart.conversations_desc") + " " + j.total.conversations, width: "720", height: "330" }));
      holder.appendChild(el("img", { src: "/v1/staff/dashboard/rates.svg?" + q.toString(), alt: t("staff.chart.rates_desc"), width: "720", height: "330" }));
      var rows = j.periods.map(function (p) { return [p.period, p]; });
      rows.push([t("staff.total"), j.total]);
      holder.appendChild(metricTable(t("staff.by_period"), t("staff.period"), rows));
      if (params.get("by"))
        holder.appendChild(metricTable(t("staff.by_group"), t("staff.group"), j.groups.map(function (g) {
          return [g.group ? (params.get("by") === "product" ? productName(g.group) : g.group) : t("staff.chart.none"), g];
        })));
    }, function (e) { if (e) err.textContent = problem(e); });
  }

  // --- one person's data (admins) -----------------------------------------
  function showPeople() {
    drawNav("people");
    function field(id, label, type, autocomplete) {
      var input = el("input", { id: id, name: id, type: type, autocomplete: autocomplete });
      return [input, el("label", { for: id }, [document.createTextNode(label), input])];
    }
    var email = field("person-email", t("staff.email"), "email", "off");
    var phone = field("person-phone", t("staff.phone"), "tel", "off");
    var reason = field("person-reason", t("staff.people_reason"), "text", "off");
    var status = el("p", { class: "status", role: "status", id: "people-status" });
    var err = errorLine("people-error");
    var find = el("button", { type: "submit", text: t("staff.find") });
    var access = el("button", { type: "button", class: "secondary", id: "access", text: t("staff.access") });
    var erase = el("button", { type: "button", class: "secondary", id: "erase", text: t("staff.erase") });
    var confirmBox = el("div", { class: "notice", id: "erase-confirm", hidden: "hidden" }, [
      el("p", { text: t("staff.erase_warning") })]);
    var confirm = el("button", { type: "button", id: "erase-yes", text: t("staff.erase_confirm") });
    confirmBox.appendChild(confirm);
    var form = el("form", { class: "people" }, [email[1], phone[1], reason[1], find, access, erase, status, err, confirmBox]);
    function person(withReason) {
      err.textContent = "";
      var body = { email: email[0].value.trim(), phone: phone[0].value.trim() };
      if (!body.email && !body.phone) { err.textContent = t("staff.person_missing"); email[0].focus(); return null; }
      if (withReason) {
        if (!reason[0].value.trim()) { err.textContent = t("staff.reason_needed"); reason[0].focus(); return null; }
        body.reason = reason[0].value;
      }
      return body;
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = person(false);
      if (!body) return;
      api("POST", "/v1/staff/people/find", body).then(function (j) {
        status.textContent = t("staff.found", { conversations: j.conversations.length, bookings: j.bookings });
      }, function (e) { if (e) err.textContent = problem(e); });
    });
    access.addEventListener("click", function () {
      var body = person(true);
      if (body) postDownload("/v1/staff/people/access", body).catch(function (e) { if (e) err.textContent = problem(e); });
    });
    erase.addEventListener("click", function () {
      if (!person(true)) return;
      confirmBox.hidden = false;
      confirm.focus();
    });
    confirm.addEventListener("click", function () {
      var body = person(true);
      if (!body) return;
      api("POST", "/v1/staff/people/erase", body).then(function (j) {
        confirmBox.hidden = true;
        status.textContent = t("staff.erased", { conversations: j.conversations, bookings: j.bookings });
      }, function (e) { if (e) err.textContent = problem(e); });
    });
    show(t("staff.people"), [el("p", { text: t("staff.people_intro") }), form]);
    email[0].focus();
  }

  // --- routing ------------------------------------------------------------
  function route() {
    if (!me) {
      api("GET", "/v1/staff/me").then(function (j) { me = j; route(); }, function () { showLogin(""); });
      return;
    }
    var hash = location.hash.replace(/^#/, "") || "/";
    var q = hash.indexOf("?");
    var path = q < 0 ? hash : hash.slice(0, q);
    var params = new URLSearchParams(q < 0 ? "" : hash.slice(q + 1));
    if (path.indexOf("/c/") === 0)
      showConversation(decodeURIComponent(path.slice(3)), params.get("turn") ? "turn-" + params.get("turn") : "");
    else if (path === "/inbox") showInbox(params);
    else if (path === "/audit") showAudit(params);
    else if (path === "/people") showPeople();
    else if (path === "/dashboard") showDashboard(params);
    else showList(params);
  }

  document.documentElement.lang = lang;
  document.getElementById("brand").textContent = t("staff.brand");
  document.getElementById("skip").textContent = t("staff.skip");
  window.addEventListener("hashchange", function () { route(); main.focus(); });
  route();
})();
