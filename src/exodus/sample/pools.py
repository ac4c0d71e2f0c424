"""Word pools and trade profiles the sample generator draws from.

Ports are Census Schedule D codes; commodity headings are real HS headings whose
10-digit lines are read from the bundled HTS schedule, so every code exists.
"""

from __future__ import annotations

# (port code, mode of transport codes, carriers)
PORTS = [
    ("2704", ("11",), ("MAERSK LINE", "COSCO SHIPPING", "CMA CGM", "EVERGREEN MARINE")),
    ("2720", ("40", "41"), ("LUFTHANSA CARGO", "KOREAN AIR CARGO", "CATHAY PACIFIC CARGO", "FEDEX EXPRESS")),
    ("5301", ("10", "11"), ("HAPAG-LLOYD", "MSC MEDITERRANEAN SHIPPING", "MAERSK LINE")),
    ("5309", ("40",), ("UNITED AIRLINES CARGO", "EMIRATES SKYCARGO", "QATAR AIRWAYS CARGO")),
    ("5201", ("11",), ("CROWLEY MARITIME", "SEABOARD MARINE", "KING OCEAN SERVICES")),
    ("5206", ("40", "41"), ("AMERICAN AIRLINES CARGO", "LATAM CARGO", "ATLAS AIR", "DHL EXPRESS")),
    ("1001", ("11",), ("MSC MEDITERRANEAN SHIPPING", "ZIM INTEGRATED SHIPPING", "ONE OCEAN NETWORK EXPRESS")),
    ("1703", ("11",), ("HAPAG-LLOYD", "CMA CGM", "YANG MING MARINE")),
    ("2006", ("40",), ("FEDEX EXPRESS",)),
    ("2809", ("40", "11"), ("SINGAPORE AIRLINES CARGO", "EVA AIR CARGO", "MATSON NAVIGATION")),
    ("3002", ("11",), ("ONE OCEAN NETWORK EXPRESS", "HMM CO", "EVERGREEN MARINE")),
    ("3901", ("40",), ("TURKISH CARGO", "LUFTHANSA CARGO", "UPS AIRLINES")),
    ("2304", ("30", "31"), ("TRANSPORTES CASTORES", "SWIFT TRANSPORTATION", "CELADON TRUCKING")),
    ("3801", ("30", "31"), ("J.B. HUNT TRANSPORT", "DAY & ROSS", "PENSKE LOGISTICS")),
    ("0901", ("30",), ("SCHNEIDER NATIONAL", "TRANSFORCE", "TRAILER BRIDGE")),
]

# Destination weights roughly follow U.S. export partners.
DESTINATIONS = {
    "CA": 16, "MX": 15, "CN": 7, "JP": 4, "GB": 4, "DE": 4, "KR": 4, "NL": 4, "BR": 2,
    "IN": 2, "FR": 2, "SG": 2, "TW": 2, "AE": 2, "HK": 2, "AU": 2, "CH": 2, "IT": 1,
    "BE": 2, "IL": 1, "TR": 1, "CL": 1, "CO": 1, "VN": 1, "TH": 1, "MY": 1, "PH": 1,
    "SA": 1, "ES": 1, "IE": 1, "PL": 1, "SE": 1, "AR": 1, "PE": 1, "ZA": 1, "EG": 1,
    "KZ": 1, "GE": 1, "AM": 1, "UZ": 1, "RS": 1, "ID": 1, "DO": 1, "CR": 1, "NZ": 1,
}

