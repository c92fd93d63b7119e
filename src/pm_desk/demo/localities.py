"""Counties and towns the demo names its agencies after.

Real county and town names for the states that carry most of the program; a pool of county
names common across the United States, and composed town names, for the rest.
"""

from __future__ import annotations

from pm_desk.demo.texts import word_list as _split

COUNTIES: dict[str, tuple[str, ...]] = {
    "FL": _split("""Alachua, Baker, Bay, Bradford, Brevard, Broward, Calhoun, Charlotte, Citrus, Clay,
        Collier, Columbia, DeSoto, Dixie, Duval, Escambia, Flagler, Franklin, Gadsden, Gilchrist, Glades,
        Gulf, Hamilton, Hardee, Hendry, Hernando, Highlands, Hillsborough, Holmes, Indian River, Jackson,
        Jefferson, Lafayette, Lake, Lee, Leon, Levy, Liberty, Madison, Manatee, Marion, Martin, Miami-Dade,
        Monroe, Nassau, Okaloosa, Okeechobee, Orange, Osceola, Palm Beach, Pasco, Pinellas, Polk, Putnam,
        St. Johns, St. Lucie, Santa Rosa, Sarasota, Seminole, Sumter, Suwannee, Taylor, Union, Volusia,
        Wakulla, Walton, Washington"""),
    "TX": _split("""Anderson, Andrews, Angelina, Aransas, Atascosa, Austin, Bandera, Bastrop, Bee, Bell,
        Bexar, Blanco, Bosque, Bowie, Brazoria, Brazos, Brewster, Brooks, Brown, Burnet, Caldwell, Calhoun,
        Cameron, Chambers, Cherokee, Collin, Colorado, Comal, Cooke, Coryell, Denton, DeWitt, Dimmit, Duval,
        Ector, Edwards, Ellis, Erath, Fannin, Fayette, Fort Bend, Frio, Galveston, Gillespie, Goliad,
        Gonzales, Grayson, Gregg, Grimes, Guadalupe, Hardin, Harris, Harrison, Hays, Henderson, Hidalgo,
        Hill, Hood, Hopkins, Houston, Hunt, Jasper, Jim Hogg, Jim Wells, Johnson, Karnes, Kaufman, Kendall,
        Kerr, Kimble, Kinney, Kleberg, La Salle, Lamb, Lavaca, Liberty, Live Oak, Llano, Lubbock, Matagorda,
        Maverick, McLennan, Medina, Midland, Montgomery, Nacogdoches, Navarro, Nueces, Parker, Polk,
        Potter, Randall, Real, Refugio, Rockwall, Rusk, San Jacinto, San Patricio, Smith, Starr, Tarrant,
        Terrell, Tom Green, Tyler, Upshur, Uvalde, Val Verde, Victoria, Walker, Waller, Webb, Wharton,
        Wichita, Williamson, Wilson, Wise, Zapata, Zavala"""),
    "GA": _split("""Appling, Barrow, Bartow, Ben Hill, Brantley, Bryan, Bulloch, Burke, Butts, Camden,
        Carroll, Catoosa, Charlton, Cherokee, Clayton, Cobb, Coffee, Columbia, Coweta, Dawson, Dougherty,
        Effingham, Floyd, Forsyth, Glynn, Gordon, Gwinnett, Habersham, Hall, Henry, Houston, Jackson, Lowndes,
        Lumpkin, Morgan, Oconee, Paulding, Pickens, Polk, Richmond, Spalding, Tift, Walker, Walton, Ware,
        Whitfield"""),
    "SC": _split("""Abbeville, Aiken, Anderson, Beaufort, Berkeley, Charleston, Cherokee, Chester,
        Chesterfield, Colleton, Darlington, Dorchester, Edgefield, Florence, Georgetown, Greenville,
        Greenwood, Horry, Jasper, Kershaw, Lancaster, Laurens, Lexington, Marion, Newberry, Oconee,
        Orangeburg, Pickens, Richland, Spartanburg, Sumter, Union, York"""),
    "NC": _split("""Alamance, Brunswick, Buncombe, Cabarrus, Caldwell, Carteret, Catawba, Cleveland,
        Columbus, Craven, Cumberland, Davidson, Gaston, Harnett, Henderson, Iredell, Johnston, Lincoln,
        Nash, New Hanover, Onslow, Pitt, Randolph, Rockingham, Rowan, Rutherford, Sampson, Stanly, Surry,
        Union, Wayne, Wilkes"""),
    "VA": _split("""Accomack, Albemarle, Amherst, Augusta, Bedford, Botetourt, Campbell, Caroline,
        Chesterfield, Culpeper, Fauquier, Franklin, Frederick, Grayson, Halifax, Hanover, Henrico, Henry,
        Hopewell, Isle of Wight, Loudoun, Louisa, Montgomery, Orange, Page, Pittsylvania, Prince William,
        Rockingham, Russell, Shenandoah, Spotsylvania, Stafford, Tazewell, Warren, Washington, Wise"""),
    "AL": _split("""Autauga, Baldwin, Blount, Calhoun, Chambers, Cherokee, Chilton, Colbert, Coffee,
        Cullman, Dale, DeKalb, Elmore, Etowah, Franklin, Houston, Jackson, Lauderdale, Lawrence, Lee,
        Limestone, Madison, Marshall, Mobile, Morgan, Pike, Russell, Shelby, St. Clair, Talladega,
        Tuscaloosa, Walker"""),
    "TN": _split("""Anderson, Bedford, Blount, Bradley, Carter, Cheatham, Coffee, Cumberland, Dickson,
        Greene, Hamblen, Hamilton, Jefferson, Knox, Loudon, Madison, Maury, Monroe, Montgomery, Putnam,
        Roane, Robertson, Rutherford, Sevier, Sullivan, Sumner, Tipton, Warren, Washington, Williamson,
        Wilson"""),
    "OK": _split("""Beckham, Bryan, Caddo, Canadian, Carter, Cherokee, Cleveland, Comanche, Creek,
        Custer, Delaware, Garfield, Grady, Kay, Le Flore, Lincoln, Logan, McClain, McCurtain, Muskogee,
        Okmulgee, Osage, Payne, Pittsburg, Pottawatomie, Rogers, Sequoyah, Tulsa, Wagoner, Washington"""),
    "LA": _split("""Acadia, Ascension, Avoyelles, Beauregard, Bossier, Caddo, Calcasieu, East Baton Rouge,
        Iberia, Jefferson, Jefferson Davis, Lafayette, Lafourche, Livingston, Morehouse, Natchitoches,
        Ouachita, Plaquemines, Rapides, Sabine, St. Bernard, St. Charles, St. Landry, St. Martin,
        St. Tammany, Tangipahoa, Terrebonne, Vermilion, Vernon, Washington"""),
    "PA": _split("""Adams, Beaver, Bedford, Berks, Blair, Bradford, Bucks, Butler, Cambria, Carbon,
        Centre, Clearfield, Clinton, Cumberland, Dauphin, Erie, Fayette, Franklin, Huntingdon, Indiana,
        Jefferson, Juniata, Lancaster, Lebanon, Lycoming, McKean, Mifflin, Monroe, Montour, Northumberland,
        Perry, Schuylkill, Snyder, Somerset, Tioga, Union, Venango, Warren, Washington, Westmoreland,
        York"""),
    "AZ": _split("""Apache, Cochise, Coconino, Gila, Graham, Greenlee, La Paz, Maricopa, Mohave, Navajo,
        Pima, Pinal, Santa Cruz, Yavapai, Yuma"""),
    "NH": _split("""Belknap, Carroll, Cheshire, Coos, Grafton, Hillsborough, Merrimack, Rockingham,
        Strafford, Sullivan"""),
    "WY": _split("""Albany, Big Horn, Campbell, Carbon, Converse, Crook, Fremont, Goshen, Hot Springs,
        Johnson, Laramie, Lincoln, Natrona, Niobrara, Park, Platte, Sheridan, Sublette, Sweetwater, Teton,
        Uinta, Washakie, Weston"""),
}

