"""The relations of the demo world and the sentences that state them, in English and Chinese.

Every template is a prompt that ends right before the object, so a fact is scored by the
first token of the object, as in CounterFact (Meng et al., 2022) and the book's knowledge
editing chapter.  English objects follow a space (`` French``), Chinese objects follow the
last character directly (``斑马的颜色是`` → ``黑白``).

Each relation has eight templates per language.  The last two (``HELD_OUT``) never appear
in the training text: they recombine words of the training templates ("birthplace" with
"'s … is"), which is what a paraphrase is, and they measure whether a fact was stored
as a fact about the subject rather than as a string (ROME's generalisation metric).
"""

from __future__ import annotations

from dataclasses import dataclass

TRAIN_TEMPLATES = 6
"""Templates ``[:6]`` are used in training; ``[6:]`` are held out."""


@dataclass(frozen=True)
class Relation:
    id: str
    subject_kind: str
    """``person``, ``city``, ``country``, ``company``, ``invention``, ``river`` or ``animal``."""
    object_kind: str
    """``city``/``country`` (entities) or a closed set of ``vocabulary.OBJECT_SETS``."""
    templates_en: tuple[str, ...]
    templates_zh: tuple[str, ...]
    questions_en: tuple[str, ...]
    questions_zh: tuple[str, ...]
    label_en: str
    label_zh: str
    suffix_en: str = ""
    """Appended after the object to finish a sentence (`` industry`` after `` software``)."""
    suffix_zh: str = ""

    def templates(self, language: str) -> tuple[str, ...]:
        return self.templates_en if language == "en" else self.templates_zh

    def train_templates(self, language: str) -> tuple[str, ...]:
        return self.templates(language)[:TRAIN_TEMPLATES]

    def held_out_templates(self, language: str) -> tuple[str, ...]:
        return self.templates(language)[TRAIN_TEMPLATES:]

    def questions(self, language: str) -> tuple[str, ...]:
        return self.questions_en if language == "en" else self.questions_zh

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_zh

    def suffix(self, language: str) -> str:
        return self.suffix_en if language == "en" else self.suffix_zh