CITIES = {
    "CA": ["Toronto", "Montreal", "Vancouver", "Calgary"], "MX": ["Monterrey", "Guadalajara", "Mexico City", "Tijuana"],
    "CN": ["Shenzhen", "Shanghai", "Guangzhou", "Beijing", "Suzhou"], "JP": ["Tokyo", "Osaka", "Nagoya"],
    "GB": ["London", "Manchester", "Birmingham"], "DE": ["Hamburg", "Munich", "Stuttgart", "Frankfurt"],
    "KR": ["Seoul", "Busan", "Incheon"], "NL": ["Rotterdam", "Eindhoven", "Amsterdam"], "BR": ["Sao Paulo", "Curitiba"],
    "IN": ["Mumbai", "Bengaluru", "Chennai", "New Delhi"], "FR": ["Paris", "Lyon", "Toulouse"],
    "SG": ["Singapore"], "TW": ["Taipei", "Hsinchu", "Taichung"], "AE": ["Dubai", "Sharjah", "Abu Dhabi"],
    "HK": ["Hong Kong", "Kowloon"], "AU": ["Sydney", "Melbourne"], "CH": ["Zurich", "Basel"], "IT": ["Milan", "Turin"],
    "BE": ["Antwerp", "Brussels"], "IL": ["Tel Aviv", "Haifa"], "TR": ["Istanbul", "Ankara", "Izmir"],
    "CL": ["Santiago"], "CO": ["Bogota", "Medellin"], "VN": ["Ho Chi Minh City", "Hanoi"], "TH": ["Bangkok"],
    "MY": ["Kuala Lumpur", "Penang"], "PH": ["Manila"], "SA": ["Riyadh", "Jeddah"], "ES": ["Madrid", "Barcelona"],
    "IE": ["Dublin", "Cork"], "PL": ["Warsaw", "Gdansk"], "SE": ["Stockholm", "Gothenburg"], "AR": ["Buenos Aires"],
    "PE": ["Lima"], "ZA": ["Johannesburg", "Durban"], "EG": ["Cairo", "Alexandria"], "KZ": ["Almaty", "Astana"],
    "GE": ["Tbilisi"], "AM": ["Yerevan"], "UZ": ["Tashkent"], "RS": ["Belgrade"], "ID": ["Jakarta", "Surabaya"],
    "DO": ["Santo Domingo"], "CR": ["San Jose"], "NZ": ["Auckland"], "RU": ["Moscow", "Saint Petersburg"],
    "IR": ["Tehran", "Isfahan"], "KP": ["Pyongyang"], "SY": ["Damascus"], "CU": ["Havana"], "BY": ["Minsk"],
    "KG": ["Bishkek"], "VE": ["Caracas"],
}

LEGAL_FORMS = {
    "CA": ["Inc.", "Ltd."], "MX": ["S.A. de C.V.", "S. de R.L. de C.V."], "CN": ["Co., Ltd.", "Technology Co., Ltd."],
    "JP": ["K.K.", "Co., Ltd."], "GB": ["Ltd", "PLC"], "DE": ["GmbH", "AG"], "KR": ["Co., Ltd."], "NL": ["B.V."],
    "BR": ["Ltda.", "S.A."], "IN": ["Pvt. Ltd."], "FR": ["SAS", "SARL"], "SG": ["Pte. Ltd."], "TW": ["Co., Ltd."],
    "AE": ["FZE", "LLC", "General Trading LLC"], "HK": ["Limited", "Trading Limited"], "AU": ["Pty Ltd"],
    "CH": ["AG", "SA"], "IT": ["S.p.A.", "S.r.l."], "BE": ["NV", "BV"], "IL": ["Ltd."], "TR": ["A.S.", "Ltd. Sti."],
    "RU": ["OOO", "AO"], "KZ": ["LLP", "TOO"], "GE": ["LLC"], "AM": ["LLC", "CJSC"], "UZ": ["LLC"], "RS": ["d.o.o."],
    "ES": ["S.L.", "S.A."], "PL": ["Sp. z o.o."], "SE": ["AB"], "IE": ["Ltd"], "KG": ["OsOO"],
}

