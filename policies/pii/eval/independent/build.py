#!/usr/bin/env python3
"""Build the independent PII evaluation set (cases.jsonl).

Hand-written by the evaluation engineer from knowledge of real-world formats,
WITHOUT reading the detector's source (policies/pii/src/) or its own
generator (policies/pii/eval/generate.py).

Every case is a list of parts: a plain string, or a (type, value) tuple that is
labelled. Offsets are computed here as UTF-8 byte offsets, so they are exact.
Random-looking values (secrets, IBANs, some card numbers, SSNs) come from a
seeded PRNG so the file is reproducible; checksums (Luhn, IBAN mod-97) are
computed and asserted.

    python3 policies/pii/eval/independent/build.py          # rewrite cases.jsonl
    python3 policies/pii/eval/independent/build.py --check  # fail if out of date
"""

import base64
import json
import random
import string
import sys
from pathlib import Path

OUT = Path(__file__).with_name("cases.jsonl")
rng = random.Random(0x5EED_1D)

ALNUM = string.ascii_letters + string.digits
URLSAFE = ALNUM + "-_"
UPPER_B32 = string.ascii_uppercase + "234567"


def rnd(alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


# ---------------------------------------------------------------- checksums
def luhn_ok(num):
    digits = [int(d) for d in num if d.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(prefix, length):
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for c in string.digits:
        if luhn_ok(body + c):
            return body + c
    raise AssertionError


def iban_mod97(s):
    s = s.replace(" ", "")
    r = s[4:] + s[:4]
    n = "".join(str(int(ch, 36)) for ch in r)
    return int(n) % 97


def make_iban(cc, bban):
    tmp = bban + cc + "00"
    n = "".join(str(int(ch, 36)) for ch in tmp)
    check = 98 - int(n) % 97
    iban = f"{cc}{check:02d}{bban}"
    assert iban_mod97(iban) == 1
    return iban


def group4(s):
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


D = string.digits
U = string.ascii_uppercase
UD = U + D

# BBAN shapes (simplified to the right length and character classes).
BBAN = {
    "DE": [(D, 18)],
    "GB": [(U, 4), (D, 14)],
    "FR": [(D, 10), (UD, 11), (D, 2)],
    "NL": [(U, 4), (D, 10)],
    "ES": [(D, 20)],
    "IT": [(U, 1), (D, 10), (UD, 12)],
    "BE": [(D, 12)],
    "CH": [(D, 5), (UD, 12)],
    "AT": [(D, 16)],
    "PL": [(D, 24)],
    "IE": [(U, 4), (D, 14)],
    "SE": [(D, 20)],
    "NO": [(D, 11)],
    "PT": [(D, 21)],
    "FI": [(D, 14)],
    "DK": [(D, 14)],
    "LU": [(D, 3), (UD, 13)],
}


def rand_iban(cc):
    return make_iban(cc, "".join(rnd(a, n) for a, n in BBAN[cc]))


def rand_ssn(sep="-"):
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}{sep}{rng.randint(1, 99):02d}{sep}{rng.randint(1, 9999):04d}"


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jwt(payload):
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = b64url(bytes(rng.getrandbits(8) for _ in range(32)))
    return f"{head}.{body}.{sig}"


def pem(kind="PRIVATE KEY", lines=6):
    raw = bytes(rng.getrandbits(8) for _ in range(48 * lines - 10))
    b = base64.b64encode(b"\x30\x82\x04\xbd\x02\x01\x00\x30\x0d\x06" + raw).decode()
    body = "\n".join(b[i : i + 64] for i in range(0, len(b), 64))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"


def openai_legacy():
    return "sk-" + rnd(ALNUM, 20) + "T3BlbkFJ" + rnd(ALNUM, 20)


def openai_proj():
    return "sk-proj-" + rnd(URLSAFE, 74) + "T3BlbkFJ" + rnd(URLSAFE, 74)


def anthropic():
    return "sk-ant-api03-" + rnd(URLSAFE, 93) + "AA"


def aws_id(prefix="AKIA"):
    return prefix + rnd(UPPER_B32, 16)


def aws_secret():
    return rnd(ALNUM + "/+", 40)


def ghp(prefix="ghp_"):
    return prefix + rnd(ALNUM, 36)


def gh_fine():
    return "github_pat_11" + rnd(UD, 20) + "_" + rnd(ALNUM, 59)


def slack(prefix="xoxb"):
    return f"{prefix}-{rnd(D, 12)}-{rnd(D, 13)}-{rnd(ALNUM, 24)}"


def stripe():
    return "sk_live_" + rnd(ALNUM, 24)


def google_key():
    return "AIza" + rnd(URLSAFE, 35)


# ------------------------------------------------------------------ helpers
def E(v):
    return ("email", v)


def P(v):
    return ("phone", v)


def C(v):
    assert luhn_ok(v), v
    return ("credit_card", v)


def S(v):
    d = v.replace(" ", "").replace("-", "")
    a, g, s = int(d[:3]), int(d[3:5]), int(d[5:])
    assert len(d) == 9 and a not in (0, 666) and a < 900 and g and s, v
    return ("ssn", v)


def I(v):
    assert iban_mod97(v) == 1, v
    return ("iban", v)


def IP(v):
    return ("ip", v)


def K(v):
    return ("secret", v)


CASES = []


def case(*parts):
    CASES.append(parts)


# ======================================================================
# POSITIVES
# ======================================================================

# ---------------------------------------------------------------- emails
case("Hi, I can't log in. My account email is ", E("maria.gonzalez+billing@example.com"), " and the reset link never arrives.")
case("From: Tom Becker <", E("t.becker@mail.corp-eu.example.de"), ">\nTo: support team\nSubject: Invoice 2024-0917 missing")
case("Please cc ", E("ops-alerts@status.internal.example.io"), " on every incident update.")
case("[2024-05-02 09:14:55] INFO auth: login ok user=", E("j_smith42@example.co.uk"), " ip=", IP("198.51.100.23"))
case("customer_email,plan,seats\n", E("ANNA.K@EXAMPLE.ORG"), ",enterprise,250")
case("Contact us at mailto:", E("press@xn--bcher-kva.ch"), " for review copies.")
case("hey can u send it to ", E("dan_o@fastmail.example.net"), " instead? my work one is blocked lol")
case("Reply-To: ", E("noreply+ticket-48213@helpdesk.example.com"))
case("The report was generated by ", E("etl-bot@data-pipeline.prod.example.com"), " at 03:00 UTC.")
case("Grüße aus München! Schreib mir an ", E("lena.hoffmann@posteo.example.de"), " 😊")
case("git log --format: 3f9c2ab Fix race in scheduler (Priya Raman <", E("priya.raman@users.noreply.example.com"), ">)")
case("{\"user\": {\"id\": 88231, \"email\": \"", E("k.oduya@example.africa"), "\", \"verified\": true}}")
case("Forwarding to my personal address ", E("michael.obrien1987@gmail.com"), ", please use that from now on.")
case("Two contacts: ", E("a@b.io"), " and ", E("first.middle.last@sub1.sub2.example.museum"), ".")
case("ERROR smtp: 550 mailbox unavailable for <", E("old.employee@legacy.example.com"), ">")
case("Name: Sofia Rossi | Email: ", E("sofia_rossi@libero.example.it"), " | Role: Admin")
case("ユーザー ", E("tanaka.hiroshi@example.jp"), " からのお問い合わせです。")
case("Add ", E("dev+staging.alerts@team.example.dev"), " to the PagerDuty rotation.")

# ---------------------------------------------------------------- phones (NANP)
case("Please call me back at ", P("(415) 555-0132"), " after 5pm.")
case("Customer phone: ", P("415-555-0187"), ", prefers text messages.")
case("Our US office: ", P("+1 415 555 0132"), " (Mon-Fri 9-5 PT).")
case("Emergency contact: Jamie Lee, ", P("212.555.0147"), ".")
case("Toll free: ", P("1-800-555-0199"), " | Fax: ", P("(646) 555-0123"))
case("sms sent to ", P("+14155550178"), " status=delivered latency_ms=412")
case("Cell ", P("+1 (312) 555-0164"), ", office ext. 2231")
case("phone,name\n", P("617-555-0110"), ",Alex Chen\n", P("617-555-0111"), ",Brooke Diaz")
case("Can someone ring the vendor? Number is ", P("1 (888) 555-0142"), ".")
case("WhatsApp me on ", P("+1-303-555-0129"), " if the call drops.")
case("Shipping label: Ship to R. Patel, 12 Elm St, Austin TX 78701, tel ", P("512 555 0175"))
case("Voicemail from ", P("(206) 555-0101"), " at 14:22, 47 seconds long.")

# ---------------------------------------------------------------- phones (international)
case("London switchboard: ", P("+44 20 7946 0958"), ".")
case("Berliner Büro: ", P("+49 30 901820"), ", Zentrale.")
case("Réservation au ", P("+33 1 42 68 53 00"), " avant 18h.")
case("Tokyo desk ", P("+81 3-1234-5678"), ", Osaka desk ", P("+81 6-6123-4567"))
case("Sydney support line ", P("+61 2 9876 5432"))
case("Driver's mobile: ", P("+91 98765 43210"), " — he'll call when near.")
case("Madrid: ", P("+34 912 345 678"), "; Amsterdam: ", P("+31 20 123 4567"))
case("Dublin office ", P("+353 1 234 5678"), " is closed on bank holidays.")
case("E.164 only please, e.g. ", P("+442079460958"), ", not the national format.")
case("caller_id=", P("+4930901820"), " duration=00:03:12 result=answered")
case("Zap me a message at ", P("+55 11 91234-5678"), " (São Paulo).")
case("UK mobile ", P("+44 7700 900123"), " (Ofcom drama range).")
case("Zürich: ", P("+41 44 668 18 00"), "; Wien: ", P("+43 664 1234567"))
case("Mexico sales: ", P("+52 55 1234 5678"))

# ---------------------------------------------------------------- credit cards
case("Card on file: ", C("4111 1111 1111 1111"), " exp 12/27")
case("Please refund to ", C("5555-5555-5555-4444"), ", the charge on 03/14 was a duplicate.")
case("PAN=", C("4012888888881881"), " amount=49.99 currency=USD status=declined")
case("amex ", C("3782 822463 10005"), " cvv on back")
case("My Discover card ", C("6011 1111 1111 1117"), " keeps getting declined at checkout.")
case("{\"card_number\": \"", C("5105105105105100"), "\", \"exp_month\": 8, \"exp_year\": 2026}")
case("Test cards: ", C("4242 4242 4242 4242"), " (Visa), ", C("2223 0031 2200 3222"), " (MC 2-series)")
case("Ich habe mit der Karte ", C("4000 0566 5566 5556"), " bezahlt, Betrag 129,00 €.")
case("charge failed for card ", C("371449635398431"), " (Amex)")
case("order 55102,", C("6011-0009-9013-9424"), ",USD,120.00")
case("Customer read out: ", C("5200 8282 8282 8210"), ". I told them never to share it over chat.")
for pre, ln in [("4", 16), ("51", 16), ("54", 16), ("37", 15), ("6011", 16), ("4", 16)]:
    num = luhn_complete(pre, ln)
    if ln == 15:
        fmt = f"{num[:4]} {num[4:10]} {num[10:]}"
    else:
        fmt = rng.choice([group4(num), "-".join(num[i : i + 4] for i in range(0, 16, 4)), num])
    case(rng.choice(["Pay with ", "cc: ", "card number ", "Updated billing card to "]), C(fmt), rng.choice([".", " thanks", " (exp 09/28)", ""]))

# ---------------------------------------------------------------- SSNs
case("SSN: ", S("524-71-9384"), " DOB 1984-07-12")
case("Employee W-4 on file, social security number ", S("219-09-4471"), ".")
case("applicant_ssn=", S("078-44-1126"), " state=NY")
case("Can you verify my SSN? It's ", S("412 55 7023"), ".")
case("name,ssn,hire_date\nDana White,", S("321-54-0987"), ",2019-03-01")
case("Tax ID (SSN) ", S("667-21-4410"), " — please redact before forwarding.")
case("The form shows SSN ", S("899-12-3456"), " but the card says otherwise.")
for _ in range(5):
    case(rng.choice(["ssn: ", "Social Security No. ", "SSN#", "taxpayer SSN "]), S(rand_ssn()), rng.choice(["", ".", " (primary)", " verified"]))
case("SSN: ", S("501938274"), " (no dashes, as typed by the customer)")

# ---------------------------------------------------------------- IBANs
case("Please wire the deposit to ", I("DE89 3704 0044 0532 0130 00"), ".")
case("IBAN: ", I("GB82 WEST 1234 5698 7654 32"), " BIC: WESTGB2L")
case("Bankverbindung: ", I("AT611904300234573201"), ", Kontoinhaber M. Huber")
case("Virement sur ", I("FR1420041010050500013M02606"), " svp.")
case("Refund IBAN ", I("NL91ABNA0417164300"), " (ING)")
for cc in ["ES", "IT", "BE", "CH", "PL", "IE", "SE", "NO", "PT", "FI", "DK", "LU", "DE", "GB", "FR"]:
    iban = rand_iban(cc)
    shown = group4(iban) if rng.random() < 0.6 else iban
    case(
        rng.choice(["Payout account ", "iban=", "Our bank details: IBAN ", "Change my IBAN to ", "beneficiary_iban: "]),
        I(shown),
        rng.choice(["", ".", " — thanks!", "\nBIC to follow.", " (EUR)"]),
    )

# ---------------------------------------------------------------- IPs
case("Failed password for root from ", IP("203.0.113.77"), " port 52144 ssh2")
case("upstream connect error, upstream=", IP("10.42.7.19"), ":8443 retries=3")
case("ALLOW tcp ", IP("192.168.1.254"), " -> ", IP("172.16.30.5"), ":443")
case("Our resolver is ", IP("8.8.8.8"), ", fallback ", IP("1.1.1.1"), ".")
case("client ", IP("2001:db8:85a3::8a2e:370:7334"), " requested /api/v2/orders")
case("inet6 ", IP("fe80::1ff:fe23:4567:890a"), "/64 scope link")
case("listen [", IP("2001:db8::1"), "]:443 ssl http2;")
case("X-Forwarded-For: ", IP("198.51.100.4"), ", ", IP("203.0.113.9"))
case("The customer says their office IP is ", IP("81.2.69.160"), ", please whitelist it.")
case(IP("203.0.113.0"), "/24 blocked; offender ", IP("203.0.113.201"), " hit 9,412 requests")
case("full form ", IP("2001:0db8:0000:0000:0000:ff00:0042:8329"), " should normalize")
case("peer=", IP("[2a00:1450:4001:82b::200e]"[1:-1]), " rtt=12ms")
case("{\"remote_addr\":\"", IP("100.64.12.9"), "\",\"status\":502}")
case("Hostname db-primary resolves to ", IP("10.0.12.4"), " internally.")
case("geo lookup for ", IP("185.199.108.153"), ": Frankfurt, DE")
case("Ping ", IP("2606:4700:4700::1111"), " works but IPv4 doesn't.")
case("nginx: ", IP("66.249.66.1"), " - - [02/May/2024:10:01:02 +0000] \"GET / HTTP/1.1\" 200 512")

# ---------------------------------------------------------------- secrets
case("OPENAI_API_KEY=", K(openai_legacy()))
case("here's my key, ", K(openai_proj()), " can you check why it 401s?")
case("export ANTHROPIC_API_KEY=\"", K(anthropic()), "\"")
case("client = Anthropic(api_key=\"", K(anthropic()), "\")")
case("[default]\naws_access_key_id = ", K(aws_id()), "\naws_secret_access_key = ", K(aws_secret()), "\nregion = eu-west-1")
case("Found key ", K(aws_id()), " in commit 9e1f0c2 of the public repo!")
case("temporary creds: ", K(aws_id("ASIA")), " expiring 2024-06-01T12:00:00Z")
case("git remote set-url origin https://", K(ghp()), "@github.com/acme/infra.git")
case("GITHUB_TOKEN: ", K(ghp()), " # TODO rotate")
case("token = \"", K(gh_fine()), "\"")
case("SLACK_BOT_TOKEN=", K(slack()), "\nSLACK_CHANNEL=#deploys")
case("Posting with user token ", K(slack("xoxp")), " fails with missing_scope")
case("Authorization: Bearer ", K(jwt({"sub": "8810234", "name": "Ravi Kumar", "iat": 1714550400, "exp": 1714554000})))
case("cookie session=", K(jwt({"uid": 4412, "role": "admin", "exp": 1735689600})), "; Path=/; HttpOnly")
case("Here's the key they emailed us:\n", K(pem("RSA PRIVATE KEY", 8)), "\nDo not commit this.")
case("id_ed25519:\n", K(pem("OPENSSH PRIVATE KEY", 4)))
case("key.pem contents ->\n", K(pem("PRIVATE KEY", 10)))
case("db:\n  host: db.internal\n  user: app\n  password: ", K("x9!Vq2#Lr8@tWm4z"), "\n  port: 5432")
case("DB_PASSWORD=", K("Tr0ub4dor&3-horse"))
case("{\"username\": \"svc-report\", \"password\": \"", K("Wint3r-is-C0ming!2024"), "\"}")
case("spring.datasource.password=", K("hK7#pQ2mZ9vX"))
case("client_secret: ", K("9f3b8e2c1a7d4f6e0b5c8a2d7e1f4b9c"))
case("my password is ", K("sunflower1987!"), " pls reset it")
case("stripe.api_key = \"", K(stripe()), "\"")
case("maps key ", K(google_key()), " leaked in the frontend bundle")
case("webhook secret=", K("whsec_" + rnd(ALNUM, 32)))
case("curl -H 'x-api-key: ", K(anthropic()), "' https://api.example.com/v1/messages")
case("New hire onboarding: wifi password: ", K("BlueOtter#5521"), ", door code in the wiki.")
case("config.yaml\napi_key: ", K(openai_proj()), "\nmodel: gpt-4o\ntemperature: 0.2")
case("Set REDIS_PASSWORD to ", K("c8Vn2Lk0Qw7ZrT5y"), " on the staging box.")
case("PGPASSWORD=", K("s3cr3tP@ss"), " psql -h ", IP("10.0.0.5"), " -U admin")
case("Legacy key sk-... was revoked; the new one is ", K(openai_legacy()), ".")
case("AWS_SECRET_ACCESS_KEY=", K(aws_secret()))
case("Rotate the bot token ", K(slack()), " after the offboarding.")

# ---------------------------------------------------------------- mixed / forms / CSV
case(
    "Ticket #48213 — Customer: Jane Morales, email ", E("jane.morales@example.com"), ", phone ", P("(415) 555-0143"),
    ", paid with ", C("4111-1111-1111-1111"), ". She wrote from ", IP("203.0.113.42"), ".",
)
case(
    "Full name: Oliver Grant\nEmail: ", E("oliver.grant@example.net"), "\nPhone: ", P("+44 20 7946 0321"),
    "\nIBAN: ", I(group4(rand_iban("GB"))), "\nNotes: none",
)
case(
    "id,name,email,phone,ssn\n1,Ana Silva,", E("ana.silva@example.pt"), ",", P("+351 21 123 4567"), ",\n2,Bob Kent,",
    E("bob.kent@example.com"), ",", P("312-555-0198"), ",", S("431-22-8765"),
)
case(
    "2024-05-11T08:12:03Z WARN payment declined card=", C("5555555555554444"), " user=", E("lee.w@example.org"), " ip=", IP("198.51.100.77"),
)
case("Employee record: SSN ", S(rand_ssn()), ", salary account ", I(group4(rand_iban("DE"))), ", mobile ", P("+49 151 23456789"))
case("Hi! I'm Chloé (", E("chloe.martin@example.fr"), ", ", P("+33 6 12 34 56 78"), "). Mon IBAN: ", I(rand_iban("FR")))
case(".env\nDATABASE_URL=postgres://app@", IP("10.1.2.3"), "/app\nDB_PASS=", K("Gx83!kqP0zLm"), "\nADMIN_EMAIL=", E("admin@acme-corp.io"), "\nSENTRY_IP=", IP("10.1.2.9"))
case("Signup form >> First: Raj | Last: Mehta | Email: ", E("raj.mehta@example.in"), " | Mobile: ", P("+91 99887 76655"), " | Promo: SPRING24")
case("Please charge ", C("3714 496353 98431"), " and email the receipt to ", E("finance@smallbiz.example.com"), ".")
case("incident: key ", K(ghp()), " pushed by ", E("intern@example.com"), " from ", IP("192.0.2.15"))

case("Thanks! Also my SSN is ", S("287-65-4321"), " if you need it for the W-9.")
case("Hola, mi tarjeta ", C(group4(luhn_complete("4", 16))), " fue rechazada otra vez 😞")
case("Reach me at ", P("+1 650 555 0100"), " or ", E("lisa@startup.example.ai"), ".")
case("| Name | Phone |\n|------|-------|\n| Ops on-call | ", P("(503) 555-0186"), " |")
case("beneficiary,iban,email\nKlein GmbH,", I(rand_iban("DE")), ",", E("buchhaltung@klein-gmbh.example.de"))
case("##[debug] using token ", K(ghp("ghs_")), " for checkout")
case("GET /reset?token=", K(jwt({"sub": "user-2231", "purpose": "pwreset", "exp": 1716000000})), " HTTP/1.1")
case("my card is ", C(luhn_complete("4", 16)), " exp 0428 cvc 311")
case("Their SSN (", S(rand_ssn(" ")), ") was printed on the envelope.")
case(IP("192.0.2.44"), " - ", E("guest.user@example.com"), " [10/Oct/2024:13:55:36 -0700] \"POST /login\" 401")
case("Bitte überweisen Sie 250 € auf ", I(group4(rand_iban("AT"))), ", Verwendungszweck: Rechnung 4471.")
case("Wire instructions: IBAN ", I(rand_iban("CH")), ", ref. INV-2024-0042, contact ", P("+41 44 668 18 00"), ".")
case("ssh deploy@", IP("203.0.113.150"), " -i ~/.ssh/deploy_key")
case("Slack: <@U024BE7LH> the new token is ", K(slack()), ", old one revoked.")
case("Two numbers on the account: ", P("(718) 555-0133"), " (home) and ", P("+1 917 555 0172"), " (cell).")

# ======================================================================
# NEGATIVES (PII-free hard negatives)
# ======================================================================
NEG = [
    "Your order #112-4839201-5521893 has shipped and will arrive Thursday.",
    "UPS tracking: 1Z999AA10123456784",
    "USPS tracking number 9400 1000 0000 0000 0000 00",
    "FedEx 7489 2271 3365 — out for delivery",
    "Upgraded from v1.24.3 to v1.25.0, no breaking changes.",
    "Windows build 10.0.19045.3803 fails the update check.",
    "Meeting moved to 2024-03-15 at 14:30 CET.",
    "Deadline: 03/15/2024 5:00 PM",
    "Timestamp 2024-05-02T09:14:55.123Z level=info msg=started",
    "Total: $1,299.00 (incl. $104.32 tax)",
    "Preis: 1.249,99 € inkl. MwSt.",
    "request_id=3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f status=200",
    "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "md5 d41d8cd98f00b204e9800998ecf8427e  empty.txt",
    "ISBN 978-0-13-468599-1, 2nd edition, 512 pages",
    "ISBN-10: 0-306-40615-2",
    "Card number 4111 1111 1111 1112 fails the checksum, as expected in the test.",
    "Invalid test PAN 5555-5555-5555-4445 should be rejected.",
    "Ref 1234 5678 9012 3456 is our internal batch reference (not a card).",
    "SSN 000-12-3456 is invalid: area number 000 is never issued.",
    "Reject 666-45-1234: area 666 is not assigned.",
    "Numbers like 912-34-5678 (area 900-999) are ITINs or invalid, not SSNs.",
    "Group 00 is invalid, so 123-00-4567 must fail validation.",
    "Serial 0000 is never used: 219-09-0000 is not a valid SSN.",
    "Part number 800-555-019 is back in stock.",
    "Model WD40-EZRZ-00GXCB0, serial WCC7K4KXN6XU",
    "Commit 3f9c2ab1e4d5f6a7b8c9d0e1f2a3b4c5d6e7f8a9 reverted the change.",
    "Fixed in a1b2c3d, see PR #4821.",
    "3.14159 * 2 = 6.28318, and 1234 + 5678 = 6912",
    "The matrix [[1, 0, 0], [0, 1, 0], [0, 0, 1]] is the identity.",
    "Server listening on localhost:8080 (admin UI on :9090)",
    "Coordinates: 37.7749, -122.4194 (San Francisco)",
    "Ship to zip 94103-1234, Suite 400.",
    "Invoice INV-2024-000123 is due in 30 days.",
    "PO 4500012345 approved by procurement.",
    "epoch_ms=1714550400000 epoch=1714550400",
    "JIRA PLAT-4821 and PLAT-4822 are duplicates.",
    "semver 2.0.0-rc.1+build.5114f85 is a prerelease.",
    "Color palette: #ff00aa, #1e90ff, #00000080",
    "Reset your password using the link on the sign-in page.",
    "The secret to good sourdough is patience and a warm kitchen.",
    "Token limits: 128k context, 4k output tokens.",
    "Never paste your API key into a chat; use a secrets manager instead.",
    "password: ********",
    "OPENAI_API_KEY=${OPENAI_API_KEY}",
    "api_key: <your-api-key-here>",
    "pip install scikit-learn==1.4.2 numpy>=1.26",
    "Use the AKIA prefix to recognise long-term AWS access key IDs.",
    "IBAN GB00 WEST 1234 5698 7654 32 has a bad check digit, so the bank rejected it.",
    "Invalid address 256.300.1.1 in config, please fix.",
    "Version 999.12.0.1 of the firmware is not released yet.",
    "MAC 00:1A:2B:3C:4D:5E connected to port 12.",
    "Score was 21-14 at halftime, final 35-28.",
    "Room 1402, building 7, floor 14.",
    "Call extension 4521 for the help desk.",
    "The population grew from 1,234,567 to 1,456,789 between 2010 and 2020.",
    "Flight LH 400 departs FRA 10:55, arrives JFK 13:35.",
    "Docker image sha256:2cf3e4a1b5d6c7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2",
    "Duration 00:03:12.450, bitrate 320 kbps, 44.1 kHz",
    "Case ID 20240515-000731 escalated to tier 2.",
    "Use @maria and @ops-team in the thread, not email.",
    "npm i react@18.2.0 @types/node@20.11.5",
    "K8s: cpu: 500m, memory: 512Mi, replicas: 3",
    "Latitude 51.5074° N, longitude 0.1278° W",
    "The range 10-20-30 dB was tested at 1 kHz.",
    "Lottery numbers: 04 15 23 42 08 16",
    "Batch 2024.05.02.1 processed 18,442 rows in 3.2s",
    "Chapter 12, verses 3-7; see also pp. 415-555.",
    "GTIN 00012345600012 and EAN 4006381333931",
    "UUIDv7 018f2b6e-7c4a-7b1e-9a3d-5f6e7a8b9c0d assigned",
    "Mortgage rate 6.875% for 30 years on $415,555",
    "The year 1984 and the year 2001 are both in the title list.",
    "AWS region us-east-1, account alias acme-prod, bucket logs-2024",
    "base64 of 'hello world' is aGVsbG8gd29ybGQ=",
    "Thanks for reaching out! We'll get back to you within 24 hours.",
    "Bitte senden Sie uns die Unterlagen bis Freitag.",
    "Order 501-2283-9914 was split into two shipments.",
    "The answer is 42; the question is still unknown.",
    "Server time drift: +0.003s vs NTP",
    "Hex dump: 48 65 6c 6c 6f 20 57 6f 72 6c 64",
]
for t in NEG:
    case(t)


# ======================================================================
def render():
    lines = []
    for n, parts in enumerate(CASES, 1):
        text = b""
        ents = []
        for p in parts:
            if isinstance(p, tuple):
                kind, val = p
                b = val.encode()
                ents.append({"type": kind, "start": len(text), "end": len(text) + len(b)})
                text += b
            else:
                text += p.encode()
        s = text.decode()
        for e in ents:
            assert s.encode()[e["start"] : e["end"]].decode(), e
        obj = {
            "id": f"ind-{n:04d}",
            "text": s,
            "expect": "modify" if ents else "allow",
            "entities": ents,
        }
        lines.append(json.dumps(obj, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main():
    out = render()
    if "--check" in sys.argv:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != out:
            sys.exit(f"{OUT} is out of date: run {sys.argv[0]}")
        return
    OUT.write_text(out, encoding="utf-8")
    pos = sum(1 for c in CASES if any(isinstance(p, tuple) for p in c))
    counts = {}
    for c in CASES:
        for p in c:
            if isinstance(p, tuple):
                counts[p[0]] = counts.get(p[0], 0) + 1
    print(f"wrote {OUT}: {len(CASES)} cases ({pos} with PII, {len(CASES) - pos} PII-free); labels {counts}")


if __name__ == "__main__":
    main()