# County names shared by many states, for the states without a list of their own.
COMMON_COUNTIES = _split("""Adams, Allen, Benton, Boone, Brown, Butler, Calhoun, Carroll, Cass, Clark,
    Clay, Clinton, Crawford, Cumberland, Decatur, Douglas, Franklin, Fulton, Grant, Greene, Hamilton,
    Hancock, Harrison, Henry, Howard, Jackson, Jasper, Jefferson, Johnson, Knox, Lake, Lawrence, Lee,
    Lincoln, Logan, Madison, Marion, Marshall, Mercer, Monroe, Montgomery, Morgan, Perry, Pike, Polk,
    Putnam, Randolph, Scott, Shelby, Union, Warren, Washington, Wayne, Webster, White""")

TOWNS: dict[str, tuple[str, ...]] = {
    "FL": _split("""Apopka, Arcadia, Atlantic Beach, Aventura, Avon Park, Bartow, Belleview, Boca Raton,
        Bonita Springs, Boynton Beach, Bradenton, Brooksville, Bunnell, Cape Coral, Casselberry, Chipley,
        Clearwater, Clermont, Cocoa, Cocoa Beach, Coconut Creek, Coral Gables, Coral Springs, Crestview,
        Dade City, Davie, Daytona Beach, DeFuniak Springs, DeLand, Delray Beach, Doral, Dunedin, Edgewater,
        Eustis, Fernandina Beach, Fort Lauderdale, Fort Myers, Fort Pierce, Fort Walton Beach, Gainesville,
        Groveland, Gulf Breeze, Haines City, Hallandale Beach, Hialeah, Hollywood, Homestead,
        Indian Harbour Beach, Jacksonville Beach, Jupiter, Key West, Kissimmee, Lake City, Lake Mary,
        Lake Wales, Lakeland, Largo, Leesburg, Live Oak, Longwood, Marco Island, Marianna, Melbourne,
        Miami Beach, Miami Springs, Milton, Miramar, Mount Dora, Naples, Neptune Beach, New Port Richey,
        New Smyrna Beach, Niceville, North Miami, North Port, Ocala, Ocoee, Orange City, Orlando,
        Ormond Beach, Oviedo, Palatka, Palm Bay, Palm Beach Gardens, Palm Coast, Panama City,
        Pembroke Pines, Pensacola, Plant City, Plantation, Pompano Beach, Port Orange, Port St. Lucie,
        Punta Gorda, Rockledge, Sanford, Sebastian, Sebring, St. Augustine, St. Cloud, St. Petersburg,
        Stuart, Sunrise, Tallahassee, Tampa, Tarpon Springs, Temple Terrace, Titusville, Venice,
        Vero Beach, Wauchula, West Melbourne, Winter Garden, Winter Haven, Winter Park, Zephyrhills"""),
    "TX": _split("""Abilene, Alvin, Amarillo, Angleton, Arlington, Baytown, Beaumont, Brownsville, Bryan,
        Burleson, Carrollton, Cleburne, College Station, Conroe, Corpus Christi, Del Rio, Denison,
        Eagle Pass, Edinburg, Frisco, Garland, Georgetown, Granbury, Harlingen, Huntsville, Irving, Katy,
        Kerrville, Killeen, Kingsville, La Porte, Laredo, League City, Longview, Lufkin, Marble Falls,
        McAllen, McKinney, Mission, New Braunfels, Odessa, Pasadena, Pearland, Pharr, Plano, Port Arthur,
        Rockport, Round Rock, San Angelo, San Marcos, Seguin, Sherman, Southside Place, Sugar Land, Temple,
        Texarkana, Waco, Weatherford, Wichita Falls"""),
}