NAME_ROOTS = [
    "Atlas", "Meridian", "Northstar", "Pacific", "Summit", "Crescent", "Vertex", "Orion", "Harbor", "Keystone",
    "Silverline", "Evergreen", "Pioneer", "Horizon", "Cobalt", "Granite", "Lakeside", "Redwood", "Beacon", "Falcon",
    "Sterling", "Trident", "Aurora", "Apex", "Blue Ridge", "Cedar", "Delta", "Frontier", "Liberty", "Westfield",
    "Golden Gate", "Ironwood", "Jade", "Kestrel", "Lumen", "Magnolia", "Nordic", "Oakmont", "Prairie", "Quantum",
    "Riverbend", "Sapphire", "Titan", "Unity", "Vanguard", "Willow", "Zenith", "Alder", "Bridgeport", "Coastal",
    "Sunrise", "Hanil", "Daewon", "Shinwa", "Tianli", "Huaxin", "Yongsheng", "Anadolu", "Bosphorus", "Kaskad",
    "Volga", "Altai", "Marmara", "Andes", "Rio Verde", "Sonora", "Hanse", "Rhein", "Alpen", "Lotus", "Indus",
]
NAME_TRADES = [
    "Industrial Supply", "Electronics", "Machinery", "Medical Systems", "Foods", "Automotive Parts", "Components",
    "Instruments", "Logistics", "Agro", "Plastics", "Chemicals", "Textiles", "Engineering", "Energy Equipment",
    "Trading", "Technologies", "Distribution", "Controls", "Packaging", "Aerospace Services", "Pharma",
]
FORWARDER_WORDS = ["Freight", "Logistics", "Cargo", "Shipping", "Forwarding", "Express"]
STREETS = ["Industrial Ave", "Harbor Rd", "Commerce St", "Tech Park Dr", "Market St", "Main St", "Enterprise Blvd"]
US_CITIES = [("Houston", "TX"), ("Miami", "FL"), ("Los Angeles", "CA"), ("San Jose", "CA"), ("Chicago", "IL"),
             ("Newark", "NJ"), ("Seattle", "WA"), ("Atlanta", "GA"), ("Detroit", "MI"), ("Dallas", "TX"),
             ("Brooklyn", "NY"), ("Phoenix", "AZ"), ("Boston", "MA"), ("Portland", "OR"), ("Memphis", "TN")]

# Ordinary trade: HS heading prefixes with unit price range (USD per unit) and usual units.
ORDINARY = [
    ("8481", (20, 900)), ("8708", (15, 600)), ("3004", (5, 300)), ("8471", (300, 2500)), ("9018", (50, 5000)),
    ("8413", (200, 9000)), ("3926", (1, 40)), ("6110", (8, 60)), ("2204", (5, 80)), ("0808", (1, 3)),
    ("4819", (0.5, 5)), ("8517", (80, 900)), ("8536", (2, 150)), ("7326", (3, 200)), ("1001", (0.2, 0.4)),
    ("8429", (40000, 400000)), ("3824", (2, 40)), ("9403", (50, 900)), ("8418", (300, 3000)), ("8443", (100, 4000)),
    ("3304", (3, 60)), ("2106", (2, 30)), ("8544", (1, 80)), ("9506", (5, 400)), ("8409", (20, 2000)),
    ("4011", (40, 900)), ("8501", (50, 5000)), ("9021", (20, 3000)), ("8504", (10, 2000)), ("8473", (5, 600)),
]

# Dual-use and defense items traded lawfully under licence: (HS heading, ECCN or USML, unit price).
LICENSED = [
    ("8542", "3A001", None, (40, 3000)), ("9013", "6A005", None, (2000, 80000)), ("8525", "6A003", None, (3000, 60000)),
    ("8456", "2B001", None, (90000, 900000)), ("9014", "7A003", None, (5000, 200000)),
    ("8807", None, "VIII(h)", (1000, 90000)), ("9305", None, "I(h)", (50, 2000)), ("930630", None, "III(a)", (0.5, 5)),
]
# Items controlled for anti-terrorism only, or mass-market, exported NLR.
AT_ONLY = [("8471", "5A992", (300, 2500)), ("8517", "5A992", (80, 900)), ("8802", "9A991", (200000, 9000000)),
           ("8411", "9A991", (20000, 900000)), ("9027", "3A999", (500, 20000))]
# Common High Priority List headings that are also sold lawfully to ordinary buyers.
CHPL_HEADINGS = ["854231", "854232", "854239", "851762", "852691", "853221", "853224", "854800"]

HUBS = ["AE", "TR", "AM", "KZ", "KG", "GE", "HK", "UZ", "RS"]
EMBARGOED = ["IR", "KP", "SY", "CU", "RU", "BY"]

