#!/usr/bin/env python3
"""Generate the synthetic, labelled PII evaluation set (stdlib only, deterministic).

    python3 policies/pii/eval/generate.py            # writes dev.jsonl and test.jsonl

dev.jsonl  -- seed 1234,  DEV_* templates: the detector was tuned on this file.
test.jsonl -- seed 98765, TEST_* templates (different wording, layouts and
              distractors): held out, never tuned on.

Each line: {"id","text","expect":"modify"|"allow","entities":[{"type","start","end"}]}
with start/end as UTF-8 *byte* offsets (what the policy reports). Every value is
synthetic or a published test value (see README.md).
"""

import json
import os
import random
import re
import string
import base64

HERE = os.path.dirname(os.path.abspath(__file__))

FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
         "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe", "jose", "anaïs",
         "li", "priya", "kwame", "sven", "fatima", "mateo"]
LAST = ["smith", "jones", "garcia", "müller", "nguyen", "okafor", "rossi", "kowalski", "tanaka", "dubois",
        "silva", "brown", "patel", "kim", "novak", "larsen"]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "acme-corp.io", "company.co.uk",
           "uni.example.edu", "shop.example.de", "contoso.com", "fabrikam.org", "globex.example"]

# Published test card numbers (Stripe / PayPal / Adyen documentation) plus generated ones.
TEST_CARDS = ["4111111111111111", "4242424242424242", "4012888888881881", "5555555555554444",
              "5105105105105100", "2223003122003222", "378282246310005", "371449635398431",
              "6011111111111117", "6011000990139424", "3530111333300000", "3566002020360505",
              "30569309025904", "38520000023237", "6200000000000005"]
IINS = [("4", 16), ("51", 16), ("53", 16), ("55", 16), ("2221", 16), ("2720", 16), ("34", 15), ("37", 15),
        ("6011", 16), ("65", 16), ("3528", 16), ("36", 14), ("62", 16), ("4", 13)]

# IBAN examples from the SWIFT IBAN registry / ECBS documentation.
IBAN_EXAMPLES = ["DE89370400440532013000", "GB82WEST12345698765432", "FR1420041010050500013M02606",
                 "NL91ABNA0417164300", "ES9121000418450200051332", "IT60X0542811101000000123456",
                 "CH9300762011623852957", "BE68539007547034", "AT611904300234573201",
                 "PL61109010140000071219812874", "NO9386011117947", "SE4550000000058398257466"]
IBAN_LAYOUT = {"DE": "n18", "GB": "a4n14", "FR": "n23", "NL": "a4n10", "ES": "n20", "IT": "a1n22",
               "BE": "n12", "AT": "n16", "PL": "n24", "CH": "n17", "IE": "a4n14", "PT": "n21", "DK": "n14"}


