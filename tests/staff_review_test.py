#!/usr/bin/env python3
"""Staff review's work on conversations, against the real `wegwijs serve`:

- the outcome each conversation reached (booked, no appointment needed,
  human contact, two misunderstandings, abandoned once idle) and the
  product, as list filters; reviewed and annotated as filters;
- the misunderstood inbox: the fallback and a correction are in it, masked,
  with the assistant's answer; an annotated turn leaves it;
- annotations: product, intent and note checked against the catalog and the
  lexicon, the note masked in every view, a reviewer may annotate, CSRF
  needed, removing one;
- exports: conversations and turns as CSV and JSONL, masked, a formula
  never left for a spreadsheet to run; annotations as routing-eval lines and
  as a conversation script, which replays against the service to the
  annotated product;
- a person's data, by e-mail or phone in any form: found, handed over
  unmasked (right of access), erased with their booking (right to
  erasure); one conversation deleted; all for admins only, with a reason;
- the dashboard's numbers and its SVG charts;
- the audit log has the marks, annotations, exports, look-ups, access and
  erasures (never the person's details), and an admin exports it; a
  reviewer may not.

usage: staff_review_test.py <path to wegwijs>"""
import csv
import io
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "support"))
from checks import Checks  # noqa: E402
from service import Service  # noqa: E402
from staff_client import ADMIN_PW, NOW, REVIEWER_PW, Client, book, chat, staff_cmd  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
SECRETS = ["Fatima", "Benali", "fatima.benali", "0470", "12 34 56"]
checks = Checks()


def check(cond, what):
    checks(what, cond)


def talk(svc, *turns):
    """A web conversation of typed words (str) or taps (dict); its id."""
    sid = None
    for t in turns:
        body = dict(t) if isinstance(t, dict) else {"text": t}
        if sid:
            body["session_id"] = sid
        sid = chat(svc, body)["session_id"]
    return sid


def ids(page):
    return [c["session_id"] for c in page.get("conversations", [])]


