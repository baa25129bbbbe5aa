"""Words that people and listings use for the same thing, one group per rule (Solr format).

Sent inline with the index settings, so no file has to be copied onto the cluster's nodes; a
change takes effect with `rebuild()`. Rules go through the same lowercasing, stop words and
English stemmer as the text, so "walk" also covers "walks" and "walked": list other words and
phrases, not inflections.
"""

SYNONYMS = (
    "walk, walking, rambling, ramblers, hiking",
    "singing, choir, sing",
    "lonely, loneliness, isolation, isolated",
    "money, debt, finance, benefits, money advice",
    "carer, caring, carers, unpaid carer",
    "gp, doctor, gp surgery",
    "exercise, fitness, keep fit",
    "mental health, wellbeing, well being",
    "allotment, gardening, growing",
    "men's shed, mens shed, mans shed",
    "befriending, befriender, companionship",
    "bereavement, grief, grieving",
    "dementia, memory loss, alzheimer's",
    "food bank, foodbank, food parcel",
    "counselling, counseling, talking therapy",
    "esol, english lessons, english classes",
    "dance, dancing",
    "swim, swimming",
    "cookery, cooking",
    "arts, crafts, art, craft",
    "volunteer, volunteering",
    "stop smoking, quit smoking, smoking cessation",
    "parkinson's, parkinsons",
)
