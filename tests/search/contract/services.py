"""A small, realistic directory for the contract suite: ~40 services around Bracknell and beyond.

Tests name services by key ("walking-group"); ids are derived from the keys. Category codes and
names are the directory's seeded vocabulary, parents included as the directory sends them.
Every service was last updated a different number of days before NOW, so "recently updated"
has one right order.
"""

import uuid
from datetime import UTC, datetime, time, timedelta

from search.contract import (
    Accessibility,
    Delivery,
    Phone,
    RadiusArea,
    SearchDocument,
    ServiceAreas,
    Session,
    Venue,
)

from .places import BRACKNELL_FOREST, LAMBETH, POSTCODES, WOKINGHAM

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
_NAMESPACE = uuid.UUID("9b7c4c1e-1f0e-4c55-8a43-2f3a0b7e6d10")

STEP_FREE = Accessibility.STEP_FREE
TOILET = Accessibility.ACCESSIBLE_TOILET
LOOP = Accessibility.HEARING_LOOP
PARKING = Accessibility.ACCESSIBLE_PARKING
IN_PERSON, ONLINE, PHONE = Delivery.IN_PERSON, Delivery.ONLINE, Delivery.PHONE
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

# code: (name, parent code)
TAXONOMY = {
    "loneliness": ("Loneliness and isolation", None),
    "mental-wellbeing": ("Mental wellbeing", None),
    "anxiety-stress": ("Anxiety and stress", "mental-wellbeing"),
    "low-mood": ("Low mood", "mental-wellbeing"),
    "physical-activity": ("Being more active", None),
    "healthy-eating": ("Healthy eating and weight", None),
    "long-term-conditions": ("Living with a long-term condition", None),
    "money": ("Money and debt", None),
    "benefits": ("Benefits advice", "money"),
    "debt": ("Debt advice", "money"),
    "housing": ("Housing", None),
    "carers": ("Caring for someone", None),
    "confidence": ("Confidence and skills", None),
    "digital-inclusion": ("Getting online", None),
    "family-relationships": ("Family and relationships", None),
    "getting-about": ("Getting out and about", None),
    "independent-living": ("Staying independent at home", None),
    "memory": ("Memory and dementia", None),
    "arts-crafts": ("Arts and crafts", None),
    "music-singing": ("Music and singing", None),
    "walking-groups": ("Walking groups", None),
    "sport-exercise": ("Sport and exercise", None),
    "gardening-nature": ("Gardening and nature", None),
    "cookery": ("Cookery", None),
    "befriending": ("Befriending", None),
    "peer-support": ("Peer support groups", None),
    "social-groups": ("Lunch clubs and social groups", None),
    "learning": ("Learning and courses", None),
    "advice": ("Advice services", None),
    "community-transport": ("Community transport", None),
    "mens-sheds": ("Men's sheds", None),
    "dementia-cafes": ("Dementia cafés", None),
    "carers-support": ("Carers' support", None),
    "parent-toddler": ("Parent and toddler groups", None),
    "digital-skills": ("Digital skills sessions", None),
}

_days_ago = iter(range(1, 1000, 7))


def service_id(key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, key))


def at(postcode: str, name: str, *accessibility: Accessibility) -> Venue:
    place = POSTCODES[postcode]
    return Venue(place.latitude, place.longitude, postcode, name, f"{name}, {postcode}", tuple(accessibility))


def weekly(days, opens: str, closes: str) -> Session:
    days = days if isinstance(days, tuple) else (days,)
    return Session(days, time.fromisoformat(opens), time.fromisoformat(closes))


def monthly(day: int, week: int, opens: str, closes: str) -> Session:
    return Session((day,), time.fromisoformat(opens), time.fromisoformat(closes), week_of_month=week)


def service(key, name, description, *, organisation, categories, stale=False, **fields) -> SearchDocument:
    codes = []
    for code in categories:
        parent = TAXONOMY[code][1]
        for c in (parent, code) if parent else (code,):
            if c not in codes:
                codes.append(c)
    days_ago = next(_days_ago) + (365 if stale else 0)
    return SearchDocument(
        id=service_id(key),
        name=name,
        description=description,
        organisation=organisation,
        url=f"/directory/{key}/",
        updated_at=NOW - timedelta(days=days_ago, hours=days_ago % 5),
        categories=tuple(codes),
        category_names=tuple(TAXONOMY[c][0] for c in codes),
        deprioritised=stale,
        last_reviewed=(NOW - timedelta(days=days_ago)).date(),
        **fields,
    )