COMMON_TOWNS = _split("""Ashland, Auburn, Bedford, Bristol, Burlington, Camden, Canton, Centerville,
    Chester, Clayton, Columbia, Concord, Dayton, Dover, Fairfield, Fairview, Farmington, Georgetown,
    Glendale, Greenville, Hanover, Hillsboro, Hudson, Jamestown, Kingston, Lancaster, Lebanon, Lexington,
    Manchester, Milford, Mount Vernon, Newport, Oakland, Oxford, Plymouth, Princeton, Riverside, Salem,
    Shelbyville, Springfield, Troy, Union City, Waverly, Winchester, Woodstock""")

TOWN_PREFIXES = _split("""Oak, Cedar, Pine, Maple, Elm, Willow, Spring, Rock, Clear, Green, Fair, Glen,
    Brook, Ash, Mill, Red, White, Sand, Stone, Bay, Birch, Hazel, Silver, Bell, Mar, Wood""")
TOWN_SUFFIXES = _split("""wood, ville, field, dale, ton, burg, port, view, side, ridge, land, brook, haven,
    creek, springs, grove, mont, ford""")

# State agencies of the form "<State> <name>"; Florida's real ones first.
FLORIDA_STATE_AGENCIES = _split("""Florida Highway Patrol, Florida Department of Law Enforcement,
    Florida Fish and Wildlife Conservation Commission, Florida Department of Corrections,
    Florida Division of Alcoholic Beverages and Tobacco, Florida National Guard,
    Florida Department of Agriculture and Consumer Services Office of Agricultural Law Enforcement,
    New College of Florida Police Department, Florida Gulf Coast University Police Department""")
STATE_AGENCY_FORMS = _split("""Highway Patrol, Department of Public Safety, Department of Corrections,
    National Guard, Bureau of Investigation, State Police""")
OTHER_AGENCY_FORMS = _split("""Port Authority Police Department, International Airport Police Department,
    County School District Police Department, Housing Authority Police Department""")

# Louisiana has parishes and Alaska boroughs where other states have counties.
COUNTY_WORD = {"LA": "Parish", "AK": "Borough"}


def county_word(state: str) -> str:
    return COUNTY_WORD.get(state, "County")


def counties_of(state: str) -> tuple[str, ...]:
    return COUNTIES.get(state, COMMON_COUNTIES)


def towns_of(state: str) -> tuple[str, ...]:
    """Real towns of the state first, then the common pool, then composed names."""
    composed = tuple(f"{p}{s}" for p in TOWN_PREFIXES for s in TOWN_SUFFIXES if p[-1] != s[0])
    return TOWNS.get(state, ()) + COMMON_TOWNS + composed