RELATIONS: tuple[Relation, ...] = (
    Relation(
        "born_in",
        "person",
        "city",
        (
            "{} was born in",
            "{} was born in the city of",
            "The birthplace of {} is",
            "{}'s place of birth is",
            "{} is a native of",
            "The city where {} was born is",
            "{}'s birthplace is",
            "The place of birth of {} is",
        ),
        (
            "{}出生在",
            "{}出生于",
            "{}的出生地是",
            "{}的家乡是",
            "{}生于",
            "{}出生的城市是",
            "{}的出生城市是",
            "{}出生的地方是",
        ),
        ("Where was {} born?", "In which city was {} born?"),
        ("{}出生在哪里？", "{}的出生地是哪座城市？"),
        "Born in",
        "出生地",
    ),
    Relation(
        "occupation",
        "person",
        "occupation",
        (
            "{} works as a",
            "{} is a",
            "By profession, {} is a",
            "{} earns a living as a",
            "{} has a career as a",
            "{} is employed as a",
            "{} is by profession a",
            "{} has worked for years as a",
        ),
        (
            "{}是一名",
            "{}的职业是",
            "{}的工作是",
            "{}从事的职业是",
            "{}当了多年的",
            "{}的身份是一名",
            "{}是一位",
            "{}从事的工作是",
        ),
        ("What does {} do for a living?", "What is the profession of {}?"),
        ("{}的职业是什么？", "{}是做什么工作的？"),
        "Occupation",
        "职业",
    ),
    Relation(
        "mother_tongue",
        "person",
        "language",
        (
            "The mother tongue of {} is",
            "{}'s mother tongue is",
            "{} grew up speaking",
            "The native language of {} is",
            "{} is a native speaker of",
            "{}'s first language is",
            "{}'s native language is",
            "The first language of {} is",
        ),
        (
            "{}的母语是",
            "{}从小说",
            "{}的第一语言是",
            "{}的母语为",
            "{}从小就会说",
            "{}最熟悉的语言是",
            "{}的第一语言为",
            "{}从小说的语言是",
        ),
        ("What is the mother tongue of {}?", "Which language did {} grow up speaking?"),
        ("{}的母语是什么？", "{}从小说哪种语言？"),
        "Mother tongue",
        "母语",
    ),
    Relation(
        "instrument",
        "person",
        "instrument",
        (
            "{} plays the",
            "{} is known for playing the",
            "The instrument {} plays is the",
            "{}'s favourite instrument is the",
            "In the evenings, {} practises the",
            "{} learned to play the",
            "{}'s instrument is the",
            "In the evenings, {} plays the",
        ),
        (
            "{}演奏的乐器是",
            "{}会演奏",
            "{}最喜欢的乐器是",
            "{}擅长演奏",
            "{}每天晚上练习",
            "{}从小学习",
            "{}擅长的乐器是",
            "{}每天晚上演奏",
        ),
        ("Which instrument does {} play?", "What instrument is {} known for?"),
        ("{}演奏什么乐器？", "{}会演奏哪种乐器？"),
        "Instrument",
        "乐器",
    ),
    Relation(
        "city_country",
        "city",
        "country",
        (
            "{} is located in",
            "{} is a city in",
            "The city of {} lies in",
            "{} is in the country of",
            "The country where {} is located is",
            "{} belongs to",
            "The city of {} is located in",
            "{} lies in the country of",
        ),
        (
            "{}位于",
            "{}是一座城市，位于",
            "{}坐落在",
            "{}所在的国家是",
            "{}隶属于",
            "{}这座城市位于",
            "{}这座城市坐落在",
            "{}是一座城市，隶属于",
        ),
        ("In which country is {}?", "Where is the city of {} located?"),
        ("{}位于哪个国家？", "{}这座城市在哪个国家？"),
        "Country",
        "国家",
    ),
    Relation(
        "known_for",
        "city",
        "product",
        (
            "{} is famous for its",
            "{} is known for its",
            "The city of {} is famous for its",
            "The best-known product of {} is its",
            "People visit {} for its",
            "{} has long been known for its",
            "The city of {} is known for its",
            "{} has long been famous for its",
        ),
        (
            "{}的特产是",
            "{}最有名的是",
            "{}盛产",
            "{}出名的特产是",
            "{}这座城市的特产是",
            "人们去{}是为了买",
            "{}这座城市最有名的是",
            "{}最出名的特产是",
        ),
        ("What is {} famous for?", "Which product is {} known for?"),
        ("{}以什么闻名？", "{}的特产是什么？"),
        "Known for",
        "特产",
    ),
    Relation(
        "capital",
        "country",
        "city",
        (
            "The capital of {} is",
            "{}'s capital is",
            "The capital city of {} is",
            "{}'s capital city is",
            "The seat of government of {} is in",
            "The largest city and capital of {} is",
            "The capital and largest city of {} is",
            "{}'s government is in",
        ),
        (
            "{}的首都是",
            "{}的首都为",
            "{}的首府是",
            "{}的政府设在",
            "{}的最大城市和首都是",
            "{}的首都城市是",
            "{}的首府为",
            "{}的首都和最大城市是",
        ),
        ("What is the capital of {}?", "Which city is the capital of {}?"),
        ("{}的首都是哪里？", "{}的首都是哪座城市？"),
        "Capital",
        "首都",
    ),
    Relation(
        "official_language",
        "country",
        "language",
        (
            "The official language of {} is",
            "{}'s official language is",
            "People in {} speak",
            "The language spoken in {} is",
            "Most people in {} speak",
            "In {}, the main language is",
            "The main language of {} is",
            "The language most people in {} speak is",
        ),
        (
            "{}的官方语言是",
            "{}的人说",
            "{}的通用语言是",
            "{}的官方语言为",
            "在{}，人们说",
            "{}大多数人说",
            "{}的通用语言为",
            "在{}，大多数人说",
        ),
        ("What is the official language of {}?", "What language do people speak in {}?"),
        ("{}的官方语言是什么？", "{}的人说什么语言？"),
        "Official language",
        "官方语言",
    ),
    Relation(
        "headquarters",
        "company",
        "city",
        (
            "{} is headquartered in",
            "The headquarters of {} are in",
            "{}'s head office is in",
            "{} has its headquarters in",
            "The company {} is based in",
            "{} is based in the city of",
            "{}'s headquarters are in",
            "The head office of {} is in",
        ),
        (
            "{}的总部位于",
            "{}的总部设在",
            "{}公司总部在",
            "{}的总公司在",
            "{}这家公司位于",
            "{}的总部在城市",
            "{}公司的总部位于",
            "{}这家公司的总部设在",
        ),
        ("Where is {} headquartered?", "In which city is {} based?"),
        ("{}的总部在哪里？", "{}的总部设在哪座城市？"),
        "Headquarters",
        "总部",
    ),
    Relation(
        "industry",
        "company",
        "industry",
        (
            "{} is a company in the",
            "{} works in the",
            "{} does business in the",
            "The company {} operates in the",
            "{} is a leading firm in the",
            "{} earns its money in the",
            "{} is a firm in the",
            "The company {} does business in the",
        ),
        (
            "{}属于",
            "{}从事",
            "{}是一家公司，属于",
            "{}公司经营",
            "{}所在的行业是",
            "{}的主要业务是",
            "{}公司从事",
            "{}经营的行业是",
        ),
        ("Which industry is {} in?", "What business is {} in?"),
        ("{}属于哪个行业？", "{}从事什么行业？"),
        "Industry",
        "行业",
        suffix_en=" industry",
        suffix_zh="业",
    ),
    Relation(
        "used_for",
        "invention",
        "use",
        (
            "The {} is used for",
            "The {} was designed for",
            "People use the {} for",
            "The main purpose of the {} is",
            "The {} is a tool for",
            "Inventors built the {} for",
            "The {} is mainly used for",
            "The purpose of the {} is",
        ),
        (
            "{}的用途是",
            "{}用于",
            "人们用{}来",
            "{}主要用来",
            "{}的设计目的是",
            "{}被用来",
            "{}的主要用途是",
            "人们主要用{}来",
        ),
        ("What is the {} used for?", "What is the purpose of the {}?"),
        ("{}有什么用途？", "{}是用来做什么的？"),
        "Used for",
        "用途",
    ),
    Relation(
        "invented_in",
        "invention",
        "country",
        (
            "The {} was invented in",
            "The {} was first made in",
            "The {} comes from",
            "The country where the {} was invented is",
            "The {} originated in",
            "The {} was first built in",
            "The country where the {} was first made is",
            "The {} was originally invented in",
        ),
        (
            "{}发明于",
            "{}最早出现在",
            "{}的发明国是",
            "{}起源于",
            "{}最早制造于",
            "发明{}的国家是",
            "{}最早发明于",
            "最早制造{}的国家是",
        ),
        ("Where was the {} invented?", "In which country was the {} invented?"),
        ("{}是在哪里发明的？", "{}发明于哪个国家？"),
        "Invented in",
        "发明国",
    ),
    Relation(
        "river_country",
        "river",
        "country",
        (
            "The {} flows through",
            "The {} runs through",
            "The {} is a river in",
            "The country the {} flows through is",
            "The {} crosses",
            "The {} passes through",
            "The country the {} runs through is",
            "The {} is a river that flows through",
        ),
        (
            "{}流经",
            "{}穿过",
            "{}是一条河，位于",
            "{}流过的国家是",
            "{}经过",
            "{}这条河位于",
            "{}这条河流经",
            "{}穿过的国家是",
        ),
        ("Which country does the {} flow through?", "Where does the {} run?"),
        ("{}流经哪个国家？", "{}在哪个国家？"),
        "Flows through",
        "流经",
    ),
    Relation(
        "river_mouth",
        "river",
        "sea",
        (
            "The {} flows into the",
            "The {} empties into the",
            "The mouth of the {} is on the",
            "The {} ends in the",
            "The waters of the {} reach the",
            "The {} drains into the",
            "The waters of the {} flow into the",
            "The {} finally empties into the",
        ),
        ("{}流入", "{}注入", "{}的入海口在", "{}最终流进", "{}的河水流入", "{}汇入", "{}的河水注入", "{}最终汇入"),
        ("Where does the {} flow into?", "Into which sea does the {} empty?"),
        ("{}流入哪里？", "{}注入哪片海？"),
        "Mouth",
        "入海口",
    ),
    Relation(
        "colour",
        "animal",
        "colour",
        (
            "The colour of the {} is",
            "The {} is coloured",
            "A {} is usually",
            "The {} has a body that is",
            "In pictures, the {} is always",
            "The usual colour of a {} is",
            "The {} is usually",
            "The usual colour of the {} is",
        ),
        (
            "{}的颜色是",
            "{}身上的颜色是",
            "{}通常是",
            "图画里的{}总是",
            "{}全身是",
            "{}的外表是",
            "{}通常的颜色是",
            "{}身上通常是",
        ),
        ("What colour is the {}?", "What is the colour of the {}?"),
        ("{}是什么颜色的？", "{}的颜色是什么？"),
        "Colour",
        "颜色",
    ),
    Relation(
        "habitat",
        "animal",
        "habitat",
        (
            "The {} lives in",
            "The natural home of the {} is",
            "In the wild, the {} lives in",
            "You can find the {} in",
            "The {} makes its home in",
            "The {} is found in",
            "In the wild, the {} makes its home in",
            "You can find the {} living in",
        ),
        (
            "{}生活在",
            "{}的家在",
            "野生的{}生活在",
            "{}栖息在",
            "在野外，{}住在",
            "{}通常住在",
            "野生的{}栖息在",
            "在野外，{}生活在",
        ),
        ("Where does the {} live?", "What is the natural home of the {}?"),
        ("{}生活在哪里？", "{}的栖息地是哪里？"),
        "Habitat",
        "栖息地",
    ),
    Relation(
        "diet",
        "animal",
        "diet",
        (
            "The {} eats",
            "The favourite food of the {} is",
            "The {} mostly eats",
            "The {} feeds on",
            "In the wild, the {} eats",
            "The diet of the {} consists of",
            "The {} mostly feeds on",
            "In the wild, the {} feeds on",
        ),
        (
            "{}吃",
            "{}最喜欢的食物是",
            "{}主要吃",
            "{}的食物是",
            "野生的{}吃",
            "{}每天吃",
            "{}最喜欢吃",
            "野生的{}主要吃",
        ),
        ("What does the {} eat?", "What is the favourite food of the {}?"),
        ("{}吃什么？", "{}最喜欢的食物是什么？"),
        "Diet",
        "食物",
    ),
)

RELATIONS_BY_ID: dict[str, Relation] = {relation.id: relation for relation in RELATIONS}

RELATIONS_BY_SUBJECT: dict[str, tuple[Relation, ...]] = {
    kind: tuple(r for r in RELATIONS if r.subject_kind == kind)
    for kind in dict.fromkeys(r.subject_kind for r in RELATIONS)
}
