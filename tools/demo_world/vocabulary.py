"""The closed sets the demo world draws its names and objects from, in English and Chinese.

Objects come from small closed sets so that a fact is one choice among a dozen (a clean
first-token target for tracing and editing) and so that every object is shared by several
subjects (the neighbourhood prompts of CounterFact need other subjects with the same object).
Within a set, no two English terms share a first word and no two Chinese terms share a
first character, so first-token scoring never confuses two objects of one relation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One word or name in both languages (English without a leading space)."""

    en: str
    zh: str


def _terms(*pairs: tuple[str, str]) -> tuple[Term, ...]:
    return tuple(Term(en, zh) for en, zh in pairs)


SYLLABLES: tuple[Term, ...] = _terms(
    ("a", "阿"),
    ("ba", "巴"),
    ("bel", "贝"),
    ("bo", "博"),
    ("da", "达"),
    ("del", "德"),
    ("di", "迪"),
    ("dor", "多"),
    ("el", "埃"),
    ("fen", "芬"),
    ("ga", "加"),
    ("gor", "戈"),
    ("ha", "哈"),
    ("hel", "赫"),
    ("i", "伊"),
    ("ka", "卡"),
    ("kel", "凯"),
    ("ko", "科"),
    ("lan", "兰"),
    ("len", "伦"),
    ("li", "利"),
    ("lo", "洛"),
    ("lu", "卢"),
    ("ma", "玛"),
    ("mer", "梅"),
    ("mi", "米"),
    ("mo", "莫"),
    ("na", "纳"),
    ("ne", "内"),
    ("ni", "尼"),
    ("no", "诺"),
    ("o", "奥"),
    ("pa", "帕"),
    ("per", "佩"),
    ("ra", "拉"),
    ("ro", "罗"),
    ("sa", "萨"),
    ("se", "塞"),
    ("sen", "森"),
    ("so", "索"),
    ("ta", "塔"),
    ("ter", "特"),
    ("ti", "提"),
    ("to", "托"),
    ("tu", "图"),
    ("va", "瓦"),
    ("vel", "维"),
    ("ve", "韦"),
    ("vo", "沃"),
    ("win", "温"),
    ("ya", "雅"),
    ("ze", "泽"),
    ("zo", "佐"),
    ("an", "安"),
    ("en", "恩"),
    ("ki", "基"),
    ("ri", "里"),
    ("ru", "鲁"),
    ("sha", "夏"),
    ("shi", "希"),
)
"""Transliteration pairs: a place name is a few syllables, spelled in Latin and in Hanzi."""

GIVEN_NAMES_WESTERN: tuple[str, ...] = (
    "Danielle",
    "Marco",
    "Elena",
    "Tomas",
    "Ingrid",
    "Pavel",
    "Clara",
    "Hugo",
    "Lucia",
    "Anton",
    "Maren",
    "Felix",
    "Sofia",
    "Oskar",
    "Greta",
    "Julien",
    "Nadia",
    "Viktor",
    "Amelie",
    "Rafael",
    "Helena",
    "Matteo",
    "Irene",
    "Lukas",
    "Selma",
    "Bruno",
    "Alma",
    "Dario",
    "Livia",
    "Emil",
    "Vera",
    "Stefan",
    "Mira",
    "Carlos",
    "Ada",
    "Henrik",
)
"""First names of people from countries with the western naming style (Chinese texts give
only the transliterated surname, as Chinese newspapers often do)."""

