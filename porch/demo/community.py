"""The demo community: the people of Millbrook, who knows whom, and a week of their posts.

Pure data, no database: ``porch.demo.loader`` turns it into members, friendships,
circles, posts, replies and reactions through the domain services, so the demo obeys
every rule a real member would.

Five overlapping groups: the Silva family, the climbing club, the Elm Street
neighbours, the library staff and a book club. Ana (family, climbing, Elm Street) and
Priya (climbing, library) bridge them. Laurent and Gail broadcast in public and never
answer anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

# The password every demo member (and the demo admin) logs in with.
DEMO_PASSWORD = "porch-demo-2026"  # noqa: S105 (published on purpose: it is the demo log-in)
SEED = 2026

# The member whose presence means "the demo is already loaded".
MARKER_USERNAME = "ana"
ADMIN_USERNAME = "host"

# Audiences, spelled as the posts app stores them.
ONLY_ME = "only_me"
CIRCLES = "circles"
FRIENDS = "friends"
FRIENDS_OF_FRIENDS = "friends_of_friends"
PUBLIC = "public"


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    bio: str
    public: bool = False
    # Roughly when they joined the server, for the profile page.
    joined_days_ago: int = 200


@dataclass(frozen=True)
class Group:
    """A cluster of people who mostly know each other.

    ``density`` is the share of pairs that are friends; pairs who talk to each other
    in the scenes below, or share a circle, are always friends.
    """

    name: str
    members: tuple[str, ...]
    density: float = 1.0


@dataclass(frozen=True)
class At:
    """``days`` ago (1 to 6) at a time of day, "HH:MM"."""

    days: int
    time: str


@dataclass(frozen=True)
class Ago:
    """Today, ``minutes`` ago."""

    minutes: int


@dataclass
class Reply:
    author: str
    after: int  # minutes after the post it answers
    text: str
    replies: tuple[Reply, ...] = ()


def reply(author: str, after: int, text: str, *replies: Reply) -> Reply:
    return Reply(author=author, after=after, text=text, replies=replies)


@dataclass
class Edit:
    after: int  # minutes after the post was written
    text: str


@dataclass
class Scene:
    """A top-level post and the conversation under it."""

    author: str
    when: At | Ago
    audience: str
    text: str
    circles: tuple[str, ...] = ()
    replies: tuple[Reply, ...] = ()
    edit: Edit | None = None
    delete_after: int | None = None  # minutes after the post; the replies stay
    # Reaction kinds that fit the post; ``None`` means the usual mix.
    moods: tuple[str, ...] | None = None
    # How many friends or followers react at most (some posts get none; that is life).
    max_reactions: int = 3


# --- The people ------------------------------------------------------------------------
PEOPLE: tuple[Person, ...] = (
    # The Silva family
    Person(
        "ana",
        "Ana Silva",
        "Architect, weekend climber, terrible gardener. Lisbon-born, Millbrook-raised.",
        joined_days_ago=320,
    ),
    Person(
        "rosa",
        "Rosa Silva",
        "Mum of two, grandma of one. Retired nurse. I bake when I'm worried, "
        "and I'm always a little worried.",
        joined_days_ago=300,
    ),
    Person(
        "tomas",
        "Tomás Silva",
        "Avô. 84 years young. I say good morning to everybody.",
        joined_days_ago=290,
    ),
    Person("joao", "João Silva", "Ana's big brother. Paramedic, dad, bouldering on Tuesdays."),
    Person(
        "mei", "Mei Chen-Silva", "Pharmacist. Married to João, mum to Leo. Dumpling evangelist."
    ),
    Person("leo", "Leo Silva", "16. Drums. Please don't tag me in baby photos, Avó."),
    Person("lucia", "Lucía Ortega", "Cousin in Valencia. Teacher. Here for the family news."),
    # The climbing club
    Person(
        "kwame",
        "Kwame Mensah",
        "Climbing coach and route setter at the Millbrook wall. Tea over coffee.",
        public=True,
    ),
    Person(
        "priya",
        "Priya Raman",
        "Librarian by day, crimper by night. Friends with Ana since our first week at uni.",
    ),
    Person("sven", "Sven Lindqvist", "Carpenter. Slow climber, fast coffee."),
    Person("ines", "Inès Moreau", "Physiotherapist. I will tell you to warm up. Warm up."),
    Person("dario", "Dario Russo", "Bike shop on Elm Street. I climb when the shop is quiet."),
    Person(
        "hannah",
        "Hannah Cohen",
        "Software tester. Trying to climb outside more than I climb inside.",
    ),
    Person(
        "yuki",
        "Yuki Tanaka",
        "PhD student (soil science). New to climbing, scared of heights, doing it anyway.",
        joined_days_ago=60,
    ),
    Person(
        "kenji",
        "Kenji Watanabe",
        "Yuki's cousin, here for the autumn. Photographer.",
        joined_days_ago=30,
    ),
    Person("amara", "Amara Okafor", "Hannah's partner. Nurse at St Brigid's. I belay with snacks."),
    # The Elm Street neighbours
    Person(
        "margaret",
        "Margaret O'Brien",
        "Town councillor for Elm Ward. Ask me about the crossing.",
        public=True,
    ),
    Person("farid", "Farid Haddad", "Baker at the corner shop. Bread at six, nap at two."),
    Person(
        "olu",
        "Olu Adeyemi",
        "Dad of three, coach of the under-9s, maker of the best jollof on Elm Street.",
    ),
    Person(
        "greta",
        "Greta Novak",
        "Library assistant. Cat person (Pickles: 9, orange, opinionated).",
    ),
    Person("bill", "Bill Turner", "Retired postman. Allotment no. 14. Opinions on parking."),
    Person(
        "noor",
        "Noor Hussain",
        "I run the Elm Street community garden. Seeds to swap, always.",
        public=True,
    ),
    Person("pablo", "Pablo Jiménez", "Plumber. I'll fix your tap, not your politics."),
    Person(
        "chloe",
        "Chloé Martin",
        "New-ish in Millbrook. French, a designer, learning to bake bread properly.",
        joined_days_ago=120,
    ),
    Person("ruth", "Ruth Abernathy", "Retired teacher. Book club host. The kettle is always on."),
    Person("sofia", "Sofia Rossi", "Dario's sister. Vet nurse. Yes, I'll look at your dog's paw."),
    # The library staff
    Person("sam", "Sam Whitaker", "Head librarian at Millbrook Library. Spreadsheet enjoyer."),
    Person("aisha", "Aisha Bello", "Children's librarian. Story time every week at ten."),
    Person("marco", "Marco Bianchi", "IT, and everything at the library that plugs in."),
    Person("elena", "Elena Petrova", "Archivist. Old maps, older newspapers."),
    Person("tom", "Tom Nguyen", "Weekend desk at the library, weekday student nurse."),
    Person(
        "fatima",
        "Fatima El Idrissi",
        "Events and outreach at the library. Tell me about your club.",
    ),
    Person(
        "jonas", "Jonas Weber", "Library van driver. Podcasts. I know every road in the county."
    ),
    # The book club
    Person("beatriz", "Beatriz Costa", "Reads three books at once. Finishes one."),
    Person("ingrid", "Ingrid Halvorsen", "Knitter, reader, retired engineer."),
    Person("wen", "Wen Li", "Accountant who reads poetry on the bus."),
    # Friends of friends
    Person("dev", "Dev Patel", "João's partner on the ambulance. Cricket, curry, night shifts."),
    Person(
        "zoe",
        "Zoë Clarke",
        "Just moved to Elm Street. Chloé talked me into joining. Hello!",
        joined_days_ago=2,
    ),
    # Two who talk *at* people and never *with* them
    Person(
        "laurent",
        "Chef Laurent Dubois",
        "Chef. A recipe every day. Follow for more.",
        public=True,
        joined_days_ago=150,
    ),
    Person(
        "gail",
        "Gail Porter",
        "Weather enthusiast. The Millbrook forecast every morning at six, rain or shine.",
        public=True,
        joined_days_ago=150,
    ),
)

ADMIN = Person(
    ADMIN_USERNAME,
    "Porch host",
    "I keep this server running. Ask me if you need an invite.",
    joined_days_ago=330,
)

GROUPS: tuple[Group, ...] = (
    Group("family", ("ana", "rosa", "tomas", "joao", "mei", "leo", "lucia")),
    Group(
        "climbing",
        ("kwame", "priya", "sven", "ines", "dario", "hannah", "ana", "joao", "yuki", "amara"),
        density=0.8,
    ),
    Group(
        "elm_street",
        (
            "margaret",
            "farid",
            "olu",
            "greta",
            "bill",
            "noor",
            "pablo",
            "chloe",
            "ruth",
            "sofia",
            "dario",
            "ana",
        ),
        density=0.65,
    ),
    Group(
        "library",
        ("sam", "aisha", "marco", "elena", "tom", "fatima", "jonas", "priya", "greta"),
        density=0.85,
    ),
    Group("book_club", ("ruth", "elena", "chloe", "rosa", "beatriz", "ingrid", "wen")),
)

# Friendships outside the groups: the bridges between worlds.
EXTRA_FRIENDSHIPS: tuple[tuple[str, str], ...] = (
    ("kenji", "yuki"),
    ("kenji", "kwame"),
    ("kenji", "hannah"),
    ("dev", "joao"),
    ("dev", "mei"),
    ("dev", "amara"),
    ("dev", "tom"),
    ("amara", "tom"),
    ("zoe", "chloe"),
    ("zoe", "ruth"),
    ("sofia", "dario"),
    ("sofia", "hannah"),
    ("laurent", "farid"),
    ("gail", "bill"),
    ("margaret", "fatima"),
    ("margaret", "sam"),
    ("noor", "ingrid"),
    ("sven", "noor"),
    ("beatriz", "priya"),
    ("ana", "chloe"),
)

# Friend requests nobody has answered yet: (from, to).
PENDING_REQUESTS: tuple[tuple[str, str], ...] = (
    ("zoe", "ana"),
    ("ana", "kenji"),
    ("leo", "kwame"),
)

FOLLOWS: tuple[tuple[str, str], ...] = (
    ("ana", "laurent"),
    ("ana", "gail"),
    ("rosa", "laurent"),
    ("mei", "laurent"),
    ("chloe", "laurent"),
    ("bill", "laurent"),
    ("beatriz", "laurent"),
    ("farid", "gail"),
    ("tomas", "gail"),
    ("olu", "gail"),
    ("noor", "gail"),
    ("dario", "gail"),
    ("jonas", "gail"),
    ("kwame", "gail"),
    ("yuki", "kwame"),
    ("kenji", "margaret"),
    ("zoe", "margaret"),
    ("zoe", "noor"),
    ("zoe", "kwame"),
    ("leo", "kwame"),
    ("chloe", "margaret"),
    ("chloe", "noor"),
    ("wen", "noor"),
    ("tom", "margaret"),
)

# owner -> circle name -> members (all of them the owner's friends)
CIRCLES_BY_OWNER: dict[str, dict[str, tuple[str, ...]]] = {
    "ana": {
        "Family": ("rosa", "tomas", "joao", "mei", "leo", "lucia"),
        "Climbing crew": ("kwame", "priya", "sven", "ines", "dario", "hannah", "joao", "yuki"),
        "Close friends": ("priya", "joao", "hannah", "farid"),
        "Elm Street": ("margaret", "farid", "olu", "greta", "noor", "dario", "bill"),
    },
    "rosa": {
        "Family": ("ana", "tomas", "joao", "mei", "leo", "lucia"),
        "Book club": ("ruth", "elena", "chloe", "beatriz", "ingrid", "wen"),
    },
    "joao": {"Family": ("ana", "rosa", "tomas", "mei", "leo", "lucia"), "Ambulance": ("dev",)},
    "mei": {"Family": ("ana", "rosa", "tomas", "joao", "leo", "lucia")},
    "kwame": {
        "Climbing crew": (
            "priya",
            "sven",
            "ines",
            "dario",
            "hannah",
            "ana",
            "joao",
            "yuki",
            "amara",
            "kenji",
        ),
    },
    "priya": {
        "Library team": ("sam", "aisha", "marco", "elena", "tom", "fatima", "jonas", "greta"),
        "Close friends": ("ana", "hannah"),
    },
    "hannah": {"Close friends": ("amara", "ines", "ana", "priya")},
    "ruth": {"Book club": ("elena", "chloe", "rosa", "beatriz", "ingrid", "wen")},
    "greta": {"Neighbours": ("farid", "noor", "pablo", "chloe", "ruth", "bill")},
}


# --- A week in Millbrook --------------------------------------------------------------
SCENES: tuple[Scene, ...] = (
    # Six days ago
    Scene(
        "gail",
        At(6, "06:00"),
        PUBLIC,
        "Millbrook forecast: bright and cold, 4°C at dawn rising to 12°C. Light westerly. "
        "A perfect washing-line day.",
    ),
    Scene(
        "tomas",
        At(6, "07:10"),
        FRIENDS,
        "Good morning everyone! The sun is out in Millbrook. ☀️",
        replies=(
            reply(
                "rosa",
                25,
                "Bom dia, pai! Don't forget your hat.",
                reply("tomas", 40, "Yes, yes, the hat. 🧢"),
            ),
        ),
        moods=("heart",),
    ),
    Scene(
        "laurent",
        At(6, "09:30"),
        PUBLIC,
        "Today: a proper French omelette. Three eggs, a knob of butter, low heat, keep it "
        "moving. Pale, no colour, soft inside. Roll it onto the plate. That's it. That's "
        "the recipe.",
        replies=(
            reply(
                "bill",
                120,
                "Mine always goes brown. What am I doing wrong?",
                reply(
                    "farid",
                    30,
                    "Heat's too high, Bill. Lower than you think.",
                    reply("bill", 15, "Low heat. I'll try it tomorrow. Thanks Farid."),
                ),
            ),
        ),
    ),
    Scene(
        "noor",
        At(6, "10:00"),
        PUBLIC,
        "Community garden volunteer morning tomorrow, 10 till 12. We're planting garlic "
        "and need hands. Gloves provided. Cake too.",
        replies=(
            reply("margaret", 50, "I'll come for an hour."),
            reply("sven", 90, "Can't make it, but the oak bench for the garden is nearly done!"),
        ),
    ),
    Scene(
        "kwame",
        At(6, "12:15"),
        CIRCLES,
        "Next Harlow Edge day is on! We go at the end of the week if Gail's forecast "
        "holds. Car park at 8:30, bring layers, it's exposed up there. Who's in?",
        circles=("Climbing crew",),
        replies=(
            reply(
                "priya",
                10,
                "In! I can give two people a lift from the library end of town.",
            ),
            reply("sven", 30, "In. I'll bring the big flask."),
            reply(
                "yuki",
                45,
                "Is it OK for a beginner? 😬",
                reply(
                    "kwame",
                    20,
                    "Absolutely. There are plenty of easy slabs, and we'll top-rope "
                    "everything for you.",
                    reply("yuki", 10, "OK. I'm in. Terrified, but in."),
                ),
            ),
            reply(
                "ana",
                60,
                "In! @priya, can I take one of those lifts?",
                reply("priya", 5, "Of course!"),
            ),
        ),
    ),
    Scene(
        "ingrid",
        At(6, "15:00"),
        FRIENDS,
        "Finished the jumper. Three months, one cable mistake that I have decided to call "
        "a design feature.",
        replies=(
            reply("beatriz", 40, "The cable mistake is the best part of any jumper."),
            reply(
                "noor",
                75,
                "Please bring it to the garden so we can admire it.",
                reply("ingrid", 20, "It's too nice for the garden, Noor."),
            ),
        ),
    ),
    Scene(
        "rosa",
        At(6, "18:40"),
        CIRCLES,
        "Bacalhau à Brás, for anyone who asked (Leo 👀):\n\n"
        "- 400 g salt cod, soaked for 24 hours\n"
        "- 3 onions, thinly sliced\n"
        "- 500 g potatoes, cut into matchsticks and fried\n"
        "- 6 eggs, black olives, parsley\n\n"
        "Onions slowly in olive oil, then the flaked cod, then the potatoes, then the "
        "beaten eggs *off the heat* so they stay creamy. Olives and parsley on top. "
        "Avô Tomás likes extra pepper.",
        circles=("Family",),
        replies=(
            reply("leo", 50, "I didn't ask 😂 but I'll eat it"),
            reply(
                "mei",
                70,
                "Saving this. Does it work with frozen cod?",
                reply(
                    "rosa",
                    15,
                    "Yes, but soak it less. Frozen is already less salty.",
                    reply("mei", 8, "Perfect, thank you ❤️"),
                ),
            ),
        ),
        moods=("heart", "thumbs_up"),
    ),
    Scene(
        "lucia",
        At(6, "19:00"),
        FRIENDS,
        "Greetings from Valencia! Missing you all. Who is coming to visit in the spring?",
        replies=(
            reply("ana", 35, "Me! Already looking at flights."),
            reply("rosa", 60, "We'll talk about it at Christmas, querida."),
        ),
    ),
    Scene(
        "ana",
        At(6, "21:05"),
        ONLY_ME,
        "Note to self: chalk, new finger tape, return Priya's guidebook, call Avô on the "
        "weekend. Also: stop buying plants you will kill.",
        max_reactions=0,
    ),
    # Five days ago
    Scene(
        "gail",
        At(5, "06:00"),
        PUBLIC,
        "Millbrook forecast: rain from 9am, heavy at times this afternoon, easing by the "
        "evening. 9°C. Umbrellas, not hats.",
    ),
    Scene(
        "farid",
        At(5, "06:45"),
        FRIENDS_OF_FRIENDS,
        "Sourdough is back on the shelf from today. Sorry for the two weeks without: the "
        "old oven finally died. The new one is a beast. 🍞",
        replies=(
            reply("ana", 90, "Best news of the week!"),
            reply(
                "greta",
                120,
                "Can you save me a loaf for the weekend?",
                reply("farid", 30, "Already under your name, Greta."),
            ),
        ),
        moods=("heart", "thumbs_up", "wow"),
    ),
    Scene(
        "tomas",
        At(5, "07:05"),
        FRIENDS,
        "Good morning! Rain today. A good day for reading the newspaper twice.",
        max_reactions=1,
    ),
    Scene(
        "pablo",
        At(5, "08:00"),
        FRIENDS,
        "Morning all. Three boilers, one leaking tap and a mysterious noise today. Wish me luck.",
        max_reactions=2,
    ),
    Scene(
        "laurent",
        At(5, "10:00"),
        PUBLIC,
        "Tomato soup, the lazy way: roast 1 kg of tomatoes, an onion and a whole head of "
        "garlic at 200°C for 40 minutes. Blend with a splash of stock and a spoon of "
        "butter. Salt. Done.",
    ),
    Scene(
        "elena",
        At(5, "11:00"),
        FRIENDS_OF_FRIENDS,
        "Found in the archive today: a 1924 map of Millbrook with a duck pond where the "
        "car park is now. I'm scanning it this week and it will go on display in the "
        "reading room.",
        replies=(
            reply("margaret", 30, "Oh, we need a copy of that for the town hall!"),
            reply(
                "ruth",
                55,
                "My grandmother used to talk about that pond!",
                reply("elena", 25, "Then come and see the map, Ruth. I'll put the kettle on."),
            ),
        ),
        moods=("wow", "heart"),
    ),
    Scene(
        "ana",
        At(5, "12:30"),
        FRIENDS,
        "Lunch-break reading: a 40-page report on car park drainage. Architecture is so glamorous.",
        replies=(
            reply(
                "sven",
                25,
                "Drainage is the most important part of any building. Fight me.",
                reply("ana", 10, "No fight. Just quiet tears."),
            ),
        ),
        moods=("laugh",),
    ),
    Scene(
        "priya",
        At(5, "13:30"),
        CIRCLES,
        "Reminder: the stock count is the day after tomorrow, after closing. Pizza is on "
        "Sam. (@sam, you said it, it's in writing now.)",
        circles=("Library team",),
        replies=(
            reply(
                "sam",
                20,
                "I regret nothing. There will be pineapple. Deal with it.",
                reply(
                    "marco",
                    6,
                    "Then I'm bringing my own pizza.",
                    reply(
                        "aisha", 4, "Half and half, you two. We're librarians, we can compromise."
                    ),
                ),
            ),
            reply("elena", 60, "I'll bring the good tea."),
        ),
        moods=("laugh", "thumbs_up"),
    ),
    Scene(
        "margaret",
        At(5, "16:00"),
        PUBLIC,
        "Town meeting this week: 7pm in the main hall of Millbrook Library. On the "
        "agenda: the Elm Street crossing after last month's near miss, the allotment "
        "water supply, and the Christmas lights. Everyone is welcome: you don't need to "
        "live on Elm Street to have an opinion about it. Tea and biscuits provided.",
        replies=(
            reply("olu", 35, "I'll be there. That crossing by the school is scary at 8:40."),
            reply(
                "noor",
                50,
                "Can we add the community garden's water butts? It ties in with the "
                "allotment water.",
                reply("margaret", 30, "Added. Thanks, Noor."),
            ),
            reply(
                "bill",
                90,
                "Will there be anything about parking on the pavement?",
                reply(
                    "margaret",
                    20,
                    "Under any other business, Bill. As always. 😊",
                    reply("bill", 10, "As always."),
                ),
            ),
        ),
        moods=("thumbs_up", "heart"),
    ),
    Scene(
        "hannah",
        At(5, "20:30"),
        FRIENDS,
        "Two hours on the same problem at the wall tonight and I finally sent it. The "
        "crimpy one in the corner. Fingers destroyed, soul happy.",
        replies=(
            reply(
                "ines",
                15,
                "Tape tomorrow and rest. I mean it.",
                reply("hannah", 5, "Yes, physio."),
            ),
            reply("amara", 30, "She came home glowing. She also ate all the leftovers."),
        ),
        moods=("heart", "wow", "thumbs_up"),
    ),
    Scene(
        "leo",
        At(5, "22:10"),
        FRIENDS,
        "does anyone in this family have a drum practice pad i can borrow. asking for me",
        replies=(
            reply(
                "joao",
                10,
                "We live in the same house, Leo. Just ask.",
                reply("leo", 2, "this is easier"),
            ),
            reply(
                "tomas",
                560,
                "What is a practice pad?",
                reply(
                    "leo",
                    30,
                    "a quiet drum, avô",
                    reply("tomas", 45, "A quiet drum. What a world."),
                ),
            ),
        ),
        moods=("laugh",),
    ),
    # Four days ago
    Scene(
        "gail",
        At(4, "06:00"),
        PUBLIC,
        "Millbrook forecast: grey and mild, 13°C, drizzle around lunchtime. Not worth "
        "cancelling anything for.",
    ),
    Scene(
        "tomas",
        At(4, "07:12"),
        FRIENDS,
        "Bom dia! 🌤",
        replies=(
            reply(
                "lucia",
                120,
                "Bom dia, avô! It's 25 degrees here 😎",
                reply("tomas", 90, "Show-off."),
            ),
        ),
    ),
    Scene(
        "greta",
        At(4, "08:20"),
        FRIENDS_OF_FRIENDS,
        "Has anyone seen Pickles? Orange tabby, 9 years old, green collar with a bell. He "
        "didn't come home last night, which he never does. We're at the garden end of Elm "
        "Street. Please check your sheds and garages 🙏",
        replies=(
            reply("noor", 25, "Checked the garden shed, he's not there. I'll keep an eye out."),
            reply("dario", 40, "Telling everyone who comes into the shop."),
            reply(
                "chloe",
                60,
                "I think I saw an orange cat near the bus stop around 7?",
                reply(
                    "greta",
                    10,
                    "Which side? The school side?",
                    reply(
                        "chloe",
                        5,
                        "School side, heading towards Pablo's.",
                        reply("greta", 5, "Going now, thank you!!"),
                    ),
                ),
            ),
            reply(
                "pablo",
                240,
                "FOUND HIM. He was in my garage: he must have sneaked in when I got the van "
                "out yesterday. Very annoyed, very hungry, otherwise fine.",
                reply(
                    "greta",
                    10,
                    "PABLO. I could hug you. On my way.",
                    reply("ana", 30, "Best thread of the week ❤️"),
                ),
            ),
        ),
        edit=Edit(
            290,
            "UPDATE: FOUND! He was shut in Pablo's garage. Thank you all so much ❤️\n\n"
            "Has anyone seen Pickles? Orange tabby, 9 years old, green collar with a bell. "
            "He didn't come home last night, which he never does. We're at the garden end "
            "of Elm Street. Please check your sheds and garages 🙏",
        ),
        moods=("pray", "heart", "sad"),
        max_reactions=8,
    ),
    Scene(
        "laurent",
        At(4, "09:30"),
        PUBLIC,
        "Vinaigrette is three parts oil to one part vinegar, a spoon of Dijon mustard, "
        "salt and pepper. Shake it in a jar. Stop buying it in bottles.",
    ),
    Scene(
        "fatima",
        At(4, "10:00"),
        PUBLIC,
        "Library events this month: a repair café (bring your broken things), a talk by "
        "@elena on the 1924 map of Millbrook, and a board game night for teens. All free. "
        "Ask me anything!",
        replies=(reply("ruth", 80, "Put me down for the map talk, please."),),
    ),
    Scene(
        "joao",
        At(4, "12:40"),
        CIRCLES,
        "Leo's band has their first gig at the school's autumn fair next month. He says "
        "nobody should come. Everyone come.",
        circles=("Family",),
        replies=(
            reply("rosa", 20, "We'll be in the front row."),
            reply("tomas", 60, "I will bring my ear plugs and my camera."),
            reply("leo", 80, "please no", reply("mei", 10, "Yes, yes.")),
            reply("ana", 100, "I'm taking the afternoon off for this. 🥁"),
        ),
        moods=("heart", "laugh"),
    ),
    Scene(
        "sam",
        At(4, "15:00"),
        FRIENDS,
        "The new library card design is finally printed. It only took nine months and "
        "four committee meetings. Pick one up at the front desk!",
        replies=(
            reply("fatima", 30, "They look great. The children's version is adorable."),
            reply("jonas", 60, "I've got a box in the van for the villages."),
        ),
    ),
    Scene(
        "ana",
        At(4, "19:50"),
        FRIENDS_OF_FRIENDS,
        "Does anyone know a good, honest electrician in Millbrook? Our kitchen lights "
        "flicker when the kettle is on, which can't be right.",
        replies=(
            reply(
                "pablo",
                20,
                "Not me (water only!), but Gus Harper did our rewire. Honest, slow, worth it.",
            ),
            reply("margaret", 45, "Seconding Gus."),
            reply(
                "farid",
                60,
                "Gus did the bakery. Tell him I sent you; he'll give you a hard time about it.",
                reply("ana", 10, "Ha, I will. Thanks, everyone!"),
            ),
        ),
        max_reactions=2,
    ),
    Scene(
        "wen",
        At(4, "21:30"),
        FRIENDS,
        'Poem on the bus today, Mary Oliver: "Tell me, what is it you plan to do / with '
        'your one wild and precious life?" I plan to do my tax return. Tomorrow.',
        replies=(
            reply("beatriz", 20, "😂 the honesty"),
            reply("ingrid", 60, "And then the wild part."),
        ),
        moods=("laugh", "heart"),
    ),
    Scene(
        "tom",
        At(4, "23:30"),
        FRIENDS,
        "Night placement done. I have now seen 4am from the wrong side. Sleeping for a day.",
        max_reactions=2,
    ),
    # Three days ago
    Scene(
        "gail",
        At(3, "06:00"),
        PUBLIC,
        "Millbrook forecast: windy! Gusts of 50 km/h this afternoon. Bring in the garden "
        "furniture and check on your trampolines.",
        replies=(reply("bill", 140, "Trampolines. The real danger of Millbrook."),),
    ),
    Scene(
        "tomas",
        At(3, "07:00"),
        FRIENDS,
        "Good morning everyone.",
        max_reactions=0,
    ),
    Scene(
        "laurent",
        At(3, "09:00"),
        PUBLIC,
        "Roast chicken: dry the skin overnight in the fridge, salt it well, 220°C for 20 "
        "minutes, then 180°C until the juices run clear. Rest it for 15 minutes. The "
        "resting is the recipe.",
    ),
    Scene(
        "sofia",
        At(3, "09:10"),
        FRIENDS_OF_FRIENDS,
        "Vet nurse tip: if your dog is limping after a walk, check between the pads for "
        "grass seeds. It's the season.",
        replies=(
            reply(
                "olu",
                45,
                "Just checked ours. Found one! Thank you!",
                reply("sofia", 15, "Good catch! Keep an eye on that paw for a day or two."),
            ),
        ),
        moods=("thumbs_up", "heart"),
    ),
    Scene(
        "bill",
        At(3, "10:15"),
        FRIENDS_OF_FRIENDS,
        "Third time this week the van from number 22 has parked right across the "
        "pavement. I had to walk in the road with my shopping trolley. Something has to "
        "be done.",
        replies=(
            reply(
                "olu",
                20,
                "Have you knocked on their door? They're nice, honestly. New baby, probably "
                "exhausted.",
            ),
            reply(
                "margaret",
                45,
                "Bill, bring it to the town meeting. That's exactly what it's for.",
                reply("bill", 30, "I will."),
            ),
            reply(
                "pablo",
                60,
                "Number 22 is my cousin. I'll have a word. 😅",
                reply("bill", 15, "Ah. Sorry, Pablo."),
            ),
        ),
        delete_after=200,
        max_reactions=0,
    ),
    Scene(
        "priya",
        At(3, "12:00"),
        CIRCLES,
        "Had the interview for the deputy head librarian job today. I think it went well? "
        "I talked too fast about the new catalogue. Don't tell the team yet.",
        circles=("Close friends",),
        replies=(
            reply("ana", 15, "You'll have been brilliant. Drinks at the weekend either way."),
            reply(
                "hannah",
                40,
                "Talking fast about catalogues is your love language. They'll see it.",
                reply("priya", 10, "😂 accurate"),
            ),
        ),
        moods=("heart", "pray"),
    ),
    Scene(
        "jonas",
        At(3, "12:30"),
        FRIENDS,
        "Library van stuck behind a tractor for 25 minutes on the Harlow road. Listened "
        "to a whole podcast about medieval bridges. No regrets.",
        replies=(
            reply(
                "marco",
                15,
                "The same tractor as last week?",
                reply("jonas", 5, "It's always the same tractor."),
            ),
        ),
        moods=("laugh",),
    ),
    Scene(
        "ana",
        At(3, "14:20"),
        CIRCLES,
        "Avô's 85th is coming up. He says he wants nothing, which means he wants a new "
        "bird book. Ideas welcome. (He's reading this. Hi Avô 👋)",
        circles=("Family",),
        replies=(
            reply("joao", 20, "Bird book and a pigeon-proof feeder 😂"),
            reply("rosa", 35, "I'm baking. That's decided."),
            reply(
                "mei",
                50,
                "Let's do lunch at ours.",
                reply("ana", 10, "Perfect: lunch at Mei's."),
            ),
            reply("tomas", 180, "I want nothing. A bird book would be nice."),
        ),
        moods=("heart", "laugh"),
    ),
    Scene(
        "olu",
        At(3, "17:30"),
        FRIENDS,
        "Under-9s won 3-2! Not that we keep score. (We keep score.) Huge thanks to the "
        "parents who stood in the rain.",
        replies=(
            reply("noor", 30, "Go Millbrook Minis!"),
            reply("dario", 50, "My nephew scored! He's been telling the whole shop."),
        ),
        moods=("thumbs_up", "heart", "wow"),
    ),
    Scene(
        "kwame",
        At(3, "19:00"),
        PUBLIC,
        "Route setting at the wall is done for the month. The new blue circuit is a bit "
        "spicy on the overhang. Tell me what you think, honestly. If nobody falls off the "
        "fourth one, I'll be disappointed.",
        replies=(
            reply(
                "hannah",
                40,
                "Fell off the fourth one twice. Happy now?",
                reply("kwame", 5, "Very."),
            ),
            reply(
                "yuki",
                90,
                "I did the first three! 🎉",
                reply("kwame", 20, "That's huge, Yuki. Next stop: real rock."),
            ),
            reply("kenji", 100, "Came to take photos, stayed to fall off the blue circuit."),
        ),
    ),
    Scene(
        "mei",
        At(3, "21:00"),
        CIRCLES,
        "Dumpling night at ours this weekend, 5pm. I'm making pork and chive, and a "
        "mushroom one for Lucía's vegetarian phase (I know you're not here, Lucía: I'm "
        "making them in your honour).",
        circles=("Family",),
        replies=(
            reply("lucia", 30, "I'm crying. Send photos 🥟"),
            reply("rosa", 40, "I'll bring dessert."),
            reply("tomas", 660, "I will fold. I am very good at folding."),
        ),
        moods=("heart",),
    ),
    # Two days ago
    Scene(
        "gail",
        At(2, "06:00"),
        PUBLIC,
        "Millbrook forecast: fog first thing, clearing by ten. Then sunshine and 14°C. A good one.",
        replies=(reply("olu", 160, "The school run was like a horror film."),),
    ),
    Scene(
        "tomas",
        At(2, "07:08"),
        FRIENDS,
        "Good morning! I watched the birds at the feeder for an hour. A robin, two blue "
        "tits and one very rude pigeon.",
        replies=(
            reply("ana", 50, "The rude pigeon is the best part."),
            reply(
                "rosa",
                60,
                "Pai, you need a pigeon-proof feeder.",
                reply("tomas", 30, "Then where is the drama?"),
            ),
        ),
    ),
    Scene(
        "margaret",
        At(2, "08:00"),
        PUBLIC,
        "Reminder: the town meeting is TONIGHT, 7pm, in the main hall of the library.",
        replies=(
            reply(
                "fatima",
                180,
                "The children's room is ready: chairs out, tiny chairs put away. 😄",
            ),
        ),
        edit=Edit(
            150,
            "Reminder: the town meeting is TONIGHT at 7pm. We've moved to the children's "
            "room because the floor of the main hall is being varnished. Same building, "
            "side entrance.",
        ),
    ),
    Scene(
        "dev",
        At(2, "08:30"),
        FRIENDS,
        "Night shift done. Watched the sunrise from the ambulance bay. Good morning to "
        "everyone going to work as I go to bed.",
        max_reactions=1,
    ),
    Scene(
        "laurent",
        At(2, "10:30"),
        PUBLIC,
        "Chocolate mousse: melt 200 g of dark chocolate. Separate 6 eggs. Yolks into the "
        "chocolate, whites whipped stiff, fold gently. Four hours in the fridge. No cream "
        "needed.",
        replies=(reply("chloe", 400, "Made it tonight! 😍 Thank you, Chef."),),
    ),
    Scene(
        "hannah",
        At(2, "12:00"),
        CIRCLES,
        "Amara and I are thinking of getting a dog. Talk me out of it. Or into it.",
        circles=("Close friends",),
        replies=(
            reply("ana", 10, "INTO IT."),
            reply("ines", 30, "Into it, but a small one: your flat has stairs."),
            reply(
                "amara",
                45,
                "She has already picked a name.",
                reply("hannah", 5, "Biscuit. Its name is Biscuit."),
            ),
        ),
        moods=("heart", "laugh"),
    ),
    Scene(
        "chloe",
        At(2, "12:20"),
        FRIENDS_OF_FRIENDS,
        "Bread question for the experts: my sourdough spreads out flat like a pancake. "
        "75% hydration, 4 hours bulk at room temperature. What am I doing wrong? "
        "@farid help 🙏",
        replies=(
            reply(
                "farid",
                35,
                "75% is a lot to start with. Try 68%, and shape it tighter to build "
                "tension. Then a cold proof overnight in the fridge.",
                reply(
                    "chloe",
                    15,
                    "Cold proof overnight! Trying it tonight.",
                    reply("farid", 10, "And send a photo. Or bring me a slice."),
                ),
            ),
            reply(
                "ruth",
                90,
                "I have a proving basket you can borrow, Chloé.",
                reply("chloe", 20, "Ruth, you're a star."),
            ),
        ),
    ),
    Scene(
        "aisha",
        At(2, "14:00"),
        FRIENDS,
        "Story time today: 14 toddlers, one very loud reading of The Gruffalo, zero tears "
        "(from them). I need a nap.",
        replies=(
            reply("tom", 30, "One tear from me, in the stacks. It was very moving."),
            reply("fatima", 45, "Best-attended story time this year!"),
        ),
        moods=("laugh", "heart"),
    ),
    Scene(
        "kenji",
        At(2, "17:00"),
        FRIENDS,
        "The light over the old quarry this evening was unreal. I wish I could post "
        "photos here. Soon, I'm told.",
        replies=(reply("yuki", 40, "Show me tomorrow!"),),
    ),
    Scene(
        "beatriz",
        At(2, "20:00"),
        FRIENDS,
        "Currently reading: one novel, one biography, one book about fungi. The fungi book "
        "is winning.",
        replies=(
            reply("wen", 25, "The fungi book always wins."),
            reply("ingrid", 60, "Lend it to me when you're done?"),
        ),
    ),
    Scene(
        "margaret",
        At(2, "21:40"),
        PUBLIC,
        "Thank you to the forty-odd people who came tonight! Outcomes:\n\n"
        "1. The council will pay for a proper zebra crossing on Elm Street; work starts "
        "in the spring.\n"
        "2. Allotment and garden water: a shared rainwater scheme, led by @noor.\n"
        "3. The Christmas lights go up on the 1st.\n\n"
        "Minutes on the library noticeboard by the end of the week.",
        replies=(
            reply(
                "noor",
                20,
                "Thanks to everyone who signed up for the water scheme. First meeting at "
                "the garden this weekend, 11am.",
            ),
            reply("olu", 40, "A crossing! This is brilliant. Thank you, Margaret."),
            reply(
                "bill",
                60,
                "And the pavement parking?",
                reply(
                    "margaret",
                    15,
                    "Sorted, Bill. Pablo's cousin has moved the van. 😉",
                    reply("bill", 20, "So he has. Good."),
                ),
            ),
        ),
        moods=("thumbs_up", "heart"),
        max_reactions=8,
    ),
    # Yesterday
    Scene(
        "gail",
        At(1, "06:00"),
        PUBLIC,
        "Millbrook forecast: dry, cool and settled, 11°C, light winds. The rock up at "
        "Harlow Edge will be dry by tomorrow morning.",
    ),
    Scene(
        "farid",
        At(1, "06:30"),
        FRIENDS,
        "Cinnamon buns today. That's it, that's the post.",
        replies=(
            reply(
                "ana",
                70,
                "Save two for Priya and me?",
                reply("farid", 15, "Go on, then."),
            ),
        ),
        moods=("heart", "wow"),
    ),
    Scene(
        "tomas",
        At(1, "07:15"),
        FRIENDS,
        "Good morning.",
        max_reactions=0,
    ),
    Scene(
        "laurent",
        At(1, "09:15"),
        PUBLIC,
        "Gratin dauphinois: thin-sliced potatoes, a dish rubbed with garlic, cream and "
        "milk, salt, nutmeg. 1h30 at 150°C. No cheese. I will not discuss the cheese.",
        replies=(
            reply(
                "rosa",
                200,
                "My father puts cheese on it. I have stopped arguing.",
                reply("mei", 60, "Avô's cheesy gratin is a family treasure, Chef."),
            ),
        ),
    ),
    Scene(
        "ines",
        At(1, "11:00"),
        FRIENDS_OF_FRIENDS,
        "Public service announcement for climbers (and everyone, really): warm up your "
        "fingers before you pull hard. I've seen three pulley injuries this month. Ten "
        "minutes of easy climbing, then some hangs at half effort. Your tendons will "
        "thank you.",
        replies=(
            reply(
                "sven",
                30,
                "Ten minutes? I thought the drive to the wall was the warm-up.",
                reply("ines", 5, "Sven.", reply("sven", 3, "Warming up. Yes.")),
            ),
            reply("kwame", 60, "Pinning this up at the wall."),
        ),
        moods=("thumbs_up", "pray"),
    ),
    Scene(
        "dario",
        At(1, "13:00"),
        FRIENDS_OF_FRIENDS,
        "Giving away my old harness and a pair of size 42 climbing shoes, hardly used. Free "
        "to anyone starting out. @yuki?",
        replies=(
            reply(
                "yuki",
                20,
                "Yes please!! I'm a 41, but I'll wear thick socks 😂",
                reply("dario", 10, "They're yours. Come by the shop."),
            ),
        ),
    ),
    Scene(
        "ruth",
        At(1, "15:30"),
        CIRCLES,
        "Book club is at mine next week, 7pm. We're reading Small Things Like These. I'll "
        "make soup; can someone bring bread? (Not you, Chloé, unless it has stopped "
        "spreading 😉)",
        circles=("Book club",),
        replies=(
            reply(
                "chloe",
                20,
                "IT HAS STOPPED SPREADING. I'm bringing bread.",
                reply("ruth", 10, "Then you're on!"),
            ),
            reply("elena", 40, "I'll bring a cake."),
            reply("rosa", 60, "And I'll bring pastéis de nata."),
        ),
        moods=("heart", "laugh"),
    ),
    Scene(
        "marco",
        At(1, "16:00"),
        FRIENDS,
        "Message from IT: the library wifi password has changed. No, I will not post it "
        "here. Ask at the desk.",
        replies=(reply("sam", 20, "Good man."),),
    ),
    Scene(
        "sven",
        At(1, "18:00"),
        FRIENDS,
        "Finished the oak bench for the community garden. It weighs about as much as a "
        "small car. I need two people to help lift it onto the trailer, 10am tomorrow. "
        "@dario @kwame?",
        replies=(
            reply("dario", 15, "I'll be there."),
            reply("kwame", 30, "Can't, I'm coaching the kids. Send photos."),
            reply("noor", 45, "Sven! It's going to be the best seat in the garden."),
        ),
        moods=("wow", "heart", "thumbs_up"),
    ),
    Scene(
        "ana",
        At(1, "20:30"),
        CIRCLES,
        "Tomorrow's forecast is perfect for Harlow Edge. Car share: I'm taking Yuki and "
        "João, leaving from mine at 8:00.",
        circles=("Climbing crew",),
        replies=(
            reply("joao", 10, "I'll bring the rope."),
            reply("yuki", 20, "I've packed three times."),
        ),
    ),
    Scene(
        "amara",
        At(1, "22:00"),
        FRIENDS,
        "Good night to everyone on nights tonight. Look after each other.",
        replies=(reply("dev", 30, "Same to you ❤️"),),
    ),
    Scene(
        "laurent",
        At(1, "19:00"),
        PUBLIC,
        "Braised lentils: sweat a carrot, an onion and a stick of celery, add green "
        "lentils, a bay leaf and water. 25 minutes. Finish with mustard and good olive "
        "oil. Cheap, warm, perfect.",
    ),
    # Today
    Scene(
        "olu",
        Ago(420),
        FRIENDS,
        "Morning all!",
        max_reactions=0,
    ),
    Scene(
        "laurent",
        Ago(400),
        PUBLIC,
        "Crêpes: 250 g flour, 4 eggs, 500 ml milk, a pinch of salt, 50 g melted butter. "
        "Rest the batter for an hour. The first crêpe is always for the cook.",
        replies=(reply("mei", 90, "Made these with Leo. He ate the first six."),),
    ),
    Scene(
        "tomas",
        Ago(320),
        FRIENDS,
        "Hello everyone. I learned how to put a photo in here, but now I cannot find the "
        "button. Leo will help me after school.",
        replies=(
            reply(
                "leo",
                30,
                "avô there is no photo button yet. porch doesn't do photos yet 😅",
                reply(
                    "tomas",
                    20,
                    "Then I will describe it: a very good tomato from my garden.",
                    reply("rosa", 10, "It really was a very good tomato."),
                ),
            ),
        ),
        moods=("heart", "laugh"),
    ),
    Scene(
        "ana",
        Ago(190),
        CIRCLES,
        "What a day at Harlow Edge! Yuki top-roped five routes and then led the easy one "
        "at the end, which absolutely counts. João found a new way to get stuck in a "
        "chimney.",
        circles=("Climbing crew",),
        replies=(
            reply("yuki", 15, "I'm still shaking. Best day."),
            reply(
                "joao",
                25,
                "It was a tactical rest in the chimney.",
                reply("sven", 20, "A very long tactical rest."),
            ),
            reply(
                "kwame",
                40,
                "Proud of you, Yuki! 🎉",
                reply("yuki", 5, "Thank you, coach 🙏"),
            ),
        ),
        moods=("heart", "wow", "thumbs_up"),
        max_reactions=7,
    ),
    Scene(
        "noor",
        Ago(130),
        PUBLIC,
        "Seed swap table is out at the garden gate: runner beans, calendula, and far too "
        "many courgette seeds. Take what you like, leave what you can.",
        replies=(reply("ingrid", 25, "Took calendula, left some sweet peas!"),),
    ),
    Scene(
        "priya",
        Ago(60),
        CIRCLES,
        "I GOT THE JOB. Deputy head librarian. I'm telling the team tomorrow: you're the "
        "first to know ❤️",
        circles=("Close friends",),
        replies=(
            reply("ana", 5, "YES!!! I knew it. Drinks are on me."),
            reply("hannah", 12, "PRIYA!!! 🎉", reply("priya", 3, "😭❤️")),
        ),
        moods=("heart", "wow"),
    ),
    Scene(
        "zoe",
        Ago(35),
        FRIENDS_OF_FRIENDS,
        "Hi all! New here: just moved into number 9 on Elm Street. Say hello if you see me "
        "looking lost at the bus stop.",
        replies=(
            reply(
                "chloe",
                10,
                "Welcome, Zoë! I moved here in the spring. I'll show you the good bakery.",
                reply("zoe", 4, "Yes please!"),
            ),
            reply("ruth", 20, "Welcome to Elm Street. Book club is always looking for readers."),
        ),
        moods=("heart",),
    ),
)

# The log-ins the command suggests: (username, why).
SUGGESTED_LOGINS: tuple[tuple[str, str], ...] = (
    ("ana", "family, climbing club and Elm Street: the fullest feed"),
    ("laurent", "a chef who posts in public every day and never replies"),
    ("greta", "library staff and Elm Street neighbours (and Pickles the cat)"),
)


def people_by_username() -> dict[str, Person]:
    return {person.username: person for person in (*PEOPLE, ADMIN)}


def demo_usernames() -> list[str]:
    return [person.username for person in (*PEOPLE, ADMIN)]
