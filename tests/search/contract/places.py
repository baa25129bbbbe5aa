"""Real postcodes the contract suite puts venues at and searches from.

Coordinates and local authorities are copied from the ONS Postcode Directory as read by
`search.postcodes.read_postcodes` (Contains OS data © Crown copyright and database right 2025;
Contains Royal Mail data © Royal Mail copyright and database right 2025; Source: Office for
National Statistics licensed under the Open Government Licence v.3.0), so the suite needs
neither the postcode table nor the data package.

Geodesic distances between them, for reading the tests (km):

              RG12 1AA  RG45 6AA  GU47 0QE  RG1 1AA  SE1 9SG
    RG12 1LH     0.42      7.16      8.38    16.17    47.25
    RG12 7QP     2.32      5.33      6.07    16.68    48.13
    RG45 7AW     6.43      1.69      2.84    16.25    51.54
    RG45 6BT     7.56      0.27      4.11    14.73    53.39
    RG40 1AA     6.16      4.85      8.41    11.20    53.00
    GU47 9DR     8.86      2.83      1.67    17.57    52.86
    RG1 2LU     16.27     14.26     18.18     0.88    61.82
    RG2 7AA     15.37     13.12     17.03     1.98    61.22
    SE1 7EH     44.59     50.82     49.03    59.60     2.31
"""

from dataclasses import dataclass

from search.contract import GeoPoint

BRACKNELL_FOREST = "E06000036"
WOKINGHAM = "E06000041"
READING = "E06000038"
SOUTHWARK = "E09000028"
LAMBETH = "E09000022"
LEEDS = "E08000035"


@dataclass(frozen=True)
class Postcode:
    postcode: str
    latitude: float
    longitude: float
    local_authority: str

    @property
    def point(self) -> GeoPoint:
        return GeoPoint(self.latitude, self.longitude)


_POSTCODES = [
    # Bracknell (Bracknell Forest)
    Postcode("RG12 1AA", 51.416385, -0.747026, BRACKNELL_FOREST),
    Postcode("RG12 1LH", 51.417221, -0.752914, BRACKNELL_FOREST),
    Postcode("RG12 7QP", 51.396657, -0.758001, BRACKNELL_FOREST),
    Postcode("RG12 8FZ", 51.412563, -0.763078, BRACKNELL_FOREST),
    Postcode("RG12 9RD", 51.407501, -0.747010, BRACKNELL_FOREST),
    Postcode("RG42 1ND", 51.417984, -0.760386, BRACKNELL_FOREST),
    Postcode("RG42 2PN", 51.429044, -0.754448, BRACKNELL_FOREST),
    # Crowthorne: RG45 7 is in Bracknell Forest, RG45 6 in Wokingham
    Postcode("RG45 7AW", 51.367184, -0.795358, BRACKNELL_FOREST),
    Postcode("RG45 6AA", 51.368195, -0.819595, WOKINGHAM),
    Postcode("RG45 6BT", 51.368135, -0.823504, WOKINGHAM),
    # Sandhurst (Bracknell Forest)
    Postcode("GU47 0QE", 51.343709, -0.779232, BRACKNELL_FOREST),
    Postcode("GU47 9DR", 51.344927, -0.803149, BRACKNELL_FOREST),
    # Wokingham
    Postcode("RG40 1AA", 51.410738, -0.835078, WOKINGHAM),
    # Reading
    Postcode("RG1 1AA", 51.460725, -0.974799, READING),
    Postcode("RG1 2LU", 51.452838, -0.973594, READING),
    Postcode("RG2 7AA", 51.444458, -0.963422, READING),
    # London: SE1 spans Southwark and Lambeth
    Postcode("SE1 9SG", 51.504962, -0.087651, SOUTHWARK),
    Postcode("SE1 0AA", 51.498708, -0.101772, SOUTHWARK),
    Postcode("SE1 7EH", 51.497959, -0.118905, LAMBETH),
    Postcode("SE1 7PB", 51.502499, -0.119410, LAMBETH),
    # Far from everything else
    Postcode("LS1 4DY", 53.795134, -1.546664, LEEDS),
]

POSTCODES = {p.postcode: p for p in _POSTCODES}


def near(postcode: str) -> dict:
    """The place fields of a SearchQuery for someone at this postcode."""
    place = POSTCODES[postcode]
    return {"origin": place.point, "origin_local_authority": place.local_authority}
