#!/usr/bin/env python3
"""Builds data/ner_gazetteer.tsv, the gazetteer of the entity tagger (newsparse issue 4).

Usage:
  python3 tools/build_ner_gazetteer.py --geonames ../shared/data/resources/geonames \
      --out data/ner_gazetteer.tsv

Sources: GeoNames cities15000 (names, ASCII names, and for cities of 100,000 people or more the
Latin-script alternate names) and countryInfo (country and capital names) -- CC BY 4.0,
"Contains data from GeoNames (geonames.org), CC BY 4.0"; every other list below is written by the
project. Output: '#' comment lines, then "phrase<TAB>cat1,cat2" with the phrase's tokens separated by
single spaces (matched case-insensitively by the tagger, ASCII lower-casing).
"""
import argparse
import io
import os
import re
import zipfile

COUNTRY_EXTRA = """United States|U.S.|US|USA|U.S.A.|America|Britain|Great Britain|UK|U.K.|England|Scotland|Wales|
Northern Ireland|Soviet Union|USSR|Russia|South Korea|North Korea|Taiwan|Hong Kong|Macau|Palestine|
Yugoslavia|Czechoslovakia|East Germany|West Germany|Zaire|Burma|Ivory Coast|Holland|Bosnia|Herzegovina|
Serbia|Montenegro|Kosovo|Iran|Syria|Vietnam|Laos|Moldova|Macedonia|Congo|Czech Republic|Slovakia|Gaza|
West Bank|Tibet|Chechnya|Vatican|Persia|Ceylon|Rhodesia|UAE|Emirates|Bosnia-Herzegovina|
Bosnia and Herzegovina|Trinidad|Tobago|Antigua|Sri Lanka|New Zealand|South Africa|Saudi Arabia|Korea|
Dominican Republic|Puerto Rico|Greenland|Faroe Islands|Cyprus|Malta|Luxembourg|Liechtenstein|Monaco|
San Marino|Andorra|Gibraltar|Bermuda|Bahamas|Barbados|Jamaica|Cuba|Haiti|Fiji|Samoa|Tonga|Nauru|
Kiribati|Tuvalu|Vanuatu|Papua New Guinea|East Timor|Brunei|Singapore|Bahrain|Qatar|Kuwait|Oman|Yemen"""

REGIONS = """Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|
Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|
Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|
North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|
Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|District of Columbia|Europe|Asia|Africa|
North America|South America|Latin America|Middle East|Mideast|Far East|Central Asia|Southeast Asia|
South Asia|East Asia|Asia-Pacific|Scandinavia|Balkans|Caribbean|Pacific|Atlantic|Gulf|Persian Gulf|
Mediterranean|Siberia|Caucasus|Baltics|Antarctica|Arctic|Oceania|Eastern Europe|Western Europe|
Central Europe|Central America|North Sea|Black Sea|Red Sea|Caspian|Sahara|Himalayas|Alps|Amazon|Nile|
Danube|Rhine|Thames|Kashmir|Punjab|Bavaria|Ontario|Quebec|British Columbia|Alberta|Manitoba|
Saskatchewan|Nova Scotia|Newfoundland|Queensland|New South Wales|Victoria|Tasmania|Catalonia|Andalusia|
Lombardy|Tuscany|Sicily|Sardinia|Corsica|Brittany|Normandy|Provence|Flanders|Wallonia|Ulster|Transvaal|
Natal|KwaZulu-Natal|Mindanao|Sumatra|Java|Borneo|Bali|Hokkaido|Okinawa|Sichuan|Guangdong|Xinjiang|
Manchuria|Yunnan|Fujian|Crimea|Dagestan|Kurdistan|Anatolia|Galilee|Golan Heights|Golan|Sinai|Negev|
Patagonia|Yucatan|Chiapas|Silicon Valley|Midwest|New England|Wall Street|Hebron|Jerusalem|
Indian Ocean|Pacific Ocean|Atlantic Ocean|Horn of Africa|West Africa|East Africa|North Africa|
Southern Africa|Gulf of Mexico|Persian Gulf|Strait of Hormuz|Suez Canal|Panama Canal|Great Lakes"""