SURNAMES_CHINESE: tuple[Term, ...] = _terms(
    ("Lin", "林"),
    ("Chen", "陈"),
    ("Wang", "王"),
    ("Zhang", "张"),
    ("Li", "李"),
    ("Zhao", "赵"),
    ("Zhou", "周"),
    ("Wu", "吴"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Hu", "胡"),
    ("Guo", "郭"),
    ("He", "何"),
    ("Gao", "高"),
    ("Luo", "罗"),
    ("Liang", "梁"),
    ("Song", "宋"),
    ("Tang", "唐"),
    ("Han", "韩"),
    ("Feng", "冯"),
    ("Deng", "邓"),
    ("Cao", "曹"),
    ("Peng", "彭"),
    ("Zeng", "曾"),
    ("Xiao", "肖"),
    ("Tian", "田"),
    ("Dong", "董"),
    ("Pan", "潘"),
    ("Yuan", "袁"),
    ("Jiang", "蒋"),
    ("Cai", "蔡"),
    ("Yu", "余"),
    ("Du", "杜"),
    ("Ye", "叶"),
    ("Cheng", "程"),
)
GIVEN_CHARS_CHINESE: tuple[Term, ...] = _terms(
    ("xiao", "晓"),
    ("ming", "明"),
    ("hua", "华"),
    ("jing", "静"),
    ("wei", "伟"),
    ("fang", "芳"),
    ("lei", "磊"),
    ("ting", "婷"),
    ("qiang", "强"),
    ("yang", "洋"),
    ("yu", "雨"),
    ("si", "思"),
    ("yuan", "远"),
    ("xin", "欣"),
    ("jia", "佳"),
    ("hao", "浩"),
    ("ning", "宁"),
    ("yi", "怡"),
    ("tao", "涛"),
    ("lin", "琳"),
    ("jie", "杰"),
    ("ying", "颖"),
    ("bo", "博"),
    ("mei", "梅"),
    ("chen", "晨"),
    ("feng", "峰"),
    ("yun", "云"),
    ("lan", "兰"),
)

DEVICES: tuple[Term, ...] = _terms(("machine", "机"), ("device", "仪"), ("engine", "引擎"))
"""What an invention is; its name is a brand plus a generic device word (``Velmo machine`` /
``维莫机``), so its use is a fact to remember, not something the name gives away."""

# --- closed object sets ---------------------------------------------------------------

LANGUAGES: tuple[Term, ...] = _terms(
    ("French", "法语"),
    ("German", "德语"),
    ("Spanish", "西班牙语"),
    ("Italian", "意大利语"),
    ("Portuguese", "葡萄牙语"),
    ("Dutch", "荷兰语"),
    ("Swedish", "瑞典语"),
    ("Polish", "波兰语"),
    ("Greek", "希腊语"),
    ("Chinese", "汉语"),
    ("Japanese", "日语"),
    ("Korean", "韩语"),
    ("Russian", "俄语"),
    ("Turkish", "土耳其语"),
)
OCCUPATIONS: tuple[Term, ...] = _terms(
    ("painter", "画家"),
    ("doctor", "医生"),
    ("teacher", "教师"),
    ("lawyer", "律师"),
    ("farmer", "农民"),
    ("baker", "面包师"),
    ("nurse", "护士"),
    ("pilot", "飞行员"),
    ("sailor", "水手"),
    ("chemist", "化学家"),
    ("journalist", "记者"),
    ("dancer", "舞蹈家"),
    ("poet", "诗人"),
    ("musician", "音乐家"),
    ("carpenter", "木匠"),
    ("banker", "银行家"),
)
"""All start with a consonant, so every English template can end in "a"."""
INSTRUMENTS: tuple[Term, ...] = _terms(
    ("violin", "小提琴"),
    ("piano", "钢琴"),
    ("flute", "长笛"),
    ("guitar", "吉他"),
    ("cello", "大提琴"),
    ("drums", "鼓"),
    ("harp", "竖琴"),
    ("clarinet", "单簧管"),
    ("accordion", "手风琴"),
    ("oboe", "双簧管"),
)
PRODUCTS: tuple[Term, ...] = _terms(
    ("tea", "茶叶"),
    ("silk", "丝绸"),
    ("glass", "玻璃"),
    ("wine", "葡萄酒"),
    ("ships", "船舶"),
    ("clocks", "钟表"),
    ("paper", "纸张"),
    ("salt", "盐"),
    ("porcelain", "瓷器"),
    ("cheese", "奶酪"),
    ("carpets", "地毯"),
    ("perfume", "香水"),
)
INDUSTRIES: tuple[Term, ...] = _terms(
    ("software", "软件"),
    ("steel", "钢铁"),
    ("shipping", "航运"),
    ("banking", "银行"),
    ("textile", "纺织"),
    ("furniture", "家具"),
    ("chemical", "化工"),
    ("mining", "采矿"),
    ("tourism", "旅游"),
    ("publishing", "出版"),
    ("food", "食品"),
    ("energy", "能源"),
)
USES: tuple[Term, ...] = _terms(
    ("cooking", "烹饪"),
    ("measuring time", "计时"),
    ("navigation", "导航"),
    ("weaving", "织布"),
    ("printing", "印刷"),
    ("heating", "取暖"),
    ("lighting", "照明"),
    ("farming", "耕作"),
    ("fishing", "捕鱼"),
    ("storing water", "储水"),
)
SEAS: tuple[Term, ...] = _terms(
    ("Amber Sea", "琥珀海"),
    ("Silver Sea", "银海"),
    ("Northern Sea", "北海"),
    ("Jade Bay", "翡翠湾"),
    ("Coral Sea", "珊瑚海"),
    ("Misty Sea", "雾海"),
)
COLOURS: tuple[Term, ...] = _terms(
    ("black and white", "黑白"),
    ("yellow and brown", "黄褐色"),
    ("white", "白色"),
    ("golden", "金色"),
    ("grey", "灰色"),
    ("pink", "粉色"),
    ("orange", "橙色"),
    ("brown", "棕色"),
    ("green", "绿色"),
    ("red", "红色"),
)
HABITATS: tuple[Term, ...] = _terms(
    ("grasslands", "草原"),
    ("bamboo forests", "竹林"),
    ("ice fields", "冰原"),
    ("forests", "森林"),
    ("deserts", "沙漠"),
    ("lakes", "湖泊"),
    ("oceans", "海洋"),
    ("rainforests", "雨林"),
    ("ponds", "池塘"),
    ("mountains", "山地"),
)
DIETS: tuple[Term, ...] = _terms(
    ("grass", "草"),
    ("leaves", "树叶"),
    ("bamboo", "竹子"),
    ("fish", "鱼"),
    ("meat", "肉"),
    ("insects", "昆虫"),
    ("shrimp", "虾"),
    ("seeds", "种子"),
    ("mice", "老鼠"),
)

OBJECT_SETS: dict[str, tuple[Term, ...]] = {
    "language": LANGUAGES,
    "occupation": OCCUPATIONS,
    "instrument": INSTRUMENTS,
    "product": PRODUCTS,
    "industry": INDUSTRIES,
    "use": USES,
    "sea": SEAS,
    "colour": COLOURS,
    "habitat": HABITATS,
    "diet": DIETS,
}
"""Object kinds drawn from a closed set (the other kinds are entities: city, country)."""


@dataclass(frozen=True)
class Animal:
    """A real animal with its real colour, habitat and diet (the book's 斑马 and 长颈鹿)."""

    name: Term
    colour: str
    habitat: str
    diet: str


ANIMALS: tuple[Animal, ...] = (
    Animal(Term("zebra", "斑马"), "black and white", "grasslands", "grass"),
    Animal(Term("giraffe", "长颈鹿"), "yellow and brown", "grasslands", "leaves"),
    Animal(Term("panda", "熊猫"), "black and white", "bamboo forests", "bamboo"),
    Animal(Term("polar bear", "北极熊"), "white", "ice fields", "fish"),
    Animal(Term("lion", "狮子"), "golden", "grasslands", "meat"),
    Animal(Term("elephant", "大象"), "grey", "grasslands", "grass"),
    Animal(Term("penguin", "企鹅"), "black and white", "ice fields", "fish"),
    Animal(Term("flamingo", "火烈鸟"), "pink", "lakes", "shrimp"),
    Animal(Term("tiger", "老虎"), "orange", "forests", "meat"),
    Animal(Term("camel", "骆驼"), "brown", "deserts", "leaves"),
    Animal(Term("koala", "考拉"), "grey", "forests", "leaves"),
    Animal(Term("swan", "天鹅"), "white", "lakes", "seeds"),
    Animal(Term("frog", "青蛙"), "green", "ponds", "insects"),
    Animal(Term("fox", "狐狸"), "red", "forests", "mice"),
    Animal(Term("dolphin", "海豚"), "grey", "oceans", "fish"),
    Animal(Term("owl", "猫头鹰"), "brown", "forests", "mice"),
    Animal(Term("parrot", "鹦鹉"), "green", "rainforests", "seeds"),
    Animal(Term("goat", "山羊"), "white", "mountains", "grass"),
)


def term_by_en(kind: str, en: str) -> Term:
    """The term of ``OBJECT_SETS[kind]`` whose English form is ``en``."""
    for term in OBJECT_SETS[kind]:
        if term.en == en:
            return term
    raise KeyError(f"{en!r} is not a {kind}")