def luhn_complete(prefix, length, rnd):
    body = prefix + "".join(rnd.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def iban_check(country, bban):
    s = bban + country + "00"
    n = int("".join(str(int(c, 36)) for c in s))
    return "%02d" % (98 - n % 97)


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def d(self, n):
        return "".join(self.r.choice(string.digits) for _ in range(n))

    # ---- entities -------------------------------------------------------
    def email(self):
        r = self.r
        f, l = r.choice(FIRST), r.choice(LAST)
        f = f.replace("ï", "i").replace("ü", "u")
        l = l.replace("ü", "u")
        local = r.choice([f, f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}", f"{f}{r.randint(1, 99)}", f"{f}+{r.choice(['news', 'work', 'x'])}"])
        if r.random() < 0.15:
            local = local.capitalize()
        return f"{local}@{r.choice(DOMAINS)}"

    def phone(self):
        r = self.r
        a = f"{r.randint(2, 9)}{self.d(2)}"
        e = f"{r.randint(2, 9)}{self.d(2)}"
        x = self.d(4)
        forms = [f"({a}) {e}-{x}", f"{a}-{e}-{x}", f"{a}.{e}.{x}", f"+1 {a} {e} {x}", f"+1-{a}-{e}-{x}",
                 f"1-800-{e}-{x}", f"+1 ({a}) {e}-{x}",
                 f"+44 20 7946 0{self.d(3)}", f"+44 7700 900{self.d(3)}", f"+33 1 {self.d(2)} {self.d(2)} {self.d(2)} {self.d(2)}",
                 f"+49 30 {self.d(7)}", f"+61 2 {self.d(4)} {self.d(4)}", f"+91 98{self.d(3)} {self.d(5)}",
                 f"+81 3 {self.d(4)} {self.d(4)}", f"+34 91 {self.d(3)} {self.d(2)} {self.d(2)}", f"+4915{self.d(9)}",
                 f"+55 11 9{self.d(4)}-{self.d(4)}"]
        return r.choice(forms)

    def credit_card(self):
        r = self.r
        if r.random() < 0.5:
            n = r.choice(TEST_CARDS)
        else:
            p, ln = r.choice(IINS)
            n = luhn_complete(p, ln, r)
        style = r.choice(["compact", "space", "dash"])
        if style == "compact":
            return n
        sep = " " if style == "space" else "-"
        if len(n) == 15:
            return sep.join([n[:4], n[4:10], n[10:]])
        if len(n) == 14:
            return sep.join([n[:4], n[4:10], n[10:]])
        return sep.join(n[i:i + 4] for i in range(0, len(n), 4))

    def ssn(self):
        r = self.r
        while True:
            area = r.randint(1, 899)
            if area != 666:
                break
        return f"{area:03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"

    def iban(self):
        r = self.r
        if r.random() < 0.4:
            v = r.choice(IBAN_EXAMPLES)
        else:
            c = r.choice(sorted(IBAN_LAYOUT))
            bban = ""
            for kind, cnt in re.findall(r"([an])(\d+)", IBAN_LAYOUT[c]):
                pool = string.ascii_uppercase if kind == "a" else string.digits
                bban += "".join(r.choice(pool) for _ in range(int(cnt)))
            v = c + iban_check(c, bban) + bban
        if r.random() < 0.55:
            return " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        return v

    def ip(self):
        r = self.r
        if r.random() < 0.7:
            first = r.choice([10, 172, 192, 203, 198, 81, 94, 151, 62])
            return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        groups = [f"{r.randint(0, 0xffff):x}" for _ in range(8)]
        if r.random() < 0.5:
            return "2001:db8:" + ":".join(groups[2:])
        return f"2001:db8:{groups[2]}::{groups[5]}:{r.randint(1, 0xffff):x}"

    def secret(self):
        r = self.r
        an = string.ascii_letters + string.digits
        k = r.randrange(8)
        if k == 0:
            return "sk-proj-" + "".join(r.choice(an + "_-") for _ in range(48))
        if k == 1:
            return "sk-ant-api03-" + "".join(r.choice(an + "_-") for _ in range(60))
        if k == 2:
            return r.choice(["AKIA", "ASIA"]) + "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(16))
        if k == 3:
            return r.choice(["ghp_", "gho_"]) + "".join(r.choice(an) for _ in range(36))
        if k == 4:
            return "github_pat_" + "".join(r.choice(an) for _ in range(22)) + "_" + "".join(r.choice(an) for _ in range(59))
        if k == 5:
            return f"xox{r.choice('bpa')}-{self.d(12)}-{self.d(12)}-" + "".join(r.choice(an) for _ in range(24))
        if k == 6:
            b64 = lambda o: base64.urlsafe_b64encode(json.dumps(o, separators=(",", ":")).encode()).decode().rstrip("=")
            head = b64({"alg": r.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"})
            body = b64({"sub": self.d(10), "name": r.choice(FIRST), "iat": int(self.d(10))})
            sig = "".join(r.choice(an + "_-") for _ in range(43))
            return f"{head}.{body}.{sig}"
        lines = ["".join(r.choice(an + "+/") for _ in range(64)) for _ in range(r.randint(2, 5))]
        kind = r.choice(["RSA ", "EC ", "", "OPENSSH "])
        return f"-----BEGIN {kind}PRIVATE KEY-----\n" + "\n".join(lines) + f"\n-----END {kind}PRIVATE KEY-----"

    def password_value(self):
        r = self.r
        an = string.ascii_letters + string.digits
        return r.choice([
            "".join(r.choice(an) for _ in range(r.randint(8, 16))),
            r.choice(["hunter", "Summer", "letmein", "Tr0ub4dor", "correct-horse"]) + self.d(r.randint(2, 4)) + r.choice(["!", "#", "", "$"]),
        ])

    # ---- distractors (never PII) -----------------------------------------
    def distractor(self, kind):
        r = self.r
        if kind == "version":
            return r.choice([f"v{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
                             f"{r.randint(1, 5)}.{r.randint(0, 12)}.{r.randint(0, 9)}-beta.{r.randint(1, 4)}",
                             f"10.0.{r.randint(17000, 22631)}.{r.randint(1000, 4000)}"])
        if kind == "date":
            return r.choice([f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                             f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/20{r.randint(10, 29)}",
                             f"{r.choice(['March', 'June', 'October'])} {r.randint(1, 28)}, 20{r.randint(10, 29)}"])
        if kind == "time":
            return r.choice([f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
                             f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z",
                             f"17{self.d(8)}"])
        if kind == "uuid":
            h = "".join(r.choice("0123456789abcdef") for _ in range(32))
            return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
        if kind == "order":
            return r.choice([f"ORD-2024-{self.d(6)}", f"#{self.d(8)}", f"order {self.d(10)}", f"INV-{self.d(6)}",
                             f"1Z{self.d(3)}AA1{self.d(10)}", f"PO {self.d(4)}-{self.d(3)}-{self.d(4)}"])
        if kind == "price":
            return r.choice([f"${r.randint(1, 9)},{self.d(3)}.{self.d(2)}", f"€{r.randint(1, 999)}.{self.d(2)}",
                             f"USD {r.randint(10, 99)},{self.d(3)}", f"£{r.randint(1, 99)}.99"])
        if kind == "code":
            return r.choice(["for (int i = 0; i < 10; i++) { sum += a[i]; }", "const port = 8080;",
                             "if (a == b) return 0;", "user_id: 42", "std::vector<int> v(16);",
                             "x = y * 1000003 % 97", "retries: 3, timeout: 30", "SELECT * FROM t WHERE id = 1234567;"])
        if kind == "hash":
            return r.choice(["".join(r.choice("0123456789abcdef") for _ in range(40)),
                             "".join(r.choice("0123456789abcdef") for _ in range(7))])
        if kind == "number":
            return r.choice([f"{r.randint(1, 99)},{self.d(3)} users", f"{r.randint(1, 99)}.{self.d(3)}%",
                             f"ISBN 978-0-{self.d(3)}-{self.d(5)}-{r.randint(0, 9)}", f"room {r.randint(100, 999)}",
                             f"ZIP {self.d(5)}", f"{r.randint(10, 89)}.{self.d(4)}, -{r.randint(10, 170)}.{self.d(4)}",
                             f"MAC 00:1A:{r.randint(10, 99)}:3C:4D:5E", f"ext. {self.d(4)}", f"localhost:{r.randint(1024, 9999)}"])
        raise KeyError(kind)


ENTITY_SLOTS = {"email", "phone", "credit_card", "ssn", "iban", "ip", "secret"}
DISTRACTORS = ["version", "date", "time", "uuid", "order", "price", "code", "hash", "number"]

DEV_POS = [
    "Hi, I'm {name}. You can reach me at {email} or on {phone}.",
    "Please charge my card {credit_card} for order {order}, thanks!",
    "My SSN is {ssn} and my date of birth is {date}.",
    "Wire the refund to {iban} before {date}, reference {order}.",
    "The login came from {ip} at {time}, is that suspicious?",
    "Here is my key {secret} -- why does the API return 401?",
    "Contact {email}; backup contact {email}.",
    "Card: {credit_card}\nExpiry: 04/27\nName: {name}",
    "Call me on {phone} after {time}, or email {email}.",
    "Server {ip} keeps timing out since {version} was deployed.",
    "export OPENAI_API_KEY={secret}\nexport PORT=8080",
    "config.yaml:\n  password: {pw}\n  host: db.internal",
    "DB_PASSWORD={pw} is what I used in staging.",
    "The invoice for {price} should go to {iban}.",
    "Employee record: {name}, SSN {ssn}, phone {phone}.",
    "Can you format this JSON? {\"user\": \"{email}\", \"ip\": \"{ip}\"}",
    "I paid {price} with {credit_card} on {date}.",
    "My colleague ({email}) says the build {version} broke.",
    "Use the token {secret} for the staging cluster.",
    "Traceroute shows {ip} then {ip} before it drops.",
    "{name} <{email}> wrote on {date}: please update my IBAN to {iban}.",
    "Ping me at {phone}; my ticket is {order}.",
    "{\"api_key\": \"{pw}\", \"region\": \"eu-west-1\"}",
    "Why is my card {credit_card} declined when my balance is {price}?",
    "I got a letter asking for my social security number ({ssn}), is that a scam?",
]
DEV_NEG = [
    "Release {version} went out on {date} and fixed the crash from {version}.",
    "Your order {order} of {price} ships on {date}.",
    "The job started at {time} and ended at {time}.",
    "Request id {uuid} failed; see trace {hash}.",
    "Snippet: {code}",
    "We had {number} last month, up from {number}.",
    "Meeting notes ({date}): budget {price}, deadline {date}, owner @alice.",
    "Use npm i @types/node@{version} and lodash@4.17.21.",
    "Password rules: at least 12 characters, rotated every 90 days.",
    "The risk-free task-based plan costs {price} per seat.",
    "Timestamp {time}, build {version}, commit {hash}.",
    "Coordinates {number}; see {order}.",
]
TEST_POS = [
    "Good morning! Send the contract to {email} and cc {email}, please.",
    "Could you call {phone} to confirm the delivery slot?",
    "Billing details -- card number {credit_card}, billing zip 94103.",
    "For the background check: SSN {ssn}.",
    "Beneficiary IBAN: {iban} (Bank transfer due {date}).",
    "Firewall blocked {ip} {number}.",
    "Our CI leaked {secret} in a log, how do I rotate it?",
    "Reach our hotline {phone} or write to {email} -- ticket {order}.",
    "curl -H 'Authorization: Bearer {secret}' https://api.example.com/v1/items",
    "- name: {name}\n  mail: {email}\n  tel: {phone}\n  ip: {ip}",
    "Transfer {price} from {iban} to {iban}.",
    "The customer ({credit_card}) disputes a charge of {price}.",
    "passwd={pw} works on the jump host but not on {ip}.",
    "secret: '{pw}' is in the old settings file.",
    "SSN {ssn}, card {credit_card}, IBAN {iban}: please verify my identity.",
    "Private key below, is it the right format?\n{secret}\nThanks.",
    "Which regex matches addresses like {email}?",
    "Logs: {time} GET /health from {ip} 200; {time} POST /login from {ip} 401",
    "my number changed to {phone} (old one was {phone})",
    "Is {credit_card} a valid Visa test number?",
    "Hola, mi correo es {email} y mi móvil {phone}.",
    "Tax form: name {name}; social security {ssn}; employer id {order}.",
    "Paste of .env: AWS_ACCESS_KEY_ID={secret}",
    "Gateway: {ip}, DNS: {ip}, version {version}.",
]
TEST_NEG = [
    "Version {version} is out; upgrade before {date}.",
    "Tracking number {order}, estimated arrival {date}, total {price}.",
    "Cron ran at {time}; next run at {time}.",
    "Object {uuid} was updated by job {uuid}.",
    "Example code:\n{code}\n{code}",
    "Stats: {number}, {number} and {number}.",
    "Ask @bob about the @Override annotation in {version}.",
    "The token bucket refills every 10 ms; the secret sauce is caching.",
    "Firmware build {version} released {date}, checksum {hash}.",
    "Invoice {order}: {price} due {date}.",
    "Position {number}, heading 270, speed 14 knots.",
]


def fill(gen, template):
    """Expand slots left to right; return (text, entities with byte spans)."""
    text = b""
    ents = []
    pos = 0
    for m in re.finditer(r"\{(\w+)\}", template):
        text += template[pos:m.start()].encode()
        slot = m.group(1)
        if slot in ENTITY_SLOTS:
            v = getattr(gen, slot)().encode()
            ents.append({"type": slot, "start": len(text), "end": len(text) + len(v)})
            text += v
        elif slot == "pw":
            v = gen.password_value().encode()
            ents.append({"type": "secret", "start": len(text), "end": len(text) + len(v)})
            text += v
        elif slot == "name":
            text += f"{gen.r.choice(FIRST).capitalize()} {gen.r.choice(LAST).capitalize()}".encode()
        else:
            text += gen.distractor(slot).encode()
        pos = m.end()
    text += template[pos:].encode()
    return text.decode(), ents


def build(seed, pos_templates, neg_templates, n_pos, n_neg, prefix):
    rnd = random.Random(seed)
    gen = Gen(rnd)
    cases = []
    for _ in range(n_pos):
        t, e = fill(gen, rnd.choice(pos_templates))
        cases.append((t, e))
    for _ in range(n_neg):
        t, e = fill(gen, rnd.choice(neg_templates))
        cases.append((t, e))
    rnd.shuffle(cases)
    out = []
    for i, (t, e) in enumerate(cases, 1):
        out.append({"id": f"{prefix}-{i:04d}", "text": t, "expect": "modify" if e else "allow", "entities": e})
    return out


def write(name, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write("dev.jsonl", build(1234, DEV_POS, DEV_NEG, 400, 150, "pii-dev"))
    write("test.jsonl", build(98765, TEST_POS, TEST_NEG, 400, 150, "pii-test"))