def main():
    tmp = tempfile.mkdtemp(prefix="wegwijs-review-")
    db = os.path.join(tmp, "wegwijs.db")
    check(staff_cmd(BIN, db, "add", "ann", "--role", "admin",
                    stdin=ADMIN_PW + "\n").returncode == 0, "an admin")
    check(staff_cmd(BIN, db, "add", "bob", "--role", "reviewer",
                    stdin=REVIEWER_PW + "\n").returncode == 0, "a reviewer")

    svc = Service(BIN, db, ["--now", NOW])
    try:
        booked, _ = book(svc, "Mijn verblijfskaart is verlopen", "Fatima Benali",
                         "fatima.benali@example.org", "0470 12 34 56")
        hotel = talk(svc, "Ik verblijf een week in een hotel in Gent", "ja")
        lost = talk(svc, "blablabla qwerty", "zzz xyz plop")
        human = talk(svc, "ik wil een mens spreken")
        corrected = talk(svc, "ik heb een vraag", "nee, het loket")
        formula = talk(svc, "=HYPERLINK(\"http://evil.example\",\"klik\")", "hallo")

        ann, bob = Client(svc), Client(svc)
        check(ann.login("ann", ADMIN_PW)[0] == 200 and bob.login("bob", REVIEWER_PW)[0] == 200,
              "both log in")

        # Outcomes and products as filters.
        expected = {"booked": [booked], "no_appointment": [hotel], "misunderstood": [lost],
                    "human": [human]}
        for outcome, want in expected.items():
            status, _, page = ann.call("GET", "/v1/staff/conversations?outcome=" + outcome)
            check(status == 200 and ids(page) == want, f"outcome={outcome}: {ids(page)}")
        _, _, page = ann.call("GET", "/v1/staff/conversations")
        rows = {c["session_id"]: c for c in page["conversations"]}
        check(rows[booked]["outcome"] == "booked" and rows[corrected]["outcome"] == "",
              "the list shows the outcome; an ongoing conversation has none")
        check(rows[lost]["flagged"] == 2 and rows[corrected]["flagged"] == 1,
              f"and how many turns are in the inbox: {rows[lost]['flagged']}")
        _, _, page = ann.call("GET", "/v1/staff/conversations?product=loket.short_stay")
        check(ids(page) == [hotel], f"product filter: {ids(page)}")
        for bad in ["outcome=won", "product=loket.pizza", "reviewed=maybe", "channel=fax"]:
            status, _, body = ann.call("GET", "/v1/staff/conversations?" + bad)
            check(status == 400 and body["error"]["code"] == "invalid_field", f"{bad}: {status}")

        # Reviewed marks.
        status, _, body = bob.call("POST", f"/v1/staff/conversations/{hotel}/review",
                                   {"reviewed": True})
        check(status == 200 and body["reviewed"], f"a reviewer marks one reviewed: {status}")
        _, _, page = ann.call("GET", "/v1/staff/conversations?reviewed=yes")
        check(ids(page) == [hotel] and page["conversations"][0]["reviewed_by"] == "bob",
              f"reviewed=yes: {ids(page)}")
        _, _, page = ann.call("GET", "/v1/staff/conversations?reviewed=no")
        check(hotel not in ids(page) and len(ids(page)) == 5, "reviewed=no")
        status, _, _ = bob.call("POST", f"/v1/staff/conversations/{hotel}/review",
                                {"reviewed": True}, csrf=False)
        check(status == 403, "a mark needs the CSRF token")
        check(bob.call("POST", "/v1/staff/conversations/nope/review",
                       {"reviewed": True})[0] == 404, "an unknown conversation: 404")
        check(bob.call("POST", f"/v1/staff/conversations/{hotel}/review",
                       {"reviewed": "yes"})[0] == 400, "reviewed must be true or false")

        # The misunderstood inbox.
        status, _, inbox = bob.call("GET", "/v1/staff/inbox")
        flagged = [(t["session_id"], t["flag"], t["text"]) for t in inbox.get("turns", [])]
        check(status == 200 and (corrected, "correction", "nee, het loket") in flagged
              and (lost, "fallback", "blablabla qwerty") in flagged
              and (lost, "fallback", "zzz xyz plop") in flagged, f"the inbox: {flagged}")
        check(all(s not in (booked, hotel, human) for s, _, _ in flagged),
              "understood turns stay out of it")
        entry = next(t for t in inbox["turns"] if t["flag"] == "correction")
        check(entry["reply"] != "" and entry["conversation"]["desk"] == "loket",
              f"with the assistant's answer and the conversation: {entry['conversation']}")
        fallback = next(t for t in inbox["turns"] if t["text"] == "zzz xyz plop")
        check("09 210 10 10" in fallback["reply"] and "[telefoon]" not in fallback["reply"],
              f"the city's own phone number is not masked: {fallback['reply']}")
        _, _, only = bob.call("GET", "/v1/staff/inbox?flag=correction")
        check([t["session_id"] for t in only["turns"]] == [corrected], "the flag filter")

        # Annotations.
        path = f"/v1/staff/conversations/{corrected}/turns/{entry['id']}/annotation"
        for body, code in [({"product": "loket.pizza"}, "invalid_field"),
                           ({"intent": "dance"}, "invalid_field"),
                           ({"note": "  "}, "annotation_empty")]:
            status, _, answer = bob.call("POST", path, body)
            check(status == 400 and answer["error"]["code"] == code, f"{body}: {status} {answer}")
        check(bob.call("POST", path, {"product": "loket.long_stay"}, csrf=False)[0] == 403,
              "an annotation needs the CSRF token")
        assistant_turn = entry["id"] + 1
        check(bob.call("POST", f"/v1/staff/conversations/{corrected}/turns/{assistant_turn}"
                       "/annotation", {"product": "loket.long_stay"})[0] == 404,
              "the assistant's turn is not annotated")
        check(bob.call("POST", f"/v1/staff/conversations/{booked}/turns/{entry['id']}"
                       "/annotation", {"product": "loket.long_stay"})[0] == 404,
              "a turn of another conversation is not")
        status, _, answer = bob.call("POST", path, {
            "product": "loket.residence_card",
            "note": "Wou haar kaart vernieuwen; mail fatima.benali@example.org"})
        check(status == 200 and answer["account"] == "bob", f"a reviewer annotates: {status}")
        _, _, conv = ann.call("GET", f"/v1/staff/conversations/{corrected}")
        shown = next(t for t in conv["turns"] if t["id"] == entry["id"])
        check(shown["annotation"]["product"] == "loket.residence_card"
              and "[e-mail]" in shown["annotation"]["note"]
              and "fatima" not in json.dumps(conv), f"the note is masked: {shown['annotation']}")
        check(shown["flag"] == "correction", "the transcript shows the flag")
        _, _, inbox = bob.call("GET", "/v1/staff/inbox")
        check(corrected not in [t["session_id"] for t in inbox["turns"]],
              "an annotated turn leaves the inbox")
        _, _, inbox = bob.call("GET", "/v1/staff/inbox?all=1")
        check(corrected in [t["session_id"] for t in inbox["turns"]], "all=1 shows it again")
        _, _, page = ann.call("GET", "/v1/staff/conversations?annotated=yes")
        check(ids(page) == [corrected], f"annotated=yes: {ids(page)}")
        lost_turn = next(t for t in inbox["turns"] if t["text"] == "blablabla qwerty")
        lost_path = f"/v1/staff/conversations/{lost}/turns/{lost_turn['id']}/annotation"
        check(bob.call("POST", lost_path, {"intent": "greeting", "note": "x"})[0] == 200,
              "an intent annotation")
        check(bob.call("DELETE", lost_path)[0] == 200, "removed")
        check(bob.call("DELETE", lost_path)[0] == 404, "removed once")
        check(bob.call("POST", lost_path, {"intent": "out_of_scope"})[0] == 200,
              "annotated again")

        # Exports, masked.
        status, headers, data = bob.raw("/v1/staff/export/conversations?format=csv")
        text = data.decode("utf-8")
        table = list(csv.DictReader(io.StringIO(text)))
        check(status == 200 and "attachment" in headers.get("Content-Disposition", "")
              and headers.get("Content-Type", "").startswith("text/csv"), f"a CSV file: {status}")
        check(len(table) == 6 and {r["outcome"] for r in table} >=
              {"booked", "no_appointment", "misunderstood", "human"},
              f"one row per conversation, with its outcome: {len(table)}")
        check(all(s not in text for s in SECRETS), "the CSV is masked")
        check(text.startswith("session_id,created,") and "\r\n" in text, "RFC 4180")
        row = next(r for r in table if r["session_id"] == formula)
        check(row["opening"].startswith("'="), f"a formula is not left to run: {row['opening']}")
        status, headers, data = bob.raw("/v1/staff/export/conversations?format=jsonl&rows=turn"
                                        "&outcome=booked")
        lines = [json.loads(x) for x in data.decode("utf-8").splitlines()]
        check(status == 200 and len(lines) > 10 and {x["session_id"] for x in lines} == {booked},
              f"one row per turn, filtered: {len(lines)}")
        check(all(s not in data.decode("utf-8") for s in SECRETS), "the JSONL is masked")
        check(bob.raw("/v1/staff/export/conversations?format=xls")[0] == 400, "a bad format: 400")

        # The dashboard: numbers, and charts drawn by the service.
        status, _, dash = bob.call("GET", "/v1/staff/dashboard?from=2026-12-01&to=2026-12-01"
                                          "&by=desk")
        total = dash.get("total", {})
        check(status == 200 and total.get("conversations") == 6 and total.get("booked") == 1
              and total.get("human") == 1, f"the dashboard's totals: {total}")
        check(abs(total.get("booking_conversion", 0) - 0.5) < 1e-9,
              f"booking conversion: booked of those that reached a product: {total}")
        sizes = [g["conversations"] for g in dash["groups"]]
        check(sizes == sorted(sizes, reverse=True) and sum(sizes) == 6,
              f"split by desk, largest first: {dash['groups']}")
        status, headers, svg = bob.raw("/v1/staff/dashboard/rates.svg?from=2026-12-01&lang=en")
        check(status == 200 and headers.get("Content-Type", "").startswith("image/svg+xml")
              and svg.startswith(b"<svg") and b"Product at the first turn" in svg,
              f"a chart, in English: {status} {svg[:80]}")
        check(bob.call("GET", "/v1/staff/dashboard?bucket=month")[0] == 400, "a bad bucket: 400")
        check(bob.call("GET", "/v1/staff/dashboard?from=2025-01-01&to=2026-12-01")[0] == 400,
              "at most 400 days")

        # Annotations as regression data.
        status, _, data = bob.raw("/v1/staff/export/annotations?format=route-eval")
        lines = [json.loads(x) for x in data.decode("utf-8").splitlines()]
        check(status == 200 and {"text": "nee, het loket", "lang": "nl",
                                 "expect": ["loket.residence_card"]} in lines
              and [x["expect"] for x in lines if x["text"] == "blablabla qwerty"] == [[None]],
              f"routing eval lines: {lines}")
        status, _, data = bob.raw("/v1/staff/export/annotations?format=conversations")
        scripts = json.loads(data)["conversations"]
        script = next((s for s in scripts if s["turns"][-1].get("expect", {}).get("product")),
                      None)
        check(status == 200 and script and [t.get("text") for t in script["turns"]] ==
              ["ik heb een vraag", "nee, het loket"], f"a conversation script: {scripts}")
        # It replays against the service, and fails as the transcript did:
        # the test it makes is a real one.
        sid, route = None, None
        for t in script["turns"]:
            body = {"text": t["text"]} if sid is None else {"session_id": sid, "text": t["text"]}
            r = chat(svc, body)
            sid, route = r["session_id"], r.get("route")
        check(route is None, "the script shows the miss it was written for")

        # A person's data: found, handed over, erased; one conversation deleted.
        who = {"email": "Fatima.Benali@example.org"}
        status, _, body = bob.call("POST", "/v1/staff/people/find", who)
        check(status == 403 and body["error"]["code"] == "admin_only", "a reviewer may not look")
        status, _, found = ann.call("POST", "/v1/staff/people/find", who)
        check(status == 200 and found["conversations"] == [booked] and found["bookings"] == 1,
              f"found by e-mail, in any case: {found}")
        _, _, by_phone = ann.call("POST", "/v1/staff/people/find", {"phone": "+32 470 12 34 56"})
        check(by_phone == found, f"and by phone, in another form: {by_phone}")
        check(ann.call("POST", "/v1/staff/people/find", {"email": "nobody"})[0] == 400,
              "not an e-mail address: 400")
        check(ann.call("POST", "/v1/staff/people/access", who)[0] == 400, "access needs a reason")
        status, headers, data = ann.raw_post("/v1/staff/people/access",
                                             {**who, "reason": "verzoek 2026/118"})
        given = json.loads(data) if status == 200 else {}
        check(status == 200 and "attachment" in headers.get("Content-Disposition", ""),
              f"access: a file: {status}")
        check(given.get("bookings", [{}])[0].get("name") == "Fatima Benali"
              and "fatima.benali@example.org" in json.dumps(given["conversations"]),
              "with everything, unmasked: it is hers")
        status, _, body = ann.call("DELETE", f"/v1/staff/conversations/{hotel}", {})
        check(status == 400 and body["error"]["code"] == "reason_needed", "deleting needs a reason")
        check(bob.call("DELETE", f"/v1/staff/conversations/{hotel}", {"reason": "x"})[0] == 403,
              "a reviewer may not delete")
        check(ann.call("DELETE", f"/v1/staff/conversations/{hotel}",
                       {"reason": "test conversation"})[0] == 200, "an admin deletes one")
        check(ann.call("GET", f"/v1/staff/conversations/{hotel}")[0] == 404, "it is gone")
        status, _, erased = ann.call("POST", "/v1/staff/people/erase",
                                     {"phone": "0470123456", "reason": "verzoek 2026/119"})
        check(status == 200 and erased == {"conversations": 1, "bookings": 1},
              f"erased: {status} {erased}")
        _, _, found = ann.call("POST", "/v1/staff/people/find", who)
        check(found == {"conversations": [], "bookings": 0}, f"nothing is left: {found}")
        check(ann.call("GET", f"/v1/staff/conversations/{booked}")[0] == 404,
              "the conversation is gone")

        # The audit log has it all, and an admin exports it.
        status, _, data = ann.raw("/v1/staff/audit/export?format=csv")
        audit = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        actions = [(r["account"], r["action"]) for r in audit]
        for want in [("bob", "reviewed"), ("bob", "inbox"), ("bob", "annotate"),
                     ("bob", "unannotate"), ("bob", "export"), ("ann", "find_person"),
                     ("ann", "access"), ("ann", "delete"), ("ann", "erase"),
                     ("bob", "refused")]:
            check(want in actions, f"audited: {want}")
        check(all("fatima" not in r["detail"].lower() and "470" not in r["detail"]
                  for r in audit), "no annotation's note and no person's details in it")
        check(any(r["action"] == "erase" and "verzoek 2026/119" in r["detail"] for r in audit),
              "an erasure with its reason")
        status, _, body = bob.call("GET", "/v1/staff/audit/export")
        check(status == 403 and body["error"]["code"] == "admin_only", "a reviewer may not")
        svc.stop()

        # Idle past --idle-minutes with no outcome: abandoned.
        svc = Service(BIN, db, ["--now", "2026-12-01T11:00:00+01:00"])
        ann.svc = svc
        ann.login("ann", ADMIN_PW)
        _, _, page = ann.call("GET", "/v1/staff/conversations?outcome=abandoned")
        check(set(ids(page)) == {corrected, formula, sid},
              f"abandoned (and the replay): {ids(page)}")
        check(all(c["outcome"] == "abandoned" for c in page["conversations"]), "and shown so")
    finally:
        svc.stop()
    checks.finish()


if __name__ == "__main__":
    main()
