"""Place names for Riverside, a fictional inner-city London borough, and its codes.

Codes use the 999 block of each ONS code series (E09999001 and so on), which ONS
has not issued, so demo areas never collide with real ones. The postcode area
"RV" is not a Royal Mail postcode area.
"""

BOROUGH_NAME = "Riverside"
REGION = ("E12999001", "Thameside")
LOCAL_AUTHORITY = ("E09999001", "Riverside")
ICB = ("E54999001", "NHS Thameside Integrated Care Board")
SUB_ICB = ("E38999001", "NHS Thameside ICB - Riverside")
MSOA_CODE_PREFIX = "E02999"
LSOA_CODE_PREFIX = "E01999"
WARD_CODE_PREFIX = "E05999"
POSTCODE_AREA = "RV"
TOWN = "London"

CENSUS_VINTAGE = 2021
WARD_VINTAGE = 2022
HEALTH_VINTAGE = 2023

# Centre of the borough and how far its LSOAs spread, in degrees.
CENTRE = (51.53, -0.10)
SPREAD = 0.03

WARD_NAMES = [
    "Canal Basin",
    "St Anne's",
    "Market Hill",
    "Wharf Lane",
    "Northgate",
    "Kingsmead",
    "Lockside",
    "Church Street",
    "Parkfield",
    "Old Quay",
    "Bridge End",
    "Ashgrove",
]

STREET_NAMES = [
    "Canal Road",
    "Wharf Lane",
    "Market Street",
    "Lock Street",
    "Bargeman's Row",
    "Kingsmead Road",
    "Church Street",
    "Ropewalk",
    "Tannery Lane",
    "Victoria Parade",
    "Station Approach",
    "Parkfield Avenue",
    "Old Quay Street",
    "Northgate High Street",
    "Ashgrove Terrace",
    "Weavers Way",
    "Mill Road",
    "Boatyard Close",
]

VENUES = [
    "Kingsmead Community Centre",
    "St Anne's Church Hall",
    "The Lockside Hub",
    "Riverside Library",
    "Canal Basin Neighbourhood Centre",
    "Market Hill Resource Centre",
]