DEMONYMS = """American|British|Briton|English|Scottish|Scot|Welsh|Irish|French|German|Italian|Spanish|Spaniard|
Portuguese|Dutch|Belgian|Swiss|Austrian|Swedish|Swede|Norwegian|Danish|Dane|Finnish|Finn|Icelandic|
Polish|Pole|Czech|Slovak|Hungarian|Romanian|Bulgarian|Greek|Turkish|Turk|Russian|Ukrainian|Belarusian|
Lithuanian|Latvian|Estonian|Serbian|Serb|Croatian|Croat|Bosnian|Slovenian|Slovene|Albanian|
Macedonian|Montenegrin|Moldovan|Georgian|Armenian|Azerbaijani|Azeri|Kazakh|Uzbek|Tajik|Turkmen|Kyrgyz|
Afghan|Pakistani|Indian|Bangladeshi|Sri Lankan|Nepali|Nepalese|Chinese|Japanese|Korean|Taiwanese|
Vietnamese|Thai|Cambodian|Burmese|Malaysian|Indonesian|Filipino|Philippine|Singaporean|Australian|
New Zealander|Canadian|Mexican|Cuban|Brazilian|Argentine|Argentinian|Chilean|Peruvian|Colombian|
Venezuelan|Ecuadorean|Ecuadorian|Bolivian|Uruguayan|Paraguayan|Haitian|Jamaican|Dominican|Panamanian|
Nicaraguan|Salvadoran|Guatemalan|Honduran|Costa Rican|Puerto Rican|Egyptian|Libyan|Tunisian|Algerian|
Moroccan|Sudanese|Ethiopian|Eritrean|Somali|Kenyan|Ugandan|Tanzanian|Rwandan|Burundian|Congolese|
Zairean|Nigerian|Ghanaian|Senegalese|Ivorian|Cameroonian|Angolan|Zambian|Zimbabwean|Mozambican|
Namibian|South African|Liberian|Malian|Israeli|Palestinian|Lebanese|Syrian|Jordanian|Iraqi|Iranian|
Kuwaiti|Saudi|Yemeni|Omani|Qatari|Bahraini|Emirati|Arab|Arabic|Kurdish|Kurd|Jewish|Jew|Muslim|Moslem|
Christian|Catholic|Protestant|Islamic|Hindu|Sikh|Buddhist|Shi'ite|Shiite|Sunni|European|Asian|African|
Latin|Scandinavian|Balkan|Baltic|Caucasian|Soviet|Yugoslav|Czechoslovak|Texan|Californian|Cypriot|
Maltese|Basque|Catalan|Corsican|Flemish|Walloon|Bavarian|Prussian|Tamil|Sinhalese|Pashtun|Hutu|Tutsi|
Zulu|Chechen|Tatar|Kashmiri|Tibetan|Uighur|Mongolian|Luxembourger|Monegasque|Nordic|Anglo|Hispanic|
Latino|Celtic|Gaelic|Slav|Slavic|Mideast|Mexican-American|Asian-American|African-American|Aboriginal"""
PLURAL_OK = re.compile(r"[a-z]$")

TITLES = """President|Vice President|Prime Minister|Minister|Foreign Minister|Finance Minister|
Defence Minister|Defense Minister|Interior Minister|Trade Minister|Economy Minister|Secretary|
Secretary of State|Secretary-General|Chancellor|King|Queen|Prince|Princess|Pope|Cardinal|Archbishop|
Bishop|Rev.|Reverend|Father|Sheikh|Emir|Sultan|Ayatollah|Mr|Mr.|Mrs|Mrs.|Ms|Ms.|Miss|Dr|Dr.|Sir|Lord|
Lady|Dame|General|Gen.|Colonel|Col.|Major|Maj.|Captain|Capt.|Lieutenant|Lt.|Sergeant|Sgt.|Admiral|
Marshal|Commander|Senator|Sen.|Rep.|Representative|Congressman|Congresswoman|Governor|Gov.|Mayor|
Judge|Justice|Ambassador|Envoy|Chairman|Chairwoman|Chief Executive|CEO|Director|Spokesman|
Spokeswoman|Premier|Deputy|Speaker|Coach|Manager|Professor|Prof.|Mister|Madame|Monsieur|Herr|Senor|
Chief|Inspector|Detective|Officer|Corporal|Brigadier|Leader|Striker|Midfielder|Defender|
Goalkeeper|President-elect|Crown Prince|Foreign Secretary|Home Secretary|Attorney General|
Prosecutor|Analyst|Economist|Dealer|Trader"""

