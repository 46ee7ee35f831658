"""Short stories and descriptive paragraphs from a small bilingual grammar.

The sampling panel needs text where decoding strategies visibly differ (book §5.1): the
grammar has a handful of likely continuations at each step, so greedy decoding settles on
the likeliest and repeats it, top-k / top-p pick among the plausible ones, and a high
temperature mixes in unlikely tokens and rambles.  The openings include the book's own
example (从前，有一只长颈鹿…).
"""

from __future__ import annotations

import random

from tools.demo_world.vocabulary import Term

_CAST: tuple[tuple[str, str, str], ...] = (
    # English, Chinese, Chinese measure word
    ("giraffe", "长颈鹿", "只"),
    ("zebra", "斑马", "匹"),
    ("fox", "狐狸", "只"),
    ("rabbit", "兔子", "只"),
    ("bear", "熊", "头"),
    ("owl", "猫头鹰", "只"),
    ("turtle", "乌龟", "只"),
    ("mouse", "老鼠", "只"),
    ("panda", "熊猫", "只"),
    ("cat", "猫", "只"),
    ("dog", "狗", "条"),
    ("duck", "鸭子", "只"),
    ("horse", "马", "匹"),
    ("elephant", "大象", "头"),
    ("frog", "青蛙", "只"),
    ("goat", "山羊", "只"),
    ("lion", "狮子", "头"),
    ("penguin", "企鹅", "只"),
)
_ADJECTIVES = (
    ("little", "小"),
    ("brave", "勇敢的"),
    ("curious", "好奇的"),
    ("sleepy", "爱睡觉的"),
    ("clever", "聪明的"),
    ("shy", "害羞的"),
    ("kind", "善良的"),
    ("young", "年轻的"),
    ("tall", "高高的"),
    ("lonely", "孤独的"),
    ("happy", "快乐的"),
    ("gentle", "温柔的"),
)
_PLACES = (
    ("near the river", "河边"),
    ("in a quiet forest", "一片安静的森林里"),
    ("on a green hill", "一座绿色的山坡上"),
    ("by the sea", "海边"),
    ("in a small village", "一个小村庄里"),
    ("under a big tree", "一棵大树下"),
    ("in the city of {city}", "{city}城里"),
    ("at the edge of the grasslands", "草原的边上"),
)
_OPENINGS = (
    ("Once upon a time, {a} lived {place}.", "从前，有一{a}住在{place}。"),
    ("Long ago, {a} lived {place}.", "很久很久以前，有一{a}住在{place}。"),
    ("There was once {a} who lived {place}.", "在{place}，住着一{a}。"),
)
_HABITS = (
    ("Every morning, the {animal} {activity}.", "每天早上，{animal}都会{activity}。"),
    ("Every evening, the {animal} {activity}.", "每天晚上，{animal}都会{activity}。"),
    ("On sunny days, the {animal} {activity}.", "天气晴朗的时候，{animal}总是{activity}。"),
)
_ACTIVITIES = (
    ("walked to the river to drink water", "走到河边喝水"),
    ("sang a song to the birds", "给小鸟唱歌"),
    ("looked for sweet leaves", "寻找甜甜的树叶"),
    ("counted the clouds in the sky", "数天上的云"),
    ("played with its friends", "和朋友们一起玩耍"),
    ("read an old book under a tree", "在树下读一本旧书"),
    ("watched the boats on the water", "看水上的小船"),
    ("collected shiny stones", "收集闪亮的石头"),
    ("danced in the tall grass", "在高高的草丛里跳舞"),
    ("told stories to the little ones", "给小家伙们讲故事"),
)
_TRANSITIONS = (
    ("One day, ", "有一天，"),
    ("Suddenly, ", "突然，"),
    ("Later that week, ", "过了几天，"),
    ("Then ", "后来，"),
)
_EVENTS = (
    ("a strong wind blew across the land", "一阵大风吹过大地"),
    ("it met {a2}", "它遇到了一{a2}"),
    ("it found a mysterious box", "它发现了一个神秘的盒子"),
    ("the river began to rise", "河水开始上涨"),
    ("a storm came from the mountains", "山那边来了一场暴风雨"),
    ("it lost its way in the dark", "它在黑暗中迷了路"),
    ("a traveller from {city} arrived with a map", "一位来自{city}的旅行者带着一张地图来了"),
    ("the moon turned bright red", "月亮变成了鲜红色"),
    ("all the apples fell from the tree", "树上的苹果全都掉了下来"),
    ("a little bird asked for help", "一只小鸟向它求助"),
)
_REACTIONS = (
    ("The {animal} was very surprised.", "{animal}非常惊讶。"),
    ("The {animal} felt a little afraid.", "{animal}有点害怕。"),
    ("The {animal} laughed happily.", "{animal}开心地笑了。"),
    ("The {animal} decided to help.", "{animal}决定去帮忙。"),
    ("The {animal} thought for a long time.", "{animal}想了很久。"),
    ("The {animal} ran as fast as it could.", "{animal}拼命地跑。"),
    ('"Let us go together," said the {animal}.', "“我们一起去吧，”{animal}说。"),
    ('"I am not afraid," said the {animal}.', "“我不害怕，”{animal}说。"),
    ('"What a beautiful day," said the {animal}.', "“多么美好的一天啊，”{animal}说。"),
    ('"Where are you going?" asked the {animal}.', "“你要去哪里？”{animal}问。"),
    ('"Thank you, my friend," said the {animal}.', "“谢谢你，我的朋友，”{animal}说。"),
)
_ENDINGS = (
    ("From that day on, the two were good friends.", "从那天起，它们成了好朋友。"),
    ("In the end, everyone went home happy.", "最后，大家都开开心心地回家了。"),
    ("And so the {animal} learned to be brave.", "就这样，{animal}学会了勇敢。"),
    ("The next morning, the sun was shining again.", "第二天早上，太阳又出来了。"),
    ("Since then, the {animal} has never been lonely.", "从此以后，{animal}再也不孤单了。"),
    ("That night, the {animal} slept peacefully.", "那天晚上，{animal}睡得很香。"),
)
_CITY_SCENES = (
    ("{city} wakes up early.", "{city}醒得很早。"),
    ("The streets of {city} are narrow and full of small shops.", "{city}的街道很窄，到处都是小商店。"),
    ("In winter, snow covers the roofs of {city}.", "冬天，白雪盖满了{city}的屋顶。"),
    ("Old bridges cross the canals of {city}.", "古老的桥横跨{city}的运河。"),
    ("On market days, farmers bring fruit and bread to {city}.", "赶集的日子，农民们把水果和面包带到{city}。"),
    ("At night, the lights of {city} shine over the water.", "夜里，{city}的灯光照在水面上。"),
    ("Children in {city} play football in the squares.", "{city}的孩子们在广场上踢足球。"),
    ("The old library of {city} is quiet in the afternoon.", "下午，{city}的老图书馆很安静。"),
)


