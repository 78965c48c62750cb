// Wegwijs chat widget. Embed it in any page with one tag:
//
//   <script src="https://wegwijs.example/widget.js" data-locale="nl"
//           data-service="https://wegwijs.example" defer></script>
//
// data-locale: nl or en (default: the page's lang, else nl); data-service: the
// Wegwijs service (default: where this script came from). Everything the
// widget says comes from the service: the sentences of its controls are put
// into TEXT by the service from locales/*.json, the conversation from
// POST /v1/chat. Every text is shown with textContent, never as HTML.
// The session id is kept in sessionStorage, so a reload or another page of
// the same site goes on with the conversation; a new tab starts fresh.
(function () {
  "use strict";

  const TEXT = /*wegwijs:text*/{};
  const script = document.currentScript;
  if (!script) return;
  const service = (script.dataset.service || new URL(script.src, location.href).origin)
    .replace(/\/+$/, "");
  const storeKey = "wegwijs:" + service;
  const RETRY_AFTER_MS = 800;
  const TIMEOUT_MS = 15000;

  function pageLocale() {
    const asked = script.dataset.locale || (document.documentElement.lang || "").slice(0, 2);
    return TEXT[asked] ? asked : "nl";
  }

  // What survives a reload: the session, whether the panel was open, the language.
  function loadState() {
    try {
      return JSON.parse(sessionStorage.getItem(storeKey)) || {};
    } catch (e) {
      return {};
    }
  }
  const state = Object.assign({ sid: null, open: false, locale: pageLocale() }, loadState());
  function saveState() {
    try {
      sessionStorage.setItem(
        storeKey,
        JSON.stringify({ sid: state.sid, open: state.open, locale: state.locale })
      );
    } catch (e) {
      // storage off (private mode): the conversation lasts as long as the page
    }
  }

  function t(key) {
    const mine = TEXT[state.locale] || {};
    return mine[key] || (TEXT.nl || {})[key] || key;
  }

  // --- building blocks ------------------------------------------------------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  // Each control's text is set by relabel(), so a language switch renames all.
  const labelled = [];
  function label(node, key, attr) {
    labelled.push({ node, key, attr });
    return node;
  }
  function relabel() {
    root.setAttribute("lang", state.locale);
    for (const { node, key, attr } of labelled) {
      if (attr) node.setAttribute(attr, t(key));
      else node.textContent = t(key);
    }
    for (const button of languageButtons)
      button.setAttribute("aria-pressed", String(button.dataset.locale === state.locale));
  }

  // --- the widget -----------------------------------------------------------

  const css = el("link", { rel: "stylesheet", href: service + "/widget.css" });
  document.head.appendChild(css);

  const launcher = label(
    el("button", {
      type: "button",
      class: "wegwijs-launcher",
      "aria-expanded": "false",
      "aria-controls": "wegwijs-panel",
      on: { click: () => (state.open ? close() : open()) },
    }),
    "widget.launcher"
  );

  // Icons are drawn, not fetched (nothing but the service is asked for).
  const SVG = "http://www.w3.org/2000/svg";
  const ICONS = {
    restart: "M4 12a8 8 0 1 0 2.3-5.7M4 4v4h4",
    human: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8c0-3.5 3-6 7-6s7 2.5 7 6",
    close: "M6 6l12 12M18 6L6 18",
  };
  function icon(name) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }
  // A header control: an icon with its name for screen readers and as a tooltip.
  function headButton(cls, key, onClick, iconName) {
    const name = label(el("span", { class: "wegwijs-sr" }), key);
    const button = el("button", { type: "button", class: "wegwijs-icon " + cls, on: { click: onClick } }, [
      icon(iconName),
      name,
    ]);
    return label(button, key, "title");
  }

  const title = label(el("h2", { id: "wegwijs-title", class: "wegwijs-title" }), "widget.title");
  const languageButtons = ["nl", "en"].map((code) =>
    label(
      el("button", {
        type: "button",
        class: "wegwijs-lang",
        lang: code,
        "data-locale": code,
        "aria-pressed": "false",
        text: code.toUpperCase(),
        on: { click: () => switchLanguage(code) },
      }),
      { nl: "widget.language.nl", en: "widget.language.en" }[code],
      "title"
    )
  );
  const languageGroup = label(
    el("div", { class: "wegwijs-langs", role: "group" }, languageButtons),
    "widget.language",
    "aria-label"
  );
  const humanButton = headButton("wegwijs-human", "widget.human", () => human(), "human");
  const restartButton = headButton("wegwijs-restart", "widget.restart", () => restart(), "restart");
  const closeButton = headButton("wegwijs-close", "widget.close", () => close(), "close");

  const log = label(
    el("div", { class: "wegwijs-log", role: "log", "aria-live": "polite", tabindex: "0" }),
    "widget.log",
    "aria-label"
  );
  // Before anything is said: what is kept, how long, who reads it.
  const privacy = label(el("p", { class: "wegwijs-privacy" }), "widget.privacy");
  const typing = el("div", { class: "wegwijs-typing", hidden: true }, [
    el("span", { class: "wegwijs-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    label(el("span", { class: "wegwijs-typing-text" }), "widget.typing"),
  ]);
  const holdBar = el("p", { class: "wegwijs-hold", hidden: true });
  const errorText = label(el("span"), "widget.error");
  const retryButton = label(
    el("button", { type: "button", class: "wegwijs-retry", on: { click: () => retry() } }),
    "widget.retry"
  );
  const errorBox = el("div", { class: "wegwijs-error", role: "alert", hidden: true }, [
    errorText,
    retryButton,
  ]);

  const input = label(
    el("input", {
      id: "wegwijs-input",
      class: "wegwijs-input",
      type: "text",
      autocomplete: "off",
      maxlength: "1000",
      enterkeyhint: "send",
    }),
    "widget.placeholder",
    "placeholder"
  );
  const inputLabel = label(el("label", { for: "wegwijs-input", class: "wegwijs-sr" }), "widget.input");
  const sendButton = label(el("button", { type: "submit", class: "wegwijs-send" }), "widget.send");
  const form = el("form", { class: "wegwijs-form", on: { submit: onSubmit } }, [
    inputLabel,
    input,
    sendButton,
  ]);

  const panel = el(
    "section",
    {
      id: "wegwijs-panel",
      class: "wegwijs-panel",
      role: "dialog",
      "aria-labelledby": "wegwijs-title",
      hidden: true,
    },
    [
      el("div", { class: "wegwijs-head" }, [
        title,
        languageGroup,
        humanButton,
        restartButton,
        closeButton,
      ]),
      log,
      typing,
      holdBar,
      errorBox,
      form,
    ]
  );
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "Tab" && modal) {
      // Full screen, the panel is all there is: the focus goes round inside it.
      const stops = [...panel.querySelectorAll("button, input, a[href], [tabindex='0']")].filter(
        (n) => !n.disabled && n.offsetParent !== null
      );
      if (!stops.length) return;
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });

  const root = el("div", { class: "wegwijs" }, [launcher, panel]);

  // --- showing messages -----------------------------------------------------

  // E-mail addresses, phone numbers and web addresses in a message become
  // links; everything else stays text. No HTML from the service is parsed.
  const LINK =
    /([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)])|((?:\+32[ ]?|\b0)\d(?:[ ./]?\d){7,9}\b)/g;
  function linked(text) {
    const out = document.createDocumentFragment();
    let at = 0;
    for (const m of text.matchAll(LINK)) {
      out.appendChild(document.createTextNode(text.slice(at, m.index)));
      const href = m[1] ? "mailto:" + m[1] : m[2] ? m[2] : "tel:" + m[3].replace(/[^\d+]/g, "");
      const attrs = { href, text: m[0] };
      if (m[2]) Object.assign(attrs, { target: "_blank", rel: "noopener noreferrer" });
      out.appendChild(el("a", attrs));
      at = m.index + m[0].length;
    }
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function bubble(from, text, locale) {
    const who = from === "citizen" ? "widget.you" : "widget.bot";
    const body = el("span", { class: "wegwijs-text" });
    if (from === "citizen") body.textContent = text;
    else body.appendChild(linked(text));
    const node = el("div", { class: "wegwijs-msg wegwijs-" + from, lang: locale || state.locale }, [
      el("span", { class: "wegwijs-sr", text: t(who) + ": " }),
      body,
    ]);
    log.appendChild(node);
    return node;
  }

  function removeChoices() {
    for (const group of log.querySelectorAll(".wegwijs-choices")) group.remove();
    for (const b of log.querySelectorAll(".wegwijs-card-actions button")) b.remove();
  }

  function choiceButton(c, text) {
    const attrs = {
      type: "button",
      class: "wegwijs-choice" + (c.emphasis ? " wegwijs-" + c.emphasis : ""),
      "data-choice": c.id,
      text: text || c.label,
      on: { click: () => send({ choice: c.id }, c.label, true) },
    };
    // A time under its day: its name says the day too.
    if (text && text !== c.label) attrs["aria-label"] = c.label;
    return el("button", attrs);
  }

  // Times as a grid per day; then the answers; then "later", "another day".
  function showChoices(choices, locale) {
    if (!choices || !choices.length) return null;
    const box = el("div", {
      class: "wegwijs-choices",
      role: "group",
      "aria-label": t("widget.choices"),
      lang: locale,
    });
    const days = new Map();
    const plain = [];
    const more = [];
    for (const c of choices) {
      if (c.group) {
        if (!days.has(c.group)) days.set(c.group, []);
        days.get(c.group).push(c);
      } else (c.emphasis === "more" ? more : plain).push(c);
    }
    for (const [day, list] of days) {
      const id = "wegwijs-day-" + ++ids;
      box.appendChild(
        el("div", { class: "wegwijs-day", role: "group", "aria-labelledby": id }, [
          el("p", { id, class: "wegwijs-day-name", text: day }),
          el("div", { class: "wegwijs-times" }, list.map((c) => choiceButton(c, c.short))),
        ])
      );
    }
    if (plain.length) box.appendChild(el("div", { class: "wegwijs-answers" }, plain.map((c) => choiceButton(c))));
    if (more.length) box.appendChild(el("div", { class: "wegwijs-more" }, more.map((c) => choiceButton(c))));
    log.appendChild(box);
    return box;
  }

  let ids = 0;
  const CARD_ACTIONS = { move_booking: "widget.card.move", cancel_booking: "widget.card.cancel" };
  function showCard(card, locale, choices, moved) {
    const rows = [
      ["widget.card.day", card.day],
      ["widget.card.time", card.time],
      ["widget.card.place", card.location],
      ["widget.card.people", card.people > 1 ? String(card.people) : null],
    ];
    const list = el("dl", { class: "wegwijs-facts" });
    for (const [key, value] of rows) {
      if (!value) continue;
      list.appendChild(el("dt", { text: t(key) }));
      list.appendChild(el("dd", { text: value }));
    }
    if (card.address) {
      list.appendChild(el("dt", { text: t("widget.card.address") }));
      list.appendChild(
        el("dd", {}, [
          document.createTextNode(card.address + " "),
          el("a", {
            class: "wegwijs-map",
            href: "https://www.openstreetmap.org/search?query=" + encodeURIComponent(card.address),
            target: "_blank",
            rel: "noopener noreferrer",
            text: t("widget.card.map"),
          }),
        ])
      );
    }
    const bring = (card.bring || []).length
      ? el("div", { class: "wegwijs-bring" }, [
          el("h4", { text: t("widget.card.bring") }),
          el(
            "ul",
            {},
            card.bring.map((item) => el("li", { text: item }))
          ),
        ])
      : null;
    const actions = el("div", { class: "wegwijs-card-actions" }, [
      el("a", {
        class: "wegwijs-ics",
        href: service + card.ics,
        download: "appointment.ics",
        text: t("widget.card.ics"),
      }),
    ]);
    for (const c of choices || [])
      if (CARD_ACTIONS[c.id])
        actions.appendChild(
          el("button", {
            type: "button",
            class: "wegwijs-card-action",
            "data-choice": c.id,
            text: t(CARD_ACTIONS[c.id]),
            on: { click: () => send({ choice: c.id }, c.label, true) },
          })
        );
    const id = "wegwijs-card-" + ++ids;
    const node = el(
      "div",
      { class: "wegwijs-card", role: "group", "aria-labelledby": id, lang: locale },
      [
        el("h3", { id, text: t(moved ? "widget.card.moved" : "widget.card.title") }),
        el("p", { class: "wegwijs-product", text: card.product + " \u2013 " + card.desk }),
        list,
        el("div", { class: "wegwijs-code" }, [
          el("p", {}, [el("span", { text: t("widget.card.code") + ": " }), el("strong", { text: card.code })]),
          el("p", {
            class: "wegwijs-keep",
            text: t("widget.card.keep") + (card.mailed ? " " + t("widget.card.mailed") : ""),
          }),
        ]),
        bring,
        card.arrive ? el("p", { text: card.arrive }) : null,
        actions,
      ]
    );
    log.appendChild(node);
    return node;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }
  // A new reply is read from its start: its first message's top in view.
  function scrollTo(node) {
    if (!node) return scrollDown();
    log.scrollTop = Math.min(node.offsetTop - 8, log.scrollHeight - log.clientHeight);
  }

  // What the card shows already is not said again in bubbles.
  const ON_CARD = ["booking.confirmed", "booking.moved", "bring.intro", "booking.arrive", "booking.mailed"];

  // One reply (a POST /v1/chat answer, or a run of the assistant's messages
  // in the history): the card first, then the messages, then the choices.
  // Returns the first node shown and the group of choices.
  function showReply(messages, locale, card) {
    let first = null;
    let group = null;
    const choices = [].concat(...messages.map((m) => m.choices || []));
    if (card) first = showCard(card, locale, choices, messages.some((m) => m.key === "booking.moved"));
    for (const m of messages) {
      if (card && ON_CARD.includes(m.key)) continue;
      const node = bubble("assistant", m.text, m.locale || locale);
      first = first || node;
    }
    const rest = card ? choices.filter((c) => !CARD_ACTIONS[c.id]) : choices;
    group = showChoices(rest, messages.length ? messages[messages.length - 1].locale || locale : locale);
    return { first, group };
  }

  function showHistory(history) {
    log.textContent = "";
    log.appendChild(privacy);
    let run = [];
    const flush = () => {
      if (!run.length) return;
      const card = run[run.length - 1].booking || null;
      showReply(run, history.locale, card);
      run = [];
    };
    for (const m of history.messages) {
      if (m.from === "citizen") {
        flush();
        bubble("citizen", m.text, m.locale || history.locale);
      } else run.push(m);
    }
    flush();
    expect(history.expect);
    holdFor(history.hold && history.hold.seconds_left);
    scrollDown();
  }

  // The keyboard and autofill of the answer the question wants.
  const INPUTS = {
    name: { type: "text", autocomplete: "name", inputmode: "text" },
    email: { type: "email", autocomplete: "email", inputmode: "email" },
    tel: { type: "tel", autocomplete: "tel", inputmode: "tel" },
  };
  function expect(kind) {
    const want = INPUTS[kind] || { type: "text", autocomplete: "off", inputmode: "text" };
    for (const [name, value] of Object.entries(want)) input.setAttribute(name, value);
  }

  // The countdown of a held time; gone when no time is held.
  let holdTimer = null;
  function holdFor(seconds) {
    clearInterval(holdTimer);
    holdTimer = null;
    holdBar.hidden = !seconds;
    if (!seconds) return;
    const until = Date.now() + seconds * 1000;
    const tick = () => {
      const left = Math.max(0, Math.round((until - Date.now()) / 1000));
      const clock = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      holdBar.textContent = left ? t("widget.hold").replace("{time}", clock) : t("widget.hold_over");
      holdBar.classList.toggle("wegwijs-hold-over", !left);
      if (!left) clearInterval(holdTimer);
    };
    tick();
    holdTimer = setInterval(tick, 1000);
  }

  // --- talking to the service ----------------------------------------------

  async function request(method, path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const res = await fetch(service + path, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
        signal: controller.signal,
        credentials: "omit",
        cache: "no-store",
      });
      const json = await res.json().catch(() => null);
      return { status: res.status, json };
    } finally {
      clearTimeout(timer);
    }
  }

  // Once more after a short wait when the network or the service fails;
  // a 4xx is an answer, not a failure.
  async function requestWithRetry(method, path, body) {
    try {
      const r = await request(method, path, body);
      if (r.status < 500) return r;
    } catch (e) {
      // fall through to the retry
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
    const r = await request(method, path, body);
    // A refusal that explains itself (storage_unavailable) is shown as it is.
    if (r.status >= 500 && !(r.json && r.json.error)) throw new Error("service error " + r.status);
    return r;
  }

  let busy = false;
  let failed = null; // what to do again when the citizen asks to retry
  let unsent = null; // the citizen's bubble of a turn that did not go through

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    log.setAttribute("aria-busy", String(on));
    if (on) scrollDown();
  }

  function showError(again) {
    failed = again;
    errorBox.hidden = false;
  }
  function hideError() {
    failed = null;
    errorBox.hidden = true;
    errorText.textContent = t("widget.error");
  }
  function retry() {
    const again = failed;
    hideError();
    if (again) again();
  }
  // A turn that did not go through is dropped when the citizen says
  // something else instead: never joined to it.
  function dropUnsent() {
    if (unsent) unsent.remove();
    unsent = null;
  }

  // One turn: the citizen's words shown at once, the reply when it comes.
  // `shown` is what the citizen sees as their message (a typed text or the
  // label of a tapped choice); null for a turn the citizen did not say.
  // `mine` is the bubble already shown, when the turn is tried again.
  async function send(fields, shown, byButton, mine) {
    if (busy) return;
    hideError();
    if (!mine) dropUnsent();
    removeChoices();
    if (!mine && shown) mine = bubble("citizen", shown, state.locale);
    if (mine) {
      mine.classList.remove("wegwijs-unsent");
      const mark = mine.querySelector(".wegwijs-unsent-mark");
      if (mark) mark.remove();
    }
    scrollDown();
    const body = Object.assign({}, fields);
    if (state.sid) body.session_id = state.sid;
    if (!state.sid || fields.locale) body.locale = state.locale;
    setBusy(true);
    let r = null;
    try {
      r = await requestWithRetry("POST", "/v1/chat", body);
    } catch (e) {
      // unreachable, twice: handled below like a refusal
    }
    setBusy(false);
    if (!r || r.status !== 200 || !r.json) {
      // The words stay on screen, marked as not sent, with a retry; the
      // text field is the citizen's again, empty.
      if (mine) {
        unsent = mine;
        mine.classList.add("wegwijs-unsent");
        mine.appendChild(el("span", { class: "wegwijs-unsent-mark", text: " \u2013 " + t("widget.unsent") }));
      }
      showError(() => send(fields, shown, byButton, mine));
      // The service says why in the chat's language when it cannot store a turn.
      const error = r && r.json && r.json.error;
      if (error && error.code === "storage_unavailable" && typeof error.message === "string")
        errorText.textContent = error.message;
      retryButton.focus();
      return;
    }
    unsent = null;
    state.sid = r.json.session_id;
    if (r.json.locale && r.json.locale !== state.locale) {
      state.locale = r.json.locale;
      relabel();
    }
    saveState();
    const { first, group } = showReply(r.json.messages, r.json.locale, r.json.booking);
    expect(r.json.expect);
    holdFor(r.json.hold && r.json.hold.seconds_left);
    scrollTo(first);
    // Keyboard and screen reader users stay where they were: on the answers
    // after tapping one, in the text field after typing.
    if (byButton && group) group.querySelector("button").focus({ preventScroll: true });
    else if (byButton) input.focus({ preventScroll: true });
  }

  function onSubmit(e) {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = ""; // what was sent is gone from the field, whatever happens to it
    send({ text }, text, false);
  }

  function switchLanguage(code) {
    if (code === state.locale || busy) return;
    state.locale = code;
    relabel();
    saveState();
    if (state.sid) send({ locale: code }, null, false);
    else if (state.open) start();
  }

  // The header's controls are commands, never words of the citizen.
  function restart() {
    if (!state.sid) return start();
    send({ command: "restart" }, t("widget.restart"), false);
    input.focus();
  }
  function human() {
    send({ command: "human" }, t("widget.human"), false);
  }

  let lostSid = null; // a conversation the service no longer has, to be told of
  function start() {
    log.textContent = "";
    log.appendChild(privacy);
    if (!lostSid) return send({}, null, false);
    state.sid = lostSid;
    lostSid = null;
    return send({ locale: state.locale }, null, false);
  }

  // The conversation of this tab so far, fetched back after a reload. One
  // that expired (or is gone) is said to have ended, by the service, in a
  // new conversation: never a silent fresh start.
  async function resume() {
    setBusy(true);
    try {
      const r = await requestWithRetry("GET", "/v1/chat/" + encodeURIComponent(state.sid));
      setBusy(false);
      if (r.status === 200 && r.json) {
        if (r.json.locale !== state.locale) {
          state.locale = r.json.locale;
          relabel();
        }
        showHistory(r.json);
        return;
      }
      // The service says so in the new conversation: now if the panel is
      // open, else when it is opened (no conversation is made unseen).
      lostSid = state.sid;
      state.sid = null;
      saveState();
      if (state.open) start();
    } catch (e) {
      setBusy(false);
      showError(resume);
    }
  }

  // --- opening and closing --------------------------------------------------

  // On a phone (the panel takes the whole screen) the panel is modal: the
  // page behind it is inert and the focus stays inside.
  const fullScreen = window.matchMedia("(max-width: 30rem), (max-height: 32rem)");
  let modal = false;
  const madeInert = [];
  function setModal() {
    const on = state.open && fullScreen.matches;
    if (on === modal) return;
    modal = on;
    panel.setAttribute("aria-modal", String(on));
    if (on) {
      for (const node of document.body.children)
        if (node !== root && !node.inert) {
          node.inert = true;
          madeInert.push(node);
        }
    } else {
      for (const node of madeInert.splice(0)) node.inert = false;
    }
  }
  fullScreen.addEventListener("change", setModal);

  function show(on) {
    state.open = on;
    saveState();
    panel.hidden = !on;
    launcher.setAttribute("aria-expanded", String(on));
    root.classList.toggle("wegwijs-open", on);
    setModal();
    panel.setAttribute("aria-modal", String(modal));
  }

  function open() {
    show(true);
    input.focus();
    scrollDown();
    if (!state.sid && !busy && !log.firstChild) start();
  }

  function close() {
    show(false);
    launcher.focus();
  }

  function mount() {
    document.body.appendChild(root);
    relabel();
    if (state.sid) resume();
    if (state.open) {
      show(true); // as it was before the reload; the focus stays with the page
      if (!state.sid) start();
    }
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