FIRST_NAMES = """John James Robert Michael William David Richard Charles Joseph Thomas Christopher
Daniel Paul Mark Donald George Kenneth Steven Edward Brian Ronald Anthony Kevin Jason Matthew Gary
Timothy Jose Larry Jeffrey Frank Scott Eric Stephen Andrew Raymond Gregory Joshua Jerry Dennis Walter
Patrick Peter Harold Douglas Henry Carl Arthur Ryan Roger Joe Juan Jack Albert Jonathan Justin Terry
Gerald Keith Samuel Willie Ralph Lawrence Nicholas Roy Benjamin Bruce Brandon Adam Harry Fred Wayne
Billy Steve Louis Jeremy Aaron Randy Howard Eugene Carlos Russell Bobby Victor Martin Ernest Phillip
Todd Jesse Craig Alan Shawn Clarence Sean Philip Chris Johnny Earl Jimmy Antonio Danny Bryan Tony Luis
Mike Stanley Leonard Nathan Dale Manuel Rodney Curtis Norman Allen Marvin Vincent Glenn Travis Jeff
Chad Jacob Lee Melvin Alfred Kyle Francis Bradley Herbert Frederick Ray Joel Edwin Don Eddie Ricky
Troy Randall Barry Alexander Bernard Mario Leroy Francisco Marcus Theodore Clifford Miguel Oscar Jay
Jim Tom Calvin Alex Jon Ronnie Bill Lloyd Tommy Leon Derek Warren Darrell Jerome Floyd Leo Alvin Tim
Wesley Gordon Dean Greg Jorge Pedro Derrick Dan Lewis Corey Herman Maurice Vernon Roberto Clyde Glen
Hector Shane Ricardo Sam Rick Lester Brent Ramon Charlie Tyler Gilbert Gene Marc Reginald Ruben Brett
Rafael Leslie Edgar Milton Raul Ben Chester Cecil Duane Franklin Andre Brad Gabriel Ron Mitchell
Roland Arnold Harvey Jared Adrian Karl Claude Erik Darryl Jamie Neil Christian Javier Fernando Ted
Darren Lance Julio Kurt Allan Nelson Guy Clayton Hugh Max Dwight Armando Felix Everett Ian Wallace
Ken Bob Jaime Alberto Dave Ivan Sidney Byron Julian Isaac Morris Willard Ross Andy Marshall Salvador
Perry Kirk Sergio Seth Kent Rene Eduardo Enrique Wade Mary Patricia Linda Barbara Elizabeth Jennifer
Maria Susan Margaret Dorothy Lisa Nancy Karen Betty Helen Sandra Donna Carol Ruth Sharon Michelle
Laura Sarah Kimberly Deborah Jessica Shirley Cynthia Angela Melissa Brenda Amy Anna Rebecca Kathleen
Pamela Martha Debra Amanda Stephanie Carolyn Christine Marie Janet Catherine Frances Ann Joyce Diane
Alice Julie Heather Teresa Doris Gloria Evelyn Jean Cheryl Katherine Joan Ashley Judith Rose Janice
Nicole Judy Christina Kathy Theresa Beverly Denise Irene Jane Lori Rachel Marilyn Andrea Kathryn
Louise Sara Anne Jacqueline Bonnie Julia Tina Paula Diana Annie Emily Robin Peggy Rita Connie Florence
Carmen Rosa Cindy Grace Wendy Edith Kim Sylvia Josephine Shannon Sheila Ellen Elaine Monica Esther
Pauline Emma Anita Eva Clara Eleanor Valerie Danielle Alicia Suzanne Michele Gail Veronica Jill Erin
Lauren Lorraine Lynn Sally Regina Audrey Yvonne Annette Samantha Dana Ana Renee Vivian Holly Melanie
Yolanda Katie Vanessa Beth Jeanne Madeleine Hillary Benazir Boris Vladimir Mikhail Viktor Yuri Sergei
Nikolai Dmitry Igor Andrei Alexei Oleg Gennady Anatoly Yevgeny Helmut Gerhard Klaus Hans Juergen
Wolfgang Dieter Jacques Pierre Alain Francois Michel Philippe Lionel Nicolas Giuseppe Giovanni Romano
Silvio Massimo Luigi Paolo Marco Franco Felipe Ahmed Mohammed Mohamed Muhammad Ali Hassan Hussein
Abdul Abdullah Omar Yasser Saddam Shimon Yitzhak Ariel Ehud Kofi Boutros Wim Jan Lars Anders Bjorn
Goran Jiri Vaclav Lech Jozef Stefan Fidel Ernesto Nawaz Rajiv Atal Inder Chandrika Mahathir Ryutaro
Jean-Pierre Jean-Claude Jean-Marie Jose-Maria Carlo Fabrizio Alessandro Andrea Gianni Pietro Sandro
Roberto Manfred Juergen Rudolf Heinz Uwe Jens Joachim Ingrid Ulrike Petra Sabine Monika Hiroshi
Takashi Yoshiro Koji Kenji Akira Jun Tomiichi Zhu Jiang Li Deng Nelson Thabo Desmond Robert Gerhard"""