def _with_article(words: str) -> str:
    return ("an " if words[0] in "aeiou" else "a ") + words


def _character(rng: random.Random, language: str) -> dict[str, str]:
    """A story character: its name and its indefinite phrase (``a brave fox`` / ``只勇敢的狐狸``)."""
    english, chinese, measure = rng.choice(_CAST)
    adjective_en, adjective_zh = rng.choice(_ADJECTIVES) if rng.random() < 0.7 else ("", "")
    if language == "en":
        return {"name": english, "phrase": _with_article(f"{adjective_en} {english}".strip())}
    return {"name": chinese, "phrase": f"{measure}{adjective_zh}{chinese}"}


def story(rng: random.Random, language: str, cities: list[Term]) -> str:
    """A short fable: opening, habits, one to three events with reactions, an ending."""
    pick = 0 if language == "en" else 1
    city = rng.choice(cities)
    city_name = city.en if language == "en" else city.zh
    hero = _character(rng, language)
    animal = hero["name"]
    place = rng.choice(_PLACES)[pick].format(city=city_name)
    sentences = [rng.choice(_OPENINGS)[pick].format(a=hero["phrase"], place=place)]
    sentences.extend(
        habit[pick].format(animal=animal, activity=rng.choice(_ACTIVITIES)[pick])
        for habit in rng.sample(_HABITS, rng.randint(1, 2))
    )
    count = rng.randint(1, 3)
    for event, reaction in zip(rng.sample(_EVENTS, count), rng.sample(_REACTIONS, count)):
        text = event[pick].format(a2=_character(rng, language)["phrase"], city=city_name)
        sentences.append(rng.choice(_TRANSITIONS)[pick] + text + ("." if language == "en" else "。"))
        sentences.append(reaction[pick].format(animal=animal))
    sentences.append(rng.choice(_ENDINGS)[pick].format(animal=animal))
    return (" " if language == "en" else "").join(sentences)


def city_description(rng: random.Random, language: str, city: Term) -> str:
    """A descriptive paragraph about a city that states no relation fact (only scenery)."""
    pick = 0 if language == "en" else 1
    name = city.en if language == "en" else city.zh
    scenes = rng.sample(_CITY_SCENES, rng.randint(2, 4))
    return (" " if language == "en" else "").join(scene[pick].format(city=name) for scene in scenes)
