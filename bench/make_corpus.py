"""Generate a corpus of invented conflict-news articles for the benchmarks, as JSON lines.

    python bench/make_corpus.py --n 200 --out /tmp/bench.jsonl [--seed 0]

Each article (~600 words) is assembled from sentence templates filled by a seeded RNG over real places, actor
names, event kinds, numbers, dates and quote forms. The sentences vary in structure (leads, quotes before and after
the speaker, "according to", relative clauses, background paragraphs) so that spaCy parses text that looks like
news, and the stages find places, dates, actors, events and quotes at realistic rates: the benchmark then measures
the cost they would have on real wire copy. Article `i` depends only on `(seed, i)`, so a corpus of 200 is the
first 200 articles of a corpus of 10,000 with the same seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

WORDS_PER_ARTICLE = 600

# country -> places (city, the region it lies in, a district or area of the city), forces, armed groups, names
COUNTRIES = {
    "Afghanistan": {
        "places": [("Kabul", "Kabul province", "Dasht-e-Barchi"), ("Kandahar", "Kandahar province", "Loya Wiala"),
                   ("Jalalabad", "Nangarhar province", "the third police district"),
                   ("Kunduz", "Kunduz province", "Chahar Dara"), ("Ghazni", "Ghazni province", "Andar"),
                   ("Herat", "Herat province", "Injil")],
        "forces": ["Taliban security forces", "the Taliban's interior ministry forces"],
        "groups": ["Islamic State Khorasan Province", "the National Resistance Front"],
        "names": ["Abdul Rahim Karimi", "Mohammad Nabi Sadat", "Gul Ahmad Noori", "Farida Habibi", "Zabihullah Amiri"],
    },
    "Pakistan": {
        "places": [("Peshawar", "Khyber Pakhtunkhwa", "Hayatabad"), ("Quetta", "Balochistan", "Satellite Town"),
                   ("Bannu", "Khyber Pakhtunkhwa", "Domel"), ("Lahore", "Punjab", "Anarkali"),
                   ("Karachi", "Sindh", "Lyari")],
        "forces": ["police", "the Frontier Corps", "the Pakistani army"],
        "groups": ["the Tehreek-e-Taliban Pakistan", "the Balochistan Liberation Army"],
        "names": ["Imran Khattak", "Shazia Baloch", "Tariq Mehmood", "Naveed Afridi", "Sadia Qureshi"],
    },
    "Syria": {
        "places": [("Idlib", "Idlib province", "Ariha"), ("Aleppo", "Aleppo province", "Salaheddine"),
                   ("Deir ez-Zor", "Deir ez-Zor province", "al-Mayadin"),
                   ("Daraa", "Daraa province", "Daraa al-Balad")],
        "forces": ["Syrian government forces", "the Syrian army"],
        "groups": ["Hayat Tahrir al-Sham", "the Islamic State group", "the Syrian Democratic Forces"],
        "names": ["Khaled al-Omar", "Rana Haddad", "Mahmoud Sheikh Issa", "Yasser Hamdan", "Lina Kassem"],
    },
    "Iraq": {
        "places": [("Kirkuk", "Kirkuk province", "Daquq"), ("Mosul", "Nineveh province", "al-Zanjili"),
                   ("Baqubah", "Diyala province", "Muqdadiya"), ("Tikrit", "Salahuddin province", "al-Alam")],
        "forces": ["Iraqi security forces", "the Counter-Terrorism Service", "the Iraqi army"],
        "groups": ["the Islamic State group", "an Iran-backed militia"],
        "names": ["Ali Hussein al-Jubouri", "Saad Kareem", "Haider Abbas", "Noor al-Hashimi", "Omar Younis"],
    },
    "Somalia": {
        "places": [("Mogadishu", "Banaadir", "Hodan"), ("Baidoa", "Bay region", "Isha"),
                   ("Beledweyne", "Hiran region", "Koshin"), ("Kismayo", "Lower Juba", "Farjano")],
        "forces": ["Somali government forces", "the Somali National Army", "African Union troops"],
        "groups": ["al-Shabaab", "an Islamic State faction"],
        "names": ["Abdirahman Hashi", "Halima Warsame", "Mohamed Farah Adan", "Fadumo Ali", "Yusuf Gedi"],
    },
    "Nigeria": {
        "places": [("Maiduguri", "Borno State", "Gwange"), ("Katsina", "Katsina State", "Funtua"),
                   ("Kaduna", "Kaduna State", "Birnin Gwari"), ("Gusau", "Zamfara State", "Tsafe")],
        "forces": ["Nigerian troops", "the Nigerian army", "police"],
        "groups": ["Boko Haram", "Islamic State West Africa Province", "armed bandits"],
        "names": ["Sani Bello", "Aisha Musa", "Abubakar Aliyu", "Ibrahim Garba", "Hauwa Yusuf"],
    },
    "Mali": {
        "places": [("Gao", "Gao region", "Ansongo"), ("Mopti", "Mopti region", "Sévaré"),
                   ("Timbuktu", "Tombouctou region", "Ber"), ("Bamako", "Bamako district", "Kalaban Coura")],
        "forces": ["the Malian army", "Malian soldiers"],
        "groups": ["Jama'at Nusrat al-Islam wal-Muslimin", "the Islamic State Sahel Province"],
        "names": ["Moussa Diarra", "Aminata Traoré", "Oumar Coulibaly", "Fatoumata Keita", "Boubacar Maïga"],
    },
    "Burkina Faso": {
        "places": [("Djibo", "Soum province", "the Djibo road"), ("Kaya", "Sanmatenga province", "Barsalogho"),
                   ("Ouahigouya", "Yatenga province", "Thiou"), ("Dori", "Seno province", "Seytenga")],
        "forces": ["the Burkinabe army", "the Volunteers for the Defence of the Homeland"],
        "groups": ["Jama'at Nusrat al-Islam wal-Muslimin", "the Islamic State Sahel Province"],
        "names": ["Issa Ouédraogo", "Salif Sawadogo", "Mariam Compaoré", "Adama Zongo", "Rasmata Kaboré"],
    },
    "DR Congo": {
        "places": [("Goma", "North Kivu", "Kiwanja"), ("Beni", "North Kivu", "Oicha"),
                   ("Bunia", "Ituri", "Djugu"), ("Bukavu", "South Kivu", "Kavumu")],
        "forces": ["Congolese troops", "the Congolese army"],
        "groups": ["the M23 rebel group", "the Allied Democratic Forces", "the CODECO militia"],
        "names": ["Jean-Baptiste Kambale", "Marie-Claire Furaha", "Esperance Mapendo", "Patrick Kasereka",
                  "Grace Kahindo"],
    },
    "Sudan": {
        "places": [("El Fasher", "North Darfur", "Abu Shouk"), ("Omdurman", "Khartoum state", "Karari"),
                   ("El Obeid", "North Kordofan", "Um Sumeima"), ("Nyala", "South Darfur", "Otash")],
        "forces": ["the Sudanese army", "Sudanese Armed Forces troops"],
        "groups": ["the Rapid Support Forces", "an RSF-aligned militia"],
        "names": ["Adam Ishaq", "Hawa Abdallah", "Mohamed Osman", "Amna Bashir", "Salah Eldin Yousif"],
    },
    "Ethiopia": {
        "places": [("Gondar", "Amhara region", "Azezo"), ("Bahir Dar", "Amhara region", "Zenzelma"),
                   ("Dessie", "Amhara region", "Kombolcha"), ("Nekemte", "Oromia region", "Guto Gida")],
        "forces": ["Ethiopian federal troops", "the Ethiopian National Defence Force"],
        "groups": ["Fano militiamen", "the Oromo Liberation Army"],
        "names": ["Tesfaye Alemu", "Meseret Bekele", "Dawit Haile", "Selam Tadesse", "Yonas Gebre"],
    },
    "Ukraine": {
        "places": [("Kharkiv", "Kharkiv region", "Saltivskyi district"), ("Odesa", "Odesa region", "Kyivskyi district"),
                   ("Zaporizhzhia", "Zaporizhzhia region", "Shevchenkivskyi district"),
                   ("Kherson", "Kherson region", "Korabel")],
        "forces": ["Ukrainian forces", "Ukraine's air defences"],
        "groups": ["Russian forces", "the Russian army"],
        "names": ["Vasyl Moroz", "Natalia Hrytsenko", "Oleksandr Bondar", "Iryna Kovalenko", "Serhiy Tkachenko"],
    },
    "Myanmar": {
        "places": [("Sittwe", "Rakhine State", "Kyauktaw"), ("Lashio", "Shan State", "Hsenwi"),
                   ("Mandalay", "Mandalay Region", "Chanayethazan"), ("Hakha", "Chin State", "Thantlang")],
        "forces": ["the Myanmar military", "junta troops"],
        "groups": ["the Arakan Army", "a local People's Defence Force", "the Ta'ang National Liberation Army"],
        "names": ["Khaing Min Naing", "Daw Aye Aye", "Ko Zaw Lin", "Nang Hseng", "U Tun Myint"],
    },
    "Colombia": {
        "places": [("Popayán", "Cauca department", "Argelia"), ("Cúcuta", "Norte de Santander", "Tibú"),
                   ("Tumaco", "Nariño department", "Llorente"), ("Medellín", "Antioquia", "Comuna 13")],
        "forces": ["the Colombian army", "Colombian police"],
        "groups": ["the ELN guerrilla", "a FARC dissident faction", "the Clan del Golfo"],
        "names": ["Ana Lucía Restrepo", "Jhon Fredy Mina", "Elena Ipia", "Carlos Andrés Ruiz", "Luz Marina Cuero"],
    },
    "Mexico": {
        "places": [("Culiacán", "Sinaloa", "Tierra Blanca"), ("Morelia", "Michoacán", "Uruapan"),
                   ("Chilpancingo", "Guerrero", "Tixtla"), ("Ciudad Juárez", "Chihuahua", "Riberas del Bravo")],
        "forces": ["the National Guard", "state police", "Mexican soldiers"],
        "groups": ["the Sinaloa cartel", "the Jalisco New Generation Cartel", "a local criminal gang"],
        "names": ["Rodolfo Ibarra", "María Fernanda López", "José Luis Castro", "Guadalupe Reyes", "Arturo Salinas"],
    },
    "Yemen": {
        "places": [("Saada", "Saada governorate", "Sahar"), ("Taiz", "Taiz governorate", "al-Qahira"),
                   ("Marib", "Marib governorate", "Sirwah"), ("Hodeidah", "Hodeidah governorate", "al-Hali")],
        "forces": ["Yemeni government forces", "the Saudi-led coalition"],
        "groups": ["the Houthis", "al-Qaeda in the Arabian Peninsula"],
        "names": ["Abdulmalik Saleh", "Nabil al-Hakimi", "Fatima Qassem", "Ahmed Ghaleb", "Mona al-Ariqi"],
    },
}

OUTLETS = ["Kabul Ledger", "Sahel Observer", "Tigris Wire", "Horn Dispatch", "Meridian Wire", "Levant Monitor",
           "Savanna Herald", "Andes Wire", "Indus Chronicle", "Black Sea Bulletin", "Great Lakes Echo",
           "Nile Valley Wire", "Highland Post", "Red Sea Courier", "Border Ledger", "Bay of Bengal Wire"]

ROLES = ["a police spokesman", "the provincial governor", "a military spokesman", "a local official",
         "the district commissioner", "a senior security official", "the regional health director",
         "a spokeswoman for the interior ministry"]
WITNESSES = ["a shopkeeper", "a teacher", "a taxi driver", "a farmer", "a student", "a nurse", "a resident"]
NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# event kind -> lead sentences; {a1} did it to {a2} at {where} {when}; {n}/{killed} are casualty phrases
LEADS = {
    "bombing": [
        "A car bomb exploded near a busy market in {where} {when}, {killed} and wounding {w} others, officials said.",
        "{Killed_n} when a roadside bomb hit a vehicle carrying members of {a2} in {where} {when}, {src} said.",
        "A suicide bomber blew himself up at the entrance of a government compound in {where} {when}, {killed}.",
    ],
    "air_strike": [
        "An air strike hit a residential neighbourhood of {where} {when}, {killed}, according to rescue workers.",
        "Warplanes bombed positions held by {a2} near {where} {when}, {killed}, {src} said.",
        "{Killed_n} in drone strikes on {where} {when}, in what residents described as the heaviest raid in months.",
    ],
    "clash": [
        "Heavy fighting broke out between {a1} and {a2} near {where} {when}, {killed}, residents said.",
        "{A1} clashed with fighters from {a2} on the outskirts of {where} {when}, and the fighting lasted for hours.",
        "At least {n} people died {when} when {a2} attacked an army outpost near {where}, {src} told {outlet}.",
    ],
    "kidnapping": [
        "Gunmen abducted {n} people from a village near {where} {when}, {src} said.",
        "Armed men kidnapped {n} passengers from a bus on the highway outside {where} {when}.",
        "{N_cap} aid workers were seized by suspected members of {a2} near {where} {when}, their organisation said.",
    ],
    "arrest": [
        "{A1} arrested {n} suspected members of {a2} during raids in {where} {when}, {src} said.",
        "Police in {where} detained {n} people {when} on suspicion of planning attacks for {a2}.",
        "A man accused of financing {a2} was arrested at his home in {where} {when}, officials told {outlet}.",
    ],
    "protest": [
        "Hundreds of people marched through the centre of {where} {when} to protest against rising prices.",
        "Police fired tear gas to disperse protesters who gathered outside the governor's office in {where} {when}.",
        "Thousands of demonstrators took to the streets of {where} {when}, demanding the release of detained "
        "activists.",
    ],
    "shelling": [
        "Artillery shells hit a camp for displaced people near {where} {when}, {killed}, {src} said.",
        "{A2} shelled residential areas of {where} {when}, {killed} and damaging a hospital, officials said.",
    ],
    "ceasefire": [
        "{A1} and {a2} agreed {when} to a ceasefire around {where}, according to a joint statement.",
        "A truce between {a1} and {a2} came into force in {where} {when}, after weeks of talks.",
    ],
    "statement": [
        "The foreign ministry condemned {when} what it called an unprovoked attack by {a2} near {where}.",
        "The United Nations called {when} for an independent investigation into the violence in {where}.",
    ],
}

DETAILS = [
    "The incident took place in the {district} area of {city}, in {region}, {hour}.",
    "Witnesses said the {district} neighbourhood had been crowded with people at the time.",
    "{city}, the main city of {region}, has seen repeated violence since {year}.",
    "Security forces sealed off the {district} area after the incident and searched nearby houses.",
    "It was the {ordinal} such incident in {region} this month, according to local media.",
    "Hospital officials in {city} said {w} wounded people had been admitted, {c} of them in critical condition.",
    "Roads leading into {city} were closed for several hours, and checkpoints were reinforced across {region}.",
    "Footage shared on social media showed burning vehicles and a column of smoke rising over {district}.",
    "Rescue teams worked through the night to search the rubble of two collapsed buildings in {district}.",
]

QUOTES = [
    '"{q}," {name}, {role}, told {outlet}.',
    '“{q},” said {name}, {role}.',
    "'{q},' {role} said, asking not to be named.",
    '{name}, {role}, said that {iq}.',
    'According to {name}, {role}, {iq}.',
    '"{q}," {name} said. "{q2}."',
    '“{q}”, {role} told reporters in {city} {when2}.',
    '{Role} told {outlet} by telephone that {iq}.',
]

QUOTE_TEXTS = [
    "We heard a huge explosion and then gunfire for almost an hour",
    "The situation is now under control, and an investigation has been opened",
    "They came at night and nobody could stop them",
    "Most of the victims were civilians who had nothing to do with the fighting",
    "We will not allow these criminals to frighten our people",
    "The roads are closed and we cannot bring food or medicine into the town",
    "My brother was standing near the gate when it happened",
    "Our forces responded immediately and the attackers fled",
    "People are afraid to leave their homes after dark",
    "We call on all sides to protect civilians and respect the law",
    "There is no water, no electricity and no doctors left in the village",
    "The army promised to protect us, but they left before the fighting started",
    "Those responsible will be found and punished",
    "We buried six members of one family this morning",
    "Nobody has told us where the detainees were taken",
    "This is the third time this year that our market has been attacked",
]
INDIRECT = [
    "the attackers had arrived on motorcycles and fled before reinforcements came",
    "{n} of the wounded were children",
    "the death toll could rise because several people were still missing",
    "the area had been calm for several weeks before the attack",
    "security had been increased around schools and markets in {city}",
    "{a2} had been active in the villages around {city} for months",
    "the victims included a local imam and two of his sons",
    "reinforcements had been sent from {other_city} to secure the roads",
    "several families had fled towards {other_city} during the night",
    "officers had found weapons and explosives in a house nearby",
]

CLAIMS = [
    "{A2} claimed responsibility for the attack in a statement posted online, saying it had targeted {a1}.",
    "No group claimed responsibility, but officials blamed {a2}, which has carried out similar attacks in {region}.",
    "A spokesman for {a2} denied any involvement and accused {a1} of staging the incident.",
    "{A2} said in a message to journalists that it was not behind the attack.",
    "Officials accused {a2} of the attack, a charge the group rejected.",
]

BACKGROUND = [
    "The conflict in {region} has killed thousands of people and forced hundreds of thousands from their homes "
    "since {year}, according to the United Nations.",
    "Analysts say {a2} has shifted its tactics in recent months, carrying out smaller attacks in towns while "
    "avoiding direct battles with {a1}.",
    "Humanitarian groups have warned that food prices in {city} have doubled since the start of the year, as "
    "fighting cuts the roads that bring goods from the countryside.",
    "Last month, {m} people were killed in a similar attack in {other_city}, about {km} kilometres from {city}.",
    "Local leaders have called for talks between the government and armed groups, but previous efforts have "
    "collapsed amid mutual accusations of bad faith.",
    "Access to the area is restricted, and the figures given by the two sides could not be independently "
    "verified.",
    "Residents say that basic services, including electricity and clean water, have been cut for weeks in parts "
    "of {region}, and that many families now depend on aid.",
    "The government has promised to restore security in {region} by the end of the year, a pledge that many "
    "residents greet with scepticism.",
    "In a report published {when2}, a human rights group said that civilians in {region} were being killed at "
    "the highest rate in five years.",
    "Schools in several districts of {region} have been closed since {month}, and teachers say that many pupils "
    "will not return.",
    "Since {month}, at least {m2} people have been abducted on the roads around {city}, most of them released "
    "after their families paid ransoms.",
    "The {district} area, once known for its busy markets, has emptied as families moved to safer parts of "
    "{city} or left {country} altogether.",
    "{A1} launched a large operation against {a2} in {year}, but the group has regrouped in rural areas where "
    "the state has little presence.",
    "Traders in {city} said business had fallen by half, and that many shops now close before sunset.",
    "Whether the latest violence will derail the fragile talks between the two sides remains unclear.",
    "The last census counted about {pop} inhabitants in {city}, though officials say the number has grown with "
    "the arrival of displaced families.",
    "A local radio station that reported on the fighting was taken off the air {when2}, its director said.",
    "Doctors in {city} say the main hospital is short of blood, antibiotics and fuel for its generators.",
]

REACTIONS = [
    "The European Union condemned the violence and urged all parties to exercise restraint.",
    "The United Nations envoy for the country said he was \"deeply concerned\" by the reports from {city}.",
    "The governor of {region} declared three days of mourning and promised compensation for the families.",
    "Opposition politicians accused the government of failing to protect civilians in {region}.",
    "Neighbouring countries called for calm, and the African Union said it was following events closely.",
    "Aid agencies said they had sent medical supplies to hospitals in {city} and appealed for safe access.",
    "In the capital, the interior minister chaired an emergency meeting and ordered more troops to {region}.",
    "Religious leaders in {city} appealed for calm and urged young people not to take up arms.",
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ORDINALS = ["second", "third", "fourth", "fifth"]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _run_on(template: str, slots: dict) -> str:
    """A lead filled to follow "In a separate incident, ": an actor keeps its own case ("Russian forces", "the
    M23 rebel group"), any other first word is lower-cased ("Gunmen" -> "gunmen", "At least" -> "at least")."""
    if template.startswith(("{A1}", "{A2}")):
        return ("{a" + template[2:]).format(**slots)
    text = template.format(**slots)
    return text[:1].lower() + text[1:]


def _casualties(rng: random.Random, n: int) -> tuple[str, str]:
    """Two phrasings of a death toll: a participial one ("killing at least five") and a clause ("Five people were
    killed"). Numbers are sometimes words, sometimes hedged, as the stages must read both."""
    number = _number(n) if rng.random() < 0.5 else str(n)
    hedge = rng.choice(["", "", "at least ", "more than " if n > 3 else "at least "])
    participle = rng.choice(["killing {h}{x} people", "leaving {h}{x} people dead"])
    participle = participle.format(h=hedge, x=number)
    clause = f"{_cap(hedge)}{number} people were killed" if hedge else f"{_cap(number)} people were killed"
    return participle, clause


def _number(n: int) -> str:
    """Small numbers in words, as news style writes them; larger ones in digits."""
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _when(rng: random.Random, published: date) -> str:
    """A date expression for the event, a few days before the publication date at most."""
    back = rng.choice([0, 1, 1, 2, 3])
    day = published - timedelta(days=back)
    if back == 1 and rng.random() < 0.3:
        return "yesterday"
    if rng.random() < 0.7:
        return "on " + WEEKDAYS[day.weekday()]
    return f"on {day.day} {MONTHS[day.month - 1]}"


def make_article(i: int, seed: int = 0) -> dict:
    """Article number `i` of the corpus of `seed`: a dict with id, text, published, title, outlet, url."""
    rng = random.Random(f"{seed}:{i}")
    country = rng.choice(sorted(COUNTRIES))
    info = COUNTRIES[country]
    city, region, district = rng.choice(info["places"])
    other_city = rng.choice([p[0] for p in info["places"] if p[0] != city])
    kind = rng.choice(sorted(LEADS))
    outlet = rng.choice(OUTLETS)
    published = date(2022, 1, 1) + timedelta(days=rng.randrange(4 * 365))
    when = _when(rng, published)
    n = rng.randint(2, 24)
    killed, killed_clause = _casualties(rng, n)
    a1, a2 = rng.choice(info["forces"]), rng.choice(info["groups"])
    where = rng.choice([city, f"{city}, {region}", f"the {district} area of {city}"])
    names = rng.sample(info["names"], 3)
    slots = {
        "city": city, "region": region, "district": district, "other_city": other_city, "country": country,
        "where": where, "when": when, "when2": rng.choice(["on Monday", "last week", "earlier this month"]),
        "a1": a1, "a2": a2, "A1": _cap(a1), "A2": _cap(a2), "n": n, "N_cap": _cap(_number(n)),
        "killed": killed, "Killed_n": killed_clause, "w": rng.randint(3, 40), "c": rng.randint(1, 5),
        "m": rng.randint(3, 30), "m2": rng.randint(20, 300), "pop": f"{rng.randint(80, 900) * 1000:,}",
        "km": rng.choice([15, 40, 60, 120, 200]), "outlet": outlet,
        "src": rng.choice(ROLES), "year": rng.choice([2012, 2017, 2019, 2021]),
        "hour": rng.choice(["shortly after dawn", "around noon", "late in the evening", "shortly after midnight",
                            "at about 8 a.m."]),
        "ordinal": rng.choice(ORDINALS), "month": rng.choice(MONTHS),
    }

    def fill(template: str) -> str:
        return template.format(**slots)

    quote_texts = rng.sample(QUOTE_TEXTS, len(QUOTE_TEXTS))
    indirect = rng.sample(INDIRECT, len(INDIRECT))
    details = rng.sample(DETAILS, len(DETAILS))

    def quote() -> str:
        # each quote text is used once per article: real news does not repeat itself, nor should the bench
        slots.update(q=quote_texts.pop(), q2=quote_texts.pop(), iq=fill(indirect.pop()), name=rng.choice(names),
                     role=rng.choice(ROLES + WITNESSES))
        slots["Role"] = _cap(slots["role"])
        return fill(rng.choice(QUOTES))

    paragraphs = [
        fill(rng.choice(LEADS[kind])) + " " + fill(details.pop()),
        quote() + " " + fill(details.pop()),
        fill(rng.choice(CLAIMS)) + " " + quote(),
    ]
    # a second, separate event elsewhere in the country, as wire stories often add
    other_kind = rng.choice([k for k in sorted(LEADS) if k != kind])
    second = dict(slots, where=other_city, when=_when(rng, published), n=rng.randint(2, 15))
    second["killed"], second["Killed_n"] = _casualties(rng, second["n"])
    second["N_cap"] = _cap(_number(second["n"]))
    paragraphs.append("In a separate incident, " + _run_on(rng.choice(LEADS[other_kind]), second))
    rest = [fill(t) for t in rng.sample(BACKGROUND + REACTIONS, len(BACKGROUND) + len(REACTIONS))]
    rest += [fill(t) for t in details]
    while sum(len(p.split()) for p in paragraphs) < WORDS_PER_ARTICLE and rest:
        sentences = [rest.pop(0) for _ in range(min(len(rest), rng.randint(1, 2)))]
        if rng.random() < 0.4 and len(quote_texts) >= 2 and indirect:
            sentences.insert(rng.randint(0, len(sentences)), quote())
        paragraphs.append(" ".join(sentences))
    title = f"{_cap(kind.replace('_', ' '))} in {city}"
    if kind not in ("ceasefire", "statement", "protest", "arrest", "kidnapping"):
        title += f": {n} dead"
    slug = f"{kind}-{city.lower().replace(' ', '-')}-{i}"
    return {
        "id": f"bench-{seed}-{i:05d}",
        "text": "\n\n".join(paragraphs),
        "published": published.isoformat(),
        "title": title,
        "outlet": outlet,
        "url": f"https://{outlet.lower().replace(' ', '')}.example/{published:%Y/%m/%d}/{slug}",
    }


def generate(n: int, seed: int = 0) -> Iterator[dict]:
    """The first `n` articles of the corpus of `seed`."""
    return (make_article(i, seed) for i in range(n))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles")
    parser.add_argument("--out", required=True, help="output JSONL file ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must be >= 0")
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    try:
        for article in generate(args.n, args.seed):
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    main()