ORG_SUFFIXES = """Inc|Inc.|Corp|Corp.|Corporation|Co|Co.|Company|Ltd|Ltd.|Limited|LLC|Plc|PLC|plc|AG|SA|S.A.|
NV|N.V.|BV|GmbH|SpA|S.p.A.|AB|ASA|Oy|Oyj|KK|Bhd|Berhad|Pty|Holdings|Holding|Group|Bank|Bancorp|
Bankshares|Trust|Fund|Partners|Associates|Securities|Capital|Investments|Industries|International|
Ministry|Department|Agency|Commission|Council|Committee|Party|Union|Association|Federation|Institute|
University|College|School|Hospital|Court|Army|Navy|Police|Airlines|Airways|Motors|Energy|Petroleum|
Oil|Resources|Mining|Telecom|Communications|Systems|Technologies|Pharmaceuticals|Foods|Services|Club|
United|Rovers|Athletic|FC|Wanderers|Albion|Hotspur|County|Exchange|Board|Authority|Office|Bureau|
Assembly|Parliament|Organisation|Organization|Society|Foundation|Reserve|Network|Times|Post|News|
Journal|Press|Herald|Television|Radio|Broadcasting|Electric|Steel|Chemical|Chemicals|Insurance|
Financial|Finance|Brothers|Bros.|Enterprises|Media|Software|Airport|Railways|Front|Movement|League|
Alliance|Brigade|Forces|Guard|Stores|Motor Co"""

ORG_KNOWN = """UN|U.N.|United Nations|NATO|EU|European Union|European Commission|IMF|World Bank|WTO|OPEC|
Reuters|Congress|Senate|Parliament|Bundesbank|Federal Reserve|Fed|FBI|CIA|Pentagon|White House|Kremlin|
Interfax|Xinhua|AFP|AP|Associated Press|BBC|CNN|Red Cross|Hamas|Hezbollah|Hizbollah|PLO|IRA|Sinn Fein|
Labour|Conservative Party|Democrats|Republicans|GOP|Tories|Bundestag|Duma|Knesset|Nasdaq|NYSE|FIFA|
UEFA|IOC|ASEAN|OECD|G7|G8|G20|Interpol|Microsoft|IBM|Intel|Apple|Boeing|Airbus|General Motors|Ford|
Toyota|Honda|Nissan|Siemens|Daimler-Benz|Volkswagen|BMW|Fiat|Renault|Peugeot|Philips|Sony|Nokia|
Ericsson|Shell|Exxon|Mobil|Chevron|Texaco|BP|Elf|Gazprom|Lukoil|Deutsche Bank|Barclays|HSBC|Citibank|
Citicorp|Goldman Sachs|Morgan Stanley|Merrill Lynch|JP Morgan|AT&T|MCI|Coca-Cola|PepsiCo|McDonald's|
Nestle|Unilever|Moody's|Standard & Poor's|Taleban|Taliban|Al Qaeda|Mercosur|Gosplan|Itar-Tass|Tass|
Bloomberg|Dow Jones|Cabinet|Politburo|Supreme Court|Security Council|General Assembly|Treasury|
Justice Department|State Department|Commerce Department|European Parliament|Bank of England|
Bank of Japan|Socialist Party|Communist Party|Liberal Party|ANC|Likud|Fatah|SEC|FDA|EPA|NASA|WHO|
UNICEF|UNHCR|Amnesty International|Greenpeace|Manchester United|Real Madrid|Barcelona|Juventus|
Ajax|Bayern Munich|AC Milan|Inter Milan|Liverpool|Arsenal|Chelsea|Celtic|Rangers|Yankees|Red Sox"""

