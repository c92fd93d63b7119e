"""ICE ERO field offices, the states they cover and how heavily each state takes part.

State weights follow ICE's published list of participating agencies (July 2025): Florida and
Texas carry most of the program. States with no participating agency get a nominal weight only
when an office would otherwise have no caseload at all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OfficeInfo:
    code: str
    name: str
    timezone: str
    # The states of its area of responsibility, with the share of the state it takes when
    # several offices split one state (Texas, New York, California).
    states: tuple[tuple[str, float], ...]
    receiving: tuple[str, ...]


_NY, _CHI, _DEN, _LA = "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"

# In the order a smaller demo takes them: the first N offices of this list.
FIELD_OFFICES: tuple[OfficeInfo, ...] = (
    OfficeInfo("MIA", "Miami", _NY, (("FL", 1.0), ("PR", 1.0)),
               ("Krome North Service Processing Center", "Broward Transitional Center",
                "Glades County Detention Center", "Baker County Detention Center")),
    OfficeInfo("ATL", "Atlanta", _NY, (("GA", 1.0), ("NC", 1.0), ("SC", 1.0)),
               ("Stewart Detention Center", "Folkston ICE Processing Center", "Atlanta ERO Field Office")),
    OfficeInfo("DAL", "Dallas", _CHI, (("TX", 0.3), ("OK", 1.0)),
               ("Prairieland Detention Center", "Bluebonnet Detention Facility", "Dallas ERO Field Office")),
    OfficeInfo("HOU", "Houston", _CHI, (("TX", 0.3),),
               ("Montgomery Processing Center", "Joe Corley Processing Center")),
    OfficeInfo("NOL", "New Orleans", _CHI, (("LA", 1.0), ("MS", 1.0), ("AL", 1.0), ("AR", 1.0), ("TN", 1.0)),
               ("Central Louisiana ICE Processing Center", "Jackson Parish Correctional Center",
                "Adams County Detention Center", "Pine Prairie ICE Processing Center")),
    OfficeInfo("PHO", "Phoenix", "America/Phoenix", (("AZ", 1.0),),
               ("Eloy Detention Center", "Florence Service Processing Center",
                "La Palma Correctional Center")),
    OfficeInfo("SNA", "San Antonio", _CHI, (("TX", 0.25),),
               ("South Texas ICE Processing Center", "Karnes County Immigration Processing Center")),
    OfficeInfo("WAS", "Washington", _NY, (("VA", 1.0), ("DC", 1.0)),
               ("Caroline Detention Facility", "Farmville Detention Center")),
    OfficeInfo("BAL", "Baltimore", _NY, (("MD", 1.0),), ("Baltimore ERO Field Office",)),
    OfficeInfo("BOS", "Boston", _NY,
               (("MA", 1.0), ("NH", 1.0), ("ME", 1.0), ("VT", 1.0), ("RI", 1.0), ("CT", 1.0)),
               ("Plymouth County Correctional Facility", "Strafford County Department of Corrections")),
    OfficeInfo("BUF", "Buffalo", _NY, (("NY", 0.7),), ("Buffalo Federal Detention Facility",)),
    OfficeInfo("CHI", "Chicago", _CHI,
               (("IL", 1.0), ("IN", 1.0), ("WI", 1.0), ("MO", 1.0), ("KY", 1.0), ("KS", 1.0)),
               ("Broadview Service Processing Center", "Chicago ERO Field Office")),
    OfficeInfo("DEN", "Denver", _DEN, (("CO", 1.0), ("WY", 1.0)), ("Denver Contract Detention Facility",)),
    OfficeInfo("DET", "Detroit", "America/Detroit", (("MI", 1.0), ("OH", 1.0)),
               ("Calhoun County Correctional Center", "Detroit ERO Field Office")),
    OfficeInfo("ELP", "El Paso", _DEN, (("TX", 0.05), ("NM", 1.0)),
               ("El Paso Service Processing Center", "Otero County Processing Center")),
    OfficeInfo("HLG", "Harlingen", _CHI, (("TX", 0.1),),
               ("Port Isabel Service Processing Center", "El Valle Detention Facility")),
    OfficeInfo("LOS", "Los Angeles", _LA, (("CA", 0.4),), ("Adelanto ICE Processing Center",)),
    OfficeInfo("NEW", "Newark", _NY, (("NJ", 1.0),),
               ("Elizabeth Contract Detention Facility", "Delaney Hall")),
    OfficeInfo("NYC", "New York City", _NY, (("NY", 0.3),), ("New York City ERO Field Office",)),
    OfficeInfo("PHI", "Philadelphia", _NY, (("PA", 1.0), ("DE", 1.0), ("WV", 1.0)),
               ("Moshannon Valley Processing Center", "Pike County Correctional Facility")),
    OfficeInfo("SLC", "Salt Lake City", _DEN, (("UT", 1.0), ("ID", 1.0), ("MT", 1.0), ("NV", 1.0)),
               ("Salt Lake City ERO Field Office", "Nevada Southern Detention Center")),
    OfficeInfo("SND", "San Diego", _LA, (("CA", 0.2),), ("Otay Mesa Detention Center",)),
    OfficeInfo("SFR", "San Francisco", _LA, (("CA", 0.4), ("HI", 1.0)),
               ("Golden State Annex", "Mesa Verde ICE Processing Facility")),
    OfficeInfo("SEA", "Seattle", _LA, (("WA", 1.0), ("OR", 1.0), ("AK", 1.0)),
               ("Northwest ICE Processing Center",)),
    OfficeInfo("SPM", "St. Paul", _CHI, (("MN", 1.0), ("IA", 1.0), ("NE", 1.0), ("ND", 1.0), ("SD", 1.0)),
               ("St. Paul ERO Field Office", "Sherburne County Jail")),
)  # fmt: skip

# Participating agencies per state in ICE's list of 16 July 2025.
STATE_WEIGHTS: dict[str, float] = {
    "FL": 308, "TX": 119, "GA": 31, "SC": 28, "VA": 28, "PA": 24, "AL": 23, "NC": 22, "TN": 22,
    "OK": 17, "KY": 16, "KS": 14, "LA": 14, "WI": 14, "AR": 12, "NH": 12, "OH": 9, "WY": 9,
    "AZ": 8, "MD": 8, "MN": 8, "NY": 8, "ND": 8, "UT": 8, "ID": 7, "MS": 7, "MI": 6, "MO": 5,
    "NE": 5, "NV": 5, "IN": 4, "SD": 4, "MT": 3, "WV": 3, "AK": 2, "CO": 1, "IA": 1, "ME": 1,
    "MA": 1, "NM": 1,
}  # fmt: skip
# Given to the states of an office that would otherwise have no agreements.
NOMINAL_WEIGHT = 2.0

STATE_NAMES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana",
    "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico",
}  # fmt: skip

AREA_CODES: dict[str, tuple[int, ...]] = {
    "FL": (239, 305, 321, 352, 386, 407, 561, 727, 772, 813, 850, 863, 904, 941, 954),
    "TX": (210, 214, 254, 281, 325, 361, 409, 432, 512, 713, 806, 817, 830, 903, 915, 936, 940, 956, 979),
    "GA": (229, 404, 478, 706, 770, 912), "SC": (803, 843, 864), "NC": (252, 336, 704, 828, 910, 919),
    "VA": (276, 434, 540, 703, 757, 804), "AL": (205, 251, 256, 334), "TN": (423, 615, 731, 865, 901, 931),
    "LA": (225, 318, 337, 504, 985), "OK": (405, 580, 918), "AZ": (480, 520, 602, 623, 928),
    "PA": (215, 412, 570, 610, 717, 724, 814), "MS": (228, 601, 662), "AR": (479, 501, 870),
}  # fmt: skip

# The first three digits of the state's ZIP codes (a range).
ZIP_PREFIXES: dict[str, tuple[int, int]] = {
    "FL": (320, 349), "TX": (750, 799), "GA": (300, 319), "SC": (290, 299), "NC": (270, 289),
    "VA": (220, 246), "AL": (350, 369), "TN": (370, 385), "LA": (700, 714), "OK": (730, 749),
    "AZ": (850, 865), "PA": (150, 196), "MS": (386, 397), "AR": (716, 729), "KY": (400, 427),
    "KS": (660, 679), "WI": (530, 549), "NH": (30, 38), "OH": (430, 458), "WY": (820, 831),
    "MD": (206, 219), "MN": (550, 567), "NY": (100, 149), "ND": (580, 588), "UT": (840, 847),
    "ID": (832, 838), "MI": (480, 499), "MO": (630, 658), "NE": (680, 693), "NV": (889, 898),
    "IN": (460, 479), "SD": (570, 577), "MT": (590, 599), "WV": (247, 268), "AK": (995, 999),
    "CO": (800, 816), "IA": (500, 528), "ME": (39, 49), "MA": (10, 27), "NM": (870, 884),
    "CA": (900, 961), "NJ": (70, 89), "HI": (967, 968), "WA": (980, 994), "OR": (970, 979),
    "IL": (600, 629), "CT": (60, 69), "RI": (28, 29), "VT": (50, 59), "DE": (197, 199),
    "DC": (200, 205), "PR": (6, 9),
}  # fmt: skip

STREETS = (
    "Main", "Court", "Justice", "Sheriff", "Government", "Government Center", "Law Enforcement",
    "Commerce", "Broad", "Washington", "Jefferson", "Highway 27", "Industrial Park", "Airport",
    "Jail", "Public Safety", "Market", "Palm", "Oak", "Pine", "Magnolia", "Lake",
)  # fmt: skip
STREET_KINDS = ("Street", "Avenue", "Boulevard", "Drive", "Road", "Way", "Parkway", "Circle")


def offices_for(count: int) -> tuple[OfficeInfo, ...]:
    if not 1 <= count <= len(FIELD_OFFICES):
        raise ValueError(f"between 1 and {len(FIELD_OFFICES)} field offices, not {count}")
    return FIELD_OFFICES[:count]
