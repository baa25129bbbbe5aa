"""Seed the needs and activities vocabulary for social prescribing, and common languages.

Needs follow what link workers record (loneliness, money, housing, mental wellbeing, caring...);
activities follow the kinds of offer named in the seed documents (befriending, walking groups,
peer support, advice, cookery...). Terms are data: administrators may add more in the admin.
"""

from django.db import migrations

NEEDS = {
    "loneliness": ("Loneliness and isolation", "Feeling alone or cut off from other people.", []),
    "mental-wellbeing": ("Mental wellbeing", "Feeling low, anxious, stressed or not coping.", [
        ("anxiety-stress", "Anxiety and stress", "Worry, stress and feeling overwhelmed."),
        ("low-mood", "Low mood", "Feeling down or losing interest in things."),
        ("bereavement", "Bereavement and loss", "Coping after someone has died."),
    ]),
    "physical-activity": ("Being more active", "Moving more, at any level of fitness.", []),
    "healthy-eating": ("Healthy eating and weight", "Eating well, cooking and managing weight.", []),
    "long-term-conditions": ("Living with a long-term condition", "Managing diabetes, COPD, pain, heart and other conditions.", []),
    "money": ("Money and debt", "Benefits, debt, bills and budgeting.", [
        ("benefits", "Benefits advice", "Checking entitlement and help with claims."),
        ("debt", "Debt advice", "Help with arrears and debts."),
        ("energy-bills", "Energy and bills", "Heating, insulation and household bills."),
    ]),
    "housing": ("Housing", "Poor, unsafe or insecure housing, and homelessness.", []),
    "employment": ("Work, training and volunteering", "Finding work, learning new skills or volunteering.", []),
    "carers": ("Caring for someone", "Support for unpaid carers.", []),
    "confidence": ("Confidence and skills", "Building confidence and everyday skills.", []),
    "digital-inclusion": ("Getting online", "Using phones, computers and the internet.", []),
    "substance-use": ("Alcohol, drugs and gambling", "Cutting down or stopping.", []),
    "family-relationships": ("Family and relationships", "Relationship breakdown, parenting and family life.", []),
    "getting-about": ("Getting out and about", "Transport and mobility.", []),
    "independent-living": ("Staying independent at home", "Falls prevention, adaptations and help at home.", []),
    "domestic-abuse": ("Domestic abuse", "Safety and support for people experiencing abuse.", []),
    "memory": ("Memory and dementia", "Support for people with memory problems and their families.", []),
}

ACTIVITIES = {
    "arts-crafts": ("Arts and crafts", "Painting, sewing, knitting, pottery and other making."),
    "music-singing": ("Music and singing", "Choirs, singing for the brain, music groups."),
    "walking-groups": ("Walking groups", "Led walks for all abilities."),
    "sport-exercise": ("Sport and exercise", "Classes, clubs, chair exercise and swimming."),
    "gardening-nature": ("Gardening and nature", "Community gardens, allotments and conservation."),
    "cookery": ("Cookery", "Cooking classes and shared meals."),
    "befriending": ("Befriending", "A regular visit or call from a volunteer."),
    "peer-support": ("Peer support groups", "Meeting others with shared experience."),
    "social-groups": ("Lunch clubs and social groups", "Coffee mornings, lunch clubs and social clubs."),
    "learning": ("Learning and courses", "Adult learning, languages and skills courses."),
    "volunteering": ("Volunteering opportunities", "Ways to give time and meet people."),
    "advice": ("Advice services", "Advice on money, housing, work and rights."),
    "counselling": ("Counselling and talking therapies", "Talking to a trained counsellor."),
    "community-transport": ("Community transport", "Dial-a-ride, volunteer drivers and accessible transport."),
    "faith-cultural": ("Faith and cultural groups", "Faith communities and cultural associations."),
    "mens-sheds": ("Men's sheds", "Workshops where people make, mend and chat."),
    "dementia-cafes": ("Dementia cafés", "Relaxed meetings for people with dementia and carers."),
    "carers-support": ("Carers' support", "Information, breaks and groups for carers."),
    "parent-toddler": ("Parent and toddler groups", "Play and support for families with young children."),
    "digital-skills": ("Digital skills sessions", "Help using phones, tablets and computers."),
    "health-checks": ("Health and wellbeing checks", "Health checks, Safe and Well visits and advice."),
}

LANGUAGES = [
    ("en", "English"), ("bfi", "British Sign Language"), ("ar", "Arabic"), ("bn", "Bengali"), ("zh", "Chinese"),
    ("gu", "Gujarati"), ("hi", "Hindi"), ("it", "Italian"), ("lt", "Lithuanian"), ("ne", "Nepali"),
    ("pl", "Polish"), ("pt", "Portuguese"), ("pa", "Punjabi"), ("ro", "Romanian"), ("so", "Somali"),
    ("es", "Spanish"), ("ta", "Tamil"), ("tr", "Turkish"), ("ur", "Urdu"), ("cy", "Welsh"),
]


def seed(apps, schema_editor):
    Taxonomy = apps.get_model("directory", "Taxonomy")
    Term = apps.get_model("directory", "TaxonomyTerm")
    Language = apps.get_model("directory", "Language")

    needs, _ = Taxonomy.objects.get_or_create(
        name="Needs", defaults={"description": "What matters to people and what they need help with.", "version": "1"}
    )
    for code, (name, description, children) in NEEDS.items():
        parent, _ = Term.objects.get_or_create(code=code, defaults={"taxonomy": needs, "name": name, "description": description})
        for child_code, child_name, child_description in children:
            Term.objects.get_or_create(code=child_code, defaults={
                "taxonomy": needs, "parent": parent, "name": child_name, "description": child_description})

    activities, _ = Taxonomy.objects.get_or_create(
        name="Activities", defaults={"description": "Kinds of activity and service on offer.", "version": "1"}
    )
    for code, (name, description) in ACTIVITIES.items():
        Term.objects.get_or_create(code=code, defaults={"taxonomy": activities, "name": name, "description": description})

    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
