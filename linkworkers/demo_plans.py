"""The demo caseload's what-matters conversations and plans: what each person said, and the plan made with them.

Keyed by family name, as `demo._MEASURES` is. The conversation and the first version of the plan are
recorded at the face-to-face "what matters" meeting (the second contact the person takes part in);
a later review saves a second version where the story has reached one. Goals are in the person's
own words; actions say who does what by when, in working days from the meeting.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoAction:
    what: str
    who: str
    due_in: int  # working days after the meeting


@dataclass(frozen=True)
class DemoGoal:
    words: str
    needs: tuple[str, ...]
    actions: tuple[DemoAction, ...]


@dataclass(frozen=True)
class DemoPlan:
    conversation: dict  # WhatMattersConversation fields, with concerns as a tuple
    goals: tuple[DemoGoal, ...]
    contingency: str
    barriers: str = ""
    assets: str = ""
    agreed_how: str = "verbally"
    # A review at this attended contact saves version 2: ("met" or "partly", change note); none for no review.
    review_at: int = 0
    review_outcome: str = ""
    review_note: str = ""


_TEAM_LINE = "Ring the link-worker team on the number on the front of this plan, Monday to Friday 9am to 5pm."

PLANS = {
    "Bradley": DemoPlan(
        conversation={
            "what_matters": "Getting back out on his own. He used to walk to the paper shop every morning and misses "
                            "the chat there.",
            "working_well": "His daughter rings every evening. Physio exercises done every day.",
            "not_working": "Frightened of falling again on the uneven path to the shops; has not been out alone "
                           "since he came home.",
            "hopes": "To walk to the shop and back by himself before Christmas.",
            "strength_people": "Daughter (Sue) nearby; neighbour at number 12 checks in.",
            "strength_skills": "Was a postman for thirty years: knows every street in Crowthorne.",
            "strength_interests": "Local history, football on the radio.",
            "strength_places": "The paper shop; the Methodist church hall.",
            "concerns": ("health", "loneliness"),
            "own_words": "I'm not ready to be stuck indoors.",
        },
        goals=(
            DemoGoal("Walk to the paper shop and back on my own", ("physical-activity", "confidence"), (
                DemoAction("Ask the falls team about a walking frame for outdoors", "Link worker", 3),
                DemoAction("Try the short led walk from the church hall on Tuesday", "Tom, with his link worker", 5),
            )),
        ),
        barriers="Worried about falling; the path by the garages is uneven.",
        assets="His daughter can walk with him at weekends; knows the area well.",
        contingency="If he has a fall: press his pendant alarm or ring 999. For anything else: his daughter Sue, "
                    "then the link-worker team.",
    ),
    "Begum": DemoPlan(
        conversation={
            "what_matters": "Meeting other parents and having something that is just for her.",
            "working_well": "The school run gets her out every day; she enjoys cooking.",
            "not_working": "Does not know anyone beyond nodding at the school gate; husband works long shifts.",
            "hopes": "A few friends locally, and maybe some volunteering once she feels settled.",
            "strength_people": "Her sister in Reading; a neighbour she has started talking to.",
            "strength_skills": "Cooking for a crowd; speaks Bengali and English.",
            "strength_interests": "Sewing, cooking.",
            "strength_places": "The school, the library.",
            "concerns": ("loneliness",),
            "own_words": "I just want somewhere to go where people know my name.",
        },
        goals=(
            DemoGoal("Go to a group where I can meet other mums", ("loneliness", "confidence"), (
                DemoAction("Send details of the Wednesday stay-and-play at the family hub", "Link worker", 1),
                DemoAction("Go along to the stay-and-play", "Fatima", 5),
            )),
            DemoGoal("Find out about volunteering at the community kitchen", ("employment",), (
                DemoAction("Ask the community kitchen when their next volunteer morning is", "Link worker", 5),
            )),
        ),
        assets="Confident cook; her neighbour may come along.",
        contingency=_TEAM_LINE,
    ),
    "Rahman": DemoPlan(
        conversation={
            "what_matters": "Feeling less on edge, and having a life outside work here.",
            "working_well": "Her job is going well; she likes her manager.",
            "not_working": "Evenings and weekends alone in the flat; sleeping badly; avoids going out.",
            "hopes": "To join something in the evenings and feel part of the town.",
            "strength_people": "Friends from university online; her mum phones at weekends.",
            "strength_skills": "Sings, plays a little guitar.",
            "strength_interests": "Singing, drawing, films.",
            "strength_places": "The gym at work; the park by the lake.",
            "concerns": ("loneliness", "health"),
            "own_words": "At work I'm fine. It's the evenings.",
        },
        goals=(
            DemoGoal("Join a choir or singing group in the evenings", ("loneliness", "anxiety-stress"), (
                DemoAction("Send details of the Thursday evening choir", "Link worker", 2),
                DemoAction("Go to a taster evening", "Aisha", 7),
            )),
            DemoGoal("Sleep better", ("anxiety-stress",), (
                DemoAction("Try the sleep course on the NHS talking therapies website", "Aisha", 10),
            )),
        ),
        barriers="Finds walking into a room of strangers hard.",
        assets="Loves singing; already goes to the gym after work.",
        contingency="If she feels unsafe or in crisis: NHS 111, option 2, any time. Otherwise: " + _TEAM_LINE,
        review_at=4, review_outcome="partly", review_note="Reviewed together: going to the choir each week now.",
    ),
    "Doyle": DemoPlan(
        conversation={
            "what_matters": "Getting the debts sorted so he can sleep, and keeping his flat.",
            "working_well": "Citizens Advice are helping; his brother has offered to help with forms.",
            "not_working": "Letters pile up unopened; not sleeping; skipping meals to pay bills.",
            "hopes": "A plan for the debt he can stick to, and to feel less panicky.",
            "strength_people": "Brother Michael; the adviser at Citizens Advice.",
            "strength_skills": "Good with his hands: fixes bikes for the neighbours' children.",
            "strength_interests": "Cycling, fishing.",
            "strength_places": "The bike workshop at the community centre.",
            "concerns": ("money", "housing", "health"),
            "own_words": "Every time the post comes my stomach drops.",
        },
        goals=(
            DemoGoal("Sort out the debts with a plan I can manage", ("debt", "money"), (
                DemoAction("Open the post together and list every debt", "Kevin and his link worker", 2),
                DemoAction("Take the list to the Citizens Advice appointment", "Kevin", 5),
            )),
            DemoGoal("Feel calmer and sleep through the night", ("anxiety-stress",), (
                DemoAction("Ask Dr Mehta's practice about talking therapies", "Link worker", 3),
            )),
        ),
        barriers="Opening letters makes him panic; money for bus fares is tight.",
        assets="His brother Michael; fixing bikes gives him a lift.",
        contingency="If he feels he cannot go on: NHS 111, option 2, or Samaritans on 116 123. If bailiffs call: "
                    "Citizens Advice Bracknell. Otherwise: " + _TEAM_LINE,
        review_at=4, review_outcome="partly", review_note="Debt list done and with Citizens Advice; still anxious.",
    ),
    "Price": DemoPlan(
        conversation={
            "what_matters": "Looking after Dennis at home, and getting a couple of hours a week for herself.",
            "working_well": "The district nurse visits; Dennis's speech is improving.",
            "not_working": "Up in the night with him; no time to grieve for her brother; feels she is on her own.",
            "hopes": "A break each week, and someone to talk to who understands caring.",
            "strength_people": "Her daughter phones daily; a friend from church.",
            "strength_skills": "Organised: kept the accounts for the church for years.",
            "strength_interests": "Gardening, crosswords.",
            "strength_places": "Her garden; St Michael's church.",
            "concerns": ("caring", "health", "loneliness"),
            "own_words": "I love him, but I haven't sat down in weeks.",
        },
        goals=(
            DemoGoal("Have a few hours to myself each week", ("carers",), (
                DemoAction("Refer for a carer's assessment", "Link worker", 3),
                DemoAction("Ask the daughter about one afternoon a week", "Janet", 5),
            )),
            DemoGoal("Talk to someone about losing my brother", ("bereavement",), (
                DemoAction("Send details of the bereavement café", "Link worker", 2),
            )),
        ),
        barriers="Cannot leave Dennis alone for long; tired all the time.",
        assets="Her daughter and her church friend; her garden.",
        contingency="If Dennis is taken ill: 999. If she cannot cope: her GP or NHS 111. Otherwise: " + _TEAM_LINE,
    ),
    "Marsh": DemoPlan(
        conversation={
            "what_matters": "Not feeling so alone with it since Dad died.",
            "working_well": "Back at work part-time; her sister phones most days.",
            "not_working": "Weekends are the worst; has stopped seeing friends.",
            "hopes": "To be with people who understand, and to pick up swimming again.",
            "strength_people": "Her sister Ruth; two old school friends.",
            "strength_skills": "Baking.",
            "strength_interests": "Swimming, baking.",
            "strength_places": "The leisure centre pool.",
            "concerns": ("loneliness", "health"),
            "own_words": "Everyone else has moved on and I haven't.",
        },
        goals=(
            DemoGoal("Go to the bereavement café", ("bereavement",), (
                DemoAction("Go with her to the first café morning", "Link worker", 5),
            )),
            DemoGoal("Swim once a week again", ("physical-activity",), (
                DemoAction("Look up the quiet swim sessions", "Helen", 5),
            )),
        ),
        assets="Her sister; used to swim every week.",
        contingency="Her sister Ruth, or Cruse Bereavement Support. Otherwise: " + _TEAM_LINE,
        review_at=7, review_outcome="met", review_note="Final review: both goals met.",
    ),
    "Pennington": DemoPlan(
        conversation={
            "what_matters": "Keeping well enough to visit Joan at the care home.",
            "working_well": "Visits Joan twice a week when he can get a lift.",
            "not_working": "The house is too quiet; stopped walking since his knee played up.",
            "hopes": "To get fitter, make a friend or two, and get to Joan without relying on lifts.",
            "strength_people": "His son visits monthly; Joan.",
            "strength_skills": "Woodwork: was a joiner.",
            "strength_interests": "Woodwork, walking, cricket.",
            "strength_places": "The care home; the allotments.",
            "concerns": ("loneliness", "health", "caring"),
            "own_words": "I've got two good legs and nothing to do with them.",
        },
        goals=(
            DemoGoal("Find something to do with other men, with my hands", ("loneliness",), (
                DemoAction("Go with him to the men's shed open morning", "Link worker", 5),
            )),
            DemoGoal("Walk every day and get to Joan by myself", ("physical-activity", "getting-about"), (
                DemoAction("Register him for Dial-a-Ride", "Link worker", 3),
                DemoAction("Try the Wednesday walking group", "Arthur", 10),
            )),
        ),
        barriers="His knee; no car since he sold it.",
        assets="A joiner's skills; knows the allotment holders.",
        contingency="His son, then " + _TEAM_LINE,
        review_at=10, review_outcome="met", review_note="Final review: a regular at the shed and the walks.",
    ),
    "Barnes": DemoPlan(
        conversation={
            "what_matters": "Keeping a roof over her head and stopping the panic.",
            "working_well": "Working full-time; her landlord has been patient so far.",
            "not_working": "Behind on rent and council tax; cannot face ringing the council.",
            "hopes": "An agreement on the arrears, and to get on top of her spending.",
            "strength_people": "Her flatmate; a colleague who has been through the same.",
            "strength_skills": "Spreadsheets at work.",
            "strength_interests": "Cooking, running.",
            "strength_places": "Park run on Saturdays.",
            "concerns": ("money", "housing"),
            "own_words": "I keep thinking if I ignore it, it'll go away.",
        },
        goals=(
            DemoGoal("Agree a plan for the arrears with the council", ("debt",), (
                DemoAction("Ring the council's income team together", "Chloe and her link worker", 3),
            )),
            DemoGoal("Cook more and spend less on takeaways", ("healthy-eating", "money"), (
                DemoAction("Book the cooking on a budget course", "Chloe", 10),
            )),
        ),
        assets="Good with numbers; her colleague's experience.",
        contingency="Citizens Advice Bracknell for money; Shelter's helpline if she gets an eviction notice. "
                    "Otherwise: " + _TEAM_LINE,
        review_at=6, review_outcome="met", review_note="Final review: debt plan agreed and course finished.",
    ),
    "Cole": DemoPlan(
        conversation={
            "what_matters": "Getting back to work and having a reason to get up.",
            "working_well": "Still goes running some mornings.",
            "not_working": "Lies in until the afternoon; has not told his friends about the redundancy.",
            "hopes": "A job, or training towards one.",
            "strength_skills": "Forklift licence; warehouse supervisor for eight years.",
            "strength_interests": "Running, five-a-side.",
            "concerns": ("work", "money"),
        },
        goals=(
            DemoGoal("Get back into work", ("employment",), (
                DemoAction("Book a session with the job club at the library", "Ryan", 5),
            )),
        ),
        contingency=_TEAM_LINE,
    ),
}