# Short trade names exporters write for ordinary goods, by HS heading.
TRADE_NAMES = {
    "8481": "valves", "8708": "auto parts", "3004": "medicaments", "8471": "laptop computers",
    "9018": "medical instruments", "8413": "centrifugal pumps", "3926": "plastic fittings", "6110": "knit sweaters",
    "2204": "wine", "0808": "fresh apples", "4819": "cardboard cartons", "8517": "office telephones",
    "8536": "electrical connectors", "7326": "steel brackets", "1001": "wheat", "8429": "bulldozers",
    "3824": "chemical binders for foundry", "9403": "office furniture", "8418": "refrigerators",
    "8443": "laser printers", "3304": "cosmetics", "2106": "food preparations", "8544": "insulated cable",
    "9506": "fitness equipment", "8409": "engine parts", "4011": "tires", "8501": "electric motors",
    "9021": "orthopedic implants", "8504": "power supplies", "8473": "computer parts",
}
# Controlled items exported without a license where none is needed: (HS-6, ECCN, license code, destinations).
NLR_CONTROLLED = [
    ("282611", "1C350", "C33", ["DE", "FR", "JP", "GB", "NL", "AU", "KR", "IT"]),
    ("880730", "9A991", "C33", ["DE", "FR", "GB", "CA", "JP", "BR", "MX", "SG"]),
    ("847150", "5A992", "C33", ["AE", "TR", "SG", "IN", "BR", "MX", "IL"]),
]
# Automotive and consumer uses of high-priority chips, lawfully sold to hub countries.
CHPL_LAWFUL_HUBS = ["TR", "MX", "IN", "BR", "IL", "SG", "TW", "CN", "ZA", "HK", "AE", "MY"]
# Where licensed dual-use and defense items go: allies, and hub countries that receive
# licensed items too (a license names the parties, so the hub itself is no warning).
LICENSED_DESTINATIONS = ["GB", "DE", "JP", "AU", "FR", "NL", "CA", "KR", "IT", "IN", "IL", "SG", "TW", "MX",
                         "BR", "TR", "AE"]
# Regional distributors in hubs buy mass-market and lower-tier high-priority goods;
# marine dealers there buy outboard engines.
DISTRIBUTOR_GOODS = [("847130", "5A992", (300, 2500)), ("851762", "5A992", (80, 900)),
                     ("853690", "EAR99", (1, 60)), ("850440", "EAR99", (10, 900)), ("847150", "EAR99", (300, 3000)),
                     ("840721", "EAR99", (1500, 30000))]
# Free-zone addresses of the UAE, where many ordinary importers are licensed.
FREE_ZONE_ADDRESSES = ["Jebel Ali Free Zone, LOB 15", "JAFZA South, Plot S20", "Dubai Airport Free Zone, Bldg 6W",
                       "DAFZA East Wing 4", "SAIF Zone, Q1-05", "Hamriyah Free Zone, Plot HFZ-3"]
# Addresses of small consignees that run their business from home.
HOME_ADDRESSES = ["Apt 4B", "Apartment 12", "Flat 3", "Unit 7 residence", "Villa 21"]
# Short descriptions that the EEI rules call too vague but that lawful filers still write.
VAGUE_DESCRIPTIONS = {"8708": "SPARE PARTS", "8409": "ENGINE PARTS", "8473": "COMPUTER PARTS", "8481": "PARTS",
                      "9506": "SPORTING GOODS", "3926": "SAMPLES", "8536": "ELECTRICAL PARTS", "8413": "MACHINE PARTS"}
# EAR99 goods under headings where controlled items are also classified: consumer
# cameras, laser levels, pressure gauges, ordinary lathes and mills, aircraft spares,
# pleasure boats and outboard engines (which the CCL puts in 8A992, AT only).
EAR99_UNDER_CONTROLLED_HS = [("852589", (50, 2000)), ("901320", (10, 3000)), ("902620", (20, 800)),
                             ("8458", (5000, 120000)), ("8459", (3000, 80000)), ("880730", (20, 5000)),
                             ("901480", (100, 4000)), ("8903", (4000, 250000)), ("840721", (1500, 30000))]
# EAR99 food and medicine that may go to Russia without a license.
HUMANITARIAN = [("3004", (5, 300)), ("2106", (2, 30)), ("1001", (0.2, 0.4)), ("9018", (50, 5000))]