SERVICES = [
    # Bracknell ---------------------------------------------------------------------------------
    service(
        "walking-group", "Bracknell Walking Group",
        "Friendly led walks of about an hour through the parks and woods around the town, at an easy "
        "pace for all abilities.",
        organisation="Bracknell Health Walks", categories=["walking-groups", "physical-activity"],
        venues=(at("RG12 7QP", "South Hill Park", STEP_FREE, PARKING),),
        sessions=(weekly(TUE, "10:00", "11:30"), weekly(SAT, "09:30", "11:00")), languages=("en",),
    ),
    service(
        "singing", "Singing for Wellbeing",
        "A relaxed community choir: warm-ups, well-known songs and a cup of tea. No experience or reading "
        "music needed.",
        organisation="Bracknell Voices", categories=["music-singing", "anxiety-stress"],
        venues=(at("RG12 1LH", "The Met Hall", STEP_FREE, LOOP),),
        sessions=(weekly(WED, "14:00", "15:30"),), is_free=False, cost_summary="£3 a session", languages=("en",),
    ),
    service(
        "mens-shed", "Bracknell Men's Shed",
        "Make, mend and chat in a shared workshop: woodwork, repairs and tea. Come along and meet others.",
        organisation="Bracknell Men's Shed", categories=["mens-sheds", "loneliness"],
        venues=(at("RG12 8FZ", "The Shed, Ringmead", STEP_FREE, TOILET),),
        sessions=(weekly((MON, THU), "10:00", "13:00"),), minimum_age=18, capacity="waiting_list",
        languages=("en",),
    ),
    service(
        "memory-cafe", "Memory Café",
        "A relaxed café for people living with dementia and the family and friends who care for them, "
        "with music and activities.",
        organisation="Bracknell Forest Dementia Action", categories=["dementia-cafes", "memory", "carers-support"],
        venues=(at("RG12 1AA", "Bracknell Library", STEP_FREE, TOILET, LOOP),),
        sessions=(monthly(TUE, -1, "14:00", "16:00"),), languages=("en",),
    ),
    service(
        "debt-advice", "Money and Debt Advice",
        "Free, confidential help with debts, benefits, budgeting and bills, face to face or by phone.",
        organisation="Citizens Advice Bracknell", categories=["debt", "benefits", "advice"],
        venues=(at("RG12 1LH", "Citizens Advice, The Ring", STEP_FREE, TOILET),),
        delivery=(IN_PERSON, PHONE), sessions=(weekly((MON, TUE, WED, THU, FRI), "09:30", "16:00"),),
        languages=("en", "pl", "ur"),
        # 01632 960xxx is Ofcom's range for drama: no one real answers it.
        phones=(Phone("01632 960 118", "Advice line, weekdays 10am to 4pm"), Phone("01632 960 119")),
        how_to_join="You can refer yourself. Call the advice line to book an appointment.",
    ),
    service(
        "allotment", "Community Allotment",
        "Grow fruit and vegetables together on a shared plot; tools, seeds and gardening advice provided.",
        organisation="Bracknell Growers", categories=["gardening-nature", "physical-activity"],
        venues=(at("RG42 2PN", "Priestwood Allotments"),), sessions=(weekly(SAT, "10:00", "13:00"),),
        languages=("en",),
    ),
    service(
        "lunch-club", "Friday Lunch Club",
        "A hot two-course lunch and good company for older people, every Friday.",
        organisation="Age Concern Bracknell", categories=["social-groups", "loneliness", "healthy-eating"],
        venues=(at("RG42 1ND", "Priestwood Community Centre", STEP_FREE, TOILET),),
        sessions=(weekly(FRI, "12:00", "14:00"),), is_free=False, cost_summary="£4.50 a meal", minimum_age=60,
        capacity="full", languages=("en",),
    ),
    service(
        "chair-exercise", "Chair-Based Exercise",
        "Gentle seated exercise to improve strength, balance and mobility, led by a qualified instructor.",
        organisation="Bracknell Leisure", categories=["sport-exercise", "long-term-conditions", "physical-activity"],
        venues=(at("RG12 9RD", "Great Hollands Hall", STEP_FREE, PARKING),),
        sessions=(weekly(WED, "10:30", "11:30"),), is_free=False, cost_summary="£2 a class", minimum_age=50,
        languages=("en",),
    ),
    service(
        "toddlers", "Little Acorns Parent and Toddler Group",
        "Play, songs and stories for babies and toddlers, and a chat for parents and carers.",
        organisation="Great Hollands Family Hub", categories=["parent-toddler", "family-relationships"],
        venues=(at("RG12 9RD", "Great Hollands Hall", STEP_FREE, PARKING),),
        sessions=(weekly(MON, "09:30", "11:30"),), maximum_age=4, languages=("en",),
    ),
    service(
        "peer-support", "Men's Mental Health Peer Support",
        "An evening group where men talk openly about how they are feeling, with trained peer facilitators.",
        organisation="Andy's Man Club Bracknell", categories=["peer-support", "low-mood"],
        venues=(at("RG12 1AA", "Bracknell Library", STEP_FREE, TOILET, LOOP),),
        sessions=(weekly(THU, "19:00", "21:00"),), minimum_age=18, languages=("en", "ne"),
    ),
    service(
        "tech-help", "Tech Help Drop-in",
        "Bring your phone, tablet or laptop and get friendly help with email, video calls and staying safe online.",
        organisation="Bracknell Forest Libraries", categories=["digital-skills", "digital-inclusion"],
        venues=(at("RG12 1AA", "Bracknell Library", STEP_FREE, TOILET, LOOP),),
        sessions=(weekly(THU, "13:00", "15:00"),), languages=("en",),
    ),
    service(
        "healthy-weight", "Healthy Weight Programme",
        "A twelve-week programme with a dietitian on eating well and being more active. Needs a referral "
        "from your GP or link worker.",
        organisation="Bracknell Forest Public Health", categories=["healthy-eating", "long-term-conditions"],
        venues=(at("RG12 9RD", "Great Hollands Hall", STEP_FREE, PARKING),),
        sessions=(weekly(TUE, "17:30", "19:00"),), self_referral=False, minimum_age=18, languages=("en",),
    ),
    service(
        "deaf-coffee", "Deaf Community Coffee Morning",
        "A coffee morning in British Sign Language for Deaf people and BSL learners.",
        organisation="Berkshire Deaf Forum", categories=["social-groups", "loneliness"],
        venues=(at("RG42 1ND", "Priestwood Community Centre", STEP_FREE, TOILET, LOOP),),
        sessions=(weekly(SAT, "10:00", "12:00"),), languages=("bfi", "en"),
    ),
    # Three arts services at one venue: "crafts" is in the first's name, the second's description,
    # and only the category name ("Arts and crafts") of the third.
    service(
        "crafts-corner", "Crafts Corner",
        "A weekly drop-in: bring a project or try something new, with materials provided.",
        organisation="South Hill Park Arts Centre", categories=["arts-crafts"],
        venues=(at("RG12 1LH", "The Met Hall", STEP_FREE, LOOP),),
        sessions=(weekly(FRI, "10:00", "12:00"),), is_free=False, cost_summary="£1", languages=("en",),
    ),
    service(
        "creative-workshop", "Creative Wellbeing Workshop",
        "Relax and make something: painting, collage and crafts, in a small friendly group.",
        organisation="South Hill Park Arts Centre", categories=["arts-crafts", "anxiety-stress"],
        venues=(at("RG12 1LH", "The Met Hall", STEP_FREE, LOOP),),
        sessions=(weekly(MON, "13:30", "15:30"),), languages=("en",),
    ),
    service(
        "open-studio", "Open Studio",
        "Painting, pottery and printmaking for adults, with tutors on hand to help.",
        organisation="South Hill Park Arts Centre", categories=["arts-crafts"],
        venues=(at("RG12 1LH", "The Met Hall", STEP_FREE, LOOP),),
        sessions=(weekly(WED, "18:00", "20:00"),), minimum_age=18, languages=("en",),
    ),
    # Stale listings near Bracknell: the nearest of all, and a strong match for "walking".
    service(
        "walking-football", "Walking Football",
        "Slower-paced football for older players: no running and no slide tackles.",
        organisation="Bracknell Town FC Community", categories=["sport-exercise", "physical-activity"],
        venues=(at("RG12 1LH", "Larges Lane Ground"),), sessions=(weekly(SUN, "10:00", "11:00"),),
        minimum_age=50, stale=True,
    ),
    service(
        "coffee-morning", "Coffee Morning at St Paul's",
        "Tea, coffee and cake with friendly neighbours.",
        organisation="St Paul's Church", categories=["social-groups", "loneliness"],
        venues=(at("RG12 1AA", "St Paul's Church Hall"),), sessions=(weekly(WED, "10:00", "12:00"),),
        stale=True,
    ),
    # Crowthorne, Sandhurst and Wokingham --------------------------------------------------------
    service(
        "crowthorne-walk", "Crowthorne Village Walk",
        "A sociable stroll around the village and the edge of the forest, finishing with coffee.",
        organisation="Crowthorne Village Action", categories=["walking-groups", "loneliness"],
        venues=(at("RG45 7AW", "Crowthorne Village Hall", STEP_FREE),), sessions=(weekly(WED, "10:00", "11:00"),),
        languages=("en",),
    ),
    service(
        "wokingham-carers", "Wokingham Carers Hub",
        "Information, breaks and a monthly group for unpaid carers living in Wokingham borough.",
        organisation="Wokingham Carers", categories=["carers-support", "carers"],
        venues=(at("RG45 6BT", "Crowthorne Baptist Church", STEP_FREE, TOILET),),
        areas=ServiceAreas(local_authorities=(WOKINGHAM,)), sessions=(weekly(TUE, "10:00", "12:00"),),
        languages=("en",),
    ),
    service(
        "sandhurst-choir", "Sandhurst Community Choir",
        "A welcoming choir singing pop, folk and show tunes; everyone is welcome to join.",
        organisation="Sandhurst Singers", categories=["music-singing"],
        venues=(at("GU47 9DR", "Sandhurst Memorial Hall", STEP_FREE, LOOP),),
        sessions=(weekly(MON, "19:30", "21:00"),), is_free=False, cost_summary="£5 a month", languages=("en",),
    ),
    service(
        "youth-club", "Sandhurst Youth Club",
        "Games, sport and a safe space for young people aged 11 to 18.",
        organisation="Sandhurst Town Council", categories=["sport-exercise", "confidence"],
        venues=(at("GU47 0QE", "Sandhurst Youth Centre", STEP_FREE, TOILET),),
        sessions=(weekly(TUE, "18:00", "20:30"),), minimum_age=11, maximum_age=18, languages=("en",),
    ),
    service(
        "nordic-walking", "Wokingham Nordic Walking",
        "Walking with poles for a full-body workout; poles can be borrowed.",
        organisation="Wokingham Active", categories=["walking-groups", "physical-activity"],
        venues=(at("RG40 1AA", "Wokingham Town Hall"),), sessions=(weekly(SAT, "09:00", "10:00"),),
        is_free=False, cost_summary="£4", languages=("en",),
    ),
    # Bracknell Forest borough-wide ------------------------------------------------------------
    service(
        "befriending", "Bracknell Forest Befriending",
        "A weekly friendly phone call or visit from a volunteer for people who feel lonely.",
        organisation="Involve Bracknell Forest", categories=["befriending", "loneliness"],
        areas=ServiceAreas(local_authorities=(BRACKNELL_FOREST,)), delivery=(PHONE, IN_PERSON),
        languages=("en", "pl"),
    ),
    service(
        "falls", "Falls Prevention Home Visits",
        "An occupational therapist visits you at home to help prevent falls and suggest adaptations.",
        organisation="Bracknell Forest Council", categories=["independent-living"],
        areas=ServiceAreas(local_authorities=(BRACKNELL_FOREST,)), self_referral=False, minimum_age=65,
        languages=("en",),
    ),
    service(
        "carers-clinic", "Carers Support Clinic",
        "For carers living in Bracknell Forest: an adviser's clinic at the Royal Berkshire Hospital.",
        organisation="Bracknell Forest Carers", categories=["carers-support", "carers"],
        venues=(at("RG2 7AA", "Royal Berkshire Hospital", STEP_FREE, TOILET, PARKING),),
        areas=ServiceAreas(local_authorities=(BRACKNELL_FOREST,)), sessions=(weekly(THU, "10:00", "12:00"),),
        languages=("en",),
    ),
    # Reading ------------------------------------------------------------------------------------
    service(
        "dial-a-ride", "Reading Dial-a-Ride",
        "Door-to-door accessible minibus for people who cannot use buses, for trips around Reading.",
        organisation="ReadiBus", categories=["community-transport", "getting-about"],
        venues=(at("RG1 2LU", "ReadiBus Depot", STEP_FREE),),
        areas=ServiceAreas(radii=(RadiusArea(POSTCODES["RG1 1AA"].latitude, POSTCODES["RG1 1AA"].longitude, 16.0),)),
        delivery=(IN_PERSON, PHONE), is_free=False, cost_summary="Fares from £2", languages=("en",),
    ),
    service(
        "reading-walk", "Reading Riverside Walks",
        "Flat, easy walks along the Thames and the Kennet, about 45 minutes.",
        organisation="Reading Health Walks", categories=["walking-groups"],
        venues=(at("RG1 2LU", "Reading Bridge"),), sessions=(weekly(MON, "11:00", "12:00"),), languages=("en",),
    ),
    service(
        "cook-and-eat", "Cook and Eat Together",
        "Learn to cook simple, healthy meals on a budget and share them with the group.",
        organisation="Reading Food Partnership", categories=["cookery", "healthy-eating"],
        venues=(at("RG2 7AA", "Whitley Community Kitchen", STEP_FREE, TOILET),),
        sessions=(weekly(WED, "17:00", "19:00"),), is_free=False, cost_summary="£2", languages=("en", "pa", "ur"),
    ),
    # London -------------------------------------------------------------------------------------
    service(
        "thames-walk", "Thames Path Health Walk",
        "A brisk hour along the South Bank from Tower Bridge, for all fitness levels.",
        organisation="Southwark Health Walks", categories=["walking-groups", "physical-activity"],
        venues=(at("SE1 9SG", "Hay's Galleria"),), sessions=(weekly(TUE, "10:00", "11:00"),), languages=("en",),
    ),
    service(
        "singing-brain", "Singing for the Brain",
        "Singing and socialising for people living with dementia and their carers.",
        organisation="Southwark Dementia Support", categories=["music-singing", "memory"],
        venues=(at("SE1 0AA", "Borough Community Centre", STEP_FREE, TOILET, LOOP),),
        sessions=(weekly(THU, "14:00", "16:00"),), languages=("en", "es"),
    ),
    service(
        "lambeth-housing", "Lambeth Housing Advice",
        "Advice for Lambeth residents who are homeless or at risk of losing their home.",
        organisation="Lambeth Law Centre", categories=["housing", "advice"],
        venues=(at("SE1 7EH", "Lambeth Law Centre", STEP_FREE),),
        areas=ServiceAreas(local_authorities=(LAMBETH,)), delivery=(IN_PERSON, PHONE),
        sessions=(weekly((MON, WED), "10:00", "16:00"),), languages=("en", "pt"),
    ),
    # National and online ------------------------------------------------------------------------
    service(
        "helpline", "Friendship Helpline",
        "A free, confidential phone line for older people, open every day and night: someone to talk to.",
        organisation="The Friendship Line", categories=["befriending", "loneliness"],
        areas=ServiceAreas(national=True), delivery=(PHONE,),
        sessions=(weekly((MON, TUE, WED, THU, FRI, SAT, SUN), "00:00", "23:59"),), minimum_age=55,
        languages=("en",),
    ),
    service(
        "mindfulness", "Online Mindfulness Course",
        "An eight-week course on video calls to help with stress, anxiety and low mood.",
        organisation="Breathe Well", categories=["anxiety-stress", "low-mood", "learning"],
        delivery=(ONLINE,), sessions=(weekly(MON, "19:00", "20:30"),), is_free=False, cost_summary="£40",
        minimum_age=18, languages=("en",),
    ),
    service(
        "virtual-walking", "Virtual Walking Challenge",
        "Set yourself a walking goal and track it online with others, wherever you live.",
        organisation="Walk Together UK", categories=["walking-groups", "physical-activity"],
        delivery=(ONLINE,), languages=("en", "cy"),
    ),
    service(
        "carers-centres", "Carers Information Centres",
        "Drop in for information and advice for unpaid carers at our centres.",
        organisation="Carers Together", categories=["carers-support", "carers", "advice"],
        venues=(at("RG1 2LU", "Reading Carers Centre", STEP_FREE, TOILET),
                at("SE1 7PB", "London Carers Centre", STEP_FREE, TOILET, LOOP)),
        areas=ServiceAreas(national=True), sessions=(weekly((TUE, THU), "10:00", "15:00"),), languages=("en",),
    ),
    service(
        "carers-forum", "Carers Online Forum",
        "An online forum where carers share tips and support each other.",
        organisation="Carers Together", categories=["carers-support", "peer-support"],
        delivery=(ONLINE,), languages=("en",), stale=True,
    ),
    # Delivered in person but with neither a venue nor an area: no place can match it.
    service(
        "home-library", "Home Library Service",
        "Volunteers bring library books to people who cannot get to a library.",
        organisation="Bracknell Forest Libraries", categories=["independent-living"],
        languages=("en",),
    ),
    service(
        "bowls", "Bracknell Bowls Club",
        "Flat green bowls for beginners and experienced players, with coaching.",
        organisation="Bracknell Bowls Club", categories=["sport-exercise", "physical-activity"],
        venues=(at("RG42 2PN", "Priestwood Bowling Green", PARKING),),
        sessions=(weekly((TUE, THU), "14:00", "16:30"),), status="temporarily closed", is_free=False,
        cost_summary="£60 a season", languages=("en",),
    ),
]

BY_KEY = {document.url.strip("/").split("/")[-1]: document for document in SERVICES}
KEY_OF = {document.id: key for key, document in BY_KEY.items()}
