"""Wire-style articles written by the project for the tests (no corpus text): a varied dateline,
people with titles, organisations with acronyms, quotes, reported speech, dates, credits, and
non-ASCII names and symbols. Shared by test_spark.py and test_arrow.py."""

CITIES = ["WASHINGTON", "LONDON", "BEIJING", "MOSCOW", "PARIS", "NEW DELHI", "NAIROBI", "BERLIN",
          "TOKYO", "CAIRO", "SÃO PAULO", "ANCHORAGE, Alaska", "SPRINGFIELD, Ill.", "GENEVA",
          "BOGOTA", "ZURICH"]
AGENCIES = ["Reuters", "AP", "AFP", "Xinhua", "dpa", "EFE", "UPI"]
MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
          "Nov.", "Dec."]
FIRST = ["Maria", "John", "Wang", "Amina", "Pedro", "Olga", "Kenji", "Fatima", "Lukas", "Chloé",
         "Rahul", "Grace"]
LAST = ["Okafor", "Smith", "Lindqvist", "Haddad", "Moreno", "Ivanova", "Tanaka", "Müller",
        "Brennan", "Dubois", "Kapoor", "Mensah"]
TITLES = ["Finance Minister", "Prime Minister", "chief executive", "spokeswoman", "Senator",
          "President", "analyst"]
ORGS = ["the World Health Organization (WHO)", "Northwind Mining Corp", "the Central Bank",
        "Globex Airlines", "the United Nations", "Harbor Shipping Ltd"]
TOPICS = ["the harvest was smaller than expected", "talks would resume next week",
          "prices had risen for a third month", "the bridge would reopen on Monday",
          "the company planned to hire 400 workers", "the vote was postponed until Friday",
          "exports fell 3.2 percent in the second quarter", "no one was hurt in the fire"]
QUOTES = ["We are not going to give up", "This is a good day for the region",
          "Nobody expected the numbers to be this strong", "We will see what happens 😀",
          "It is far too early to say", "The plan is dead, plain and simple"]


def write_article(rng, i):
    """One wire-style article: a varied dateline, people with titles, quotes, reported speech."""
    city = rng.choice(CITIES)
    agency = rng.choice(AGENCIES)
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    style = rng.randrange(5)
    if style == 0:
        dateline = f"{city}, {MONTHS[month]} {day} ({agency}) -- "
    elif style == 1:
        dateline = f"{city} ({agency}) - "
    elif style == 2:
        dateline = f"{city}, {MONTHS[month]} {day}, 20{rng.randint(10, 24)} ({agency}) — "
    elif style == 3:
        dateline = f"{city.title()} — "
    else:
        dateline = ""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    other = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    org = rng.choice(ORGS)
    weekday = rng.choice(["Monday", "Tuesday", "Friday"])
    parts = [f"{dateline}{rng.choice(TITLES)} {name} said on {weekday} that {rng.choice(TOPICS)}."]
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(4)
        if kind == 0:
            parts.append(f"\"{rng.choice(QUOTES)},\" {name.split()[1]} told reporters.")
        elif kind == 1:
            parts.append(f"{other}, who works for {org}, said {rng.choice(TOPICS)}.")
        elif kind == 2:
            parts.append(f"“{rng.choice(QUOTES)},” said {other} of {org}.")
        else:
            parts.append(f"According to {org}, {rng.choice(TOPICS)} on {MONTHS[month]} "
                         f"{day}.")
    body = "\n\n".join(parts)
    if rng.random() < 0.3:
        body += f"\n\n(Reporting by {other}; Editing by {name}) ({i})"
    return body
