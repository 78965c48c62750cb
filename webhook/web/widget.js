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
  const restartButton = label(
    el("button", { type: "button", class: "wegwijs-restart", on: { click: restart } }),
    "widget.restart"
  );
  const closeButton = label(
    el("button", {
      type: "button",
      class: "wegwijs-close",
      text: "\u00d7",
      on: { click: () => close() },
    }),
    "widget.close",
    "aria-label"
  );

  const log = label(
    el("div", { class: "wegwijs-log", role: "log", "aria-live": "polite", tabindex: "0" }),
    "widget.log",
    "aria-label"
  );
  const typing = el("div", { class: "wegwijs-typing", hidden: true }, [
    el("span", { class: "wegwijs-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    label(el("span", { class: "wegwijs-typing-text" }), "widget.typing"),
  ]);
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
      el("div", { class: "wegwijs-head" }, [title, languageGroup, restartButton, closeButton]),
      log,
      typing,
      errorBox,
      form,
    ]
  );
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      close();
    }
  });

  const root = el("div", { class: "wegwijs" }, [launcher, panel]);

  // --- showing messages -----------------------------------------------------

  function bubble(from, text, locale) {
    const who = from === "citizen" ? "widget.you" : "widget.bot";
    const node = el("div", { class: "wegwijs-msg wegwijs-" + from, lang: locale || state.locale }, [
      el("span", { class: "wegwijs-sr", text: t(who) + ": " }),
      el("span", { class: "wegwijs-text", text: text }),
    ]);
    log.appendChild(node);
    return node;
  }

  function removeChoices() {
    for (const group of log.querySelectorAll(".wegwijs-choices")) group.remove();
  }

  function showChoices(choices, locale) {
    if (!choices || !choices.length) return null;
    const group = el(
      "div",
      { class: "wegwijs-choices", role: "group", "aria-label": t("widget.choices"), lang: locale },
      choices.map((c) =>
        el("button", {
          type: "button",
          class: "wegwijs-choice",
          "data-choice": c.id,
          text: c.label,
          on: { click: () => send({ choice: c.id }, c.label, true) },
        })
      )
    );
    log.appendChild(group);
    return group;
  }

  let cards = 0;
  function showCard(card, locale) {
    const rows = [
      ["widget.card.day", card.day],
      ["widget.card.time", card.time],
      ["widget.card.place", card.location],
      ["widget.card.address", card.address],
      ["widget.card.people", card.people > 1 ? String(card.people) : null],
    ];
    const list = el("dl", { class: "wegwijs-facts" });
    for (const [key, value] of rows) {
      if (!value) continue;
      list.appendChild(el("dt", { text: t(key) }));
      list.appendChild(el("dd", { text: value }));
    }
    const bring = (card.bring || []).length
      ? el("div", { class: "wegwijs-bring" }, [
          el("h3", { text: t("widget.card.bring") }),
          el(
            "ul",
            {},
            card.bring.map((item) => el("li", { text: item }))
          ),
        ])
      : null;
    const id = "wegwijs-card-" + ++cards;
    const node = el(
      "div",
      { class: "wegwijs-card", role: "group", "aria-labelledby": id, lang: locale },
      [
        el("h3", { id, text: t("widget.card.title") }),
        el("p", { class: "wegwijs-product", text: card.product + " \u2013 " + card.desk }),
        list,
        bring,
        card.arrive ? el("p", { text: card.arrive }) : null,
        el("p", { class: "wegwijs-code" }, [
          el("span", { text: t("widget.card.code") + ": " }),
          el("strong", { text: card.code }),
        ]),
        el("a", {
          class: "wegwijs-ics",
          href: service + card.ics,
          download: "appointment.ics",
          text: t("widget.card.ics"),
        }),
      ]
    );
    log.appendChild(node);
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  // One message of the assistant, with the card and the choices it carries;
  // returns the group of choices, if any.
  function showAssistant(text, locale, card, choices) {
    bubble("assistant", text, locale);
    if (card) showCard(card, locale);
    return showChoices(choices, locale);
  }

  // A reply of POST /v1/chat: the card goes with its last message, as in
  // the history of GET /v1/chat/{id}.
  function showReply(reply) {
    let group = null;
    reply.messages.forEach((m, i) => {
      const last = i === reply.messages.length - 1;
      const locale = m.locale || reply.locale;
      group = showAssistant(m.text, locale, last ? reply.booking : null, m.choices) || group;
    });
    scrollDown();
    return group;
  }

  function showHistory(history) {
    log.textContent = "";
    for (const m of history.messages) {
      const locale = m.locale || history.locale;
      if (m.from === "citizen") bubble("citizen", m.text, locale);
      else showAssistant(m.text, locale, m.booking, m.choices);
    }
    scrollDown();
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

  // One turn: the citizen's words shown at once, the reply when it comes.
  // `shown` is what the citizen sees as their message (a typed text or the
  // label of a tapped choice); null for a turn the citizen did not say.
  async function send(fields, shown, byButton) {
    if (busy) return;
    hideError();
    removeChoices();
    const mine = shown ? bubble("citizen", shown, state.locale) : null;
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
      // Nothing typed is lost: the words go back into the field.
      if (mine) mine.remove();
      if (fields.text !== undefined && !input.value) input.value = fields.text;
      showError(() => send(fields, shown, byButton));
      // The service says why in the chat's language when it cannot store a turn.
      const error = r && r.json && r.json.error;
      if (error && error.code === "storage_unavailable" && typeof error.message === "string")
        errorText.textContent = error.message;
      retryButton.focus();
      return;
    }
    state.sid = r.json.session_id;
    if (r.json.locale && r.json.locale !== state.locale) {
      state.locale = r.json.locale;
      relabel();
    }
    saveState();
    const group = showReply(r.json);
    // Keyboard and screen reader users stay where they were: on the answers
    // after tapping one, in the text field after typing.
    if (byButton && group) group.querySelector("button").focus();
    else if (byButton) input.focus();
  }

  function onSubmit(e) {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || busy) return;
    input.value = "";
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

  function restart() {
    if (!state.sid) return start();
    send({ choice: "restart" }, t("widget.restart"), false);
    input.focus();
  }

  function start() {
    log.textContent = "";
    return send({}, null, false);
  }

  // The conversation of this tab so far, fetched back after a reload.
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
      state.sid = null; // unknown or expired: a new conversation
      saveState();
      if (state.open) start();
    } catch (e) {
      setBusy(false);
      showError(resume);
    }
  }

  // --- opening and closing --------------------------------------------------

  function show(on) {
    state.open = on;
    saveState();
    panel.hidden = !on;
    launcher.setAttribute("aria-expanded", String(on));
    root.classList.toggle("wegwijs-open", on);
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