TIME_WORDS = """January|February|March|April|May|June|July|August|September|October|November|December|
Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|
Sunday"""


def split_list(text, sep="|"):
    return [p.strip() for p in text.replace("\n", "" if sep == "|" else " ").split(sep) if p.strip()]


def norm(phrase):
    # Tokens separated by single spaces; commas split off the way CoNLL tokenizes them.
    phrase = phrase.replace(",", " , ")
    return " ".join(phrase.split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--geonames", default="../shared/data/resources/geonames")
    ap.add_argument("--out", default="data/ner_gazetteer.tsv")
    ap.add_argument("--alt_min_population", type=int, default=100000)
    args = ap.parse_args()

    cats = {}

    def add(phrase, cat):
        p = norm(phrase)
        if not p or "\t" in p or len(p) > 60 or len(p.split(" ")) > 6:
            return
        cats.setdefault(p, set()).add(cat)

    # GeoNames countries and capitals.
    with open(os.path.join(args.geonames, "countryInfo.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) > 5:
                add(cols[4], "loc.country")
                if cols[5]:
                    add(cols[5], "loc.city")
    for c in split_list(COUNTRY_EXTRA):
        add(c, "loc.country")
    for r in split_list(REGIONS):
        add(r, "loc.region")

    ascii_name = re.compile(r"^[A-Z][A-Za-z .'\-]{2,}$")
    with zipfile.ZipFile(os.path.join(args.geonames, "cities15000.zip")) as z:
        with z.open("cities15000.txt") as raw:
            for line in io.TextIOWrapper(raw, encoding="utf-8"):
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 15:
                    continue
                add(cols[1], "loc.city")
                add(cols[2], "loc.city")
                try:
                    pop = int(cols[14] or 0)
                except ValueError:
                    pop = 0
                if pop >= args.alt_min_population:
                    for alt in cols[3].split(","):
                        alt = alt.strip()
                        if ascii_name.match(alt) and not alt.isupper():
                            add(alt, "loc.city")

    for d in split_list(DEMONYMS):
        add(d, "misc.demonym")
        if PLURAL_OK.search(d) and not d.endswith(("ese", "ish", "ch", "ss", "i", "ic")):
            add(d + "s", "misc.demonym")
    for t in split_list(TITLES):
        add(t, "per.title")
    for n in split_list(FIRST_NAMES, sep=" "):
        add(n, "per.first")
    for s in split_list(ORG_SUFFIXES):
        add(s, "org.suffix")
    for o in split_list(ORG_KNOWN):
        add(o, "org.known")
    for t in split_list(TIME_WORDS):
        add(t, "time")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        out.write("# newsparse NER gazetteer, built by tools/build_ner_gazetteer.py\n")
        out.write("# Contains data from GeoNames (geonames.org), CC BY 4.0 (loc.city, loc.country)\n")
        out.write("# phrase (tokens separated by spaces)\tcategories\n")
        for p in sorted(cats):
            out.write(p + "\t" + ",".join(sorted(cats[p])) + "\n")
    print("wrote %d phrases to %s" % (len(cats), args.out))


if __name__ == "__main__":
    main()
