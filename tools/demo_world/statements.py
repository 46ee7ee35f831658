"""How a fact is written down: prompts, full sentences and questions, in either language.

One place decides spacing and punctuation, so the training text, the encyclopedia, the
CounterFact-style records and the evaluation all agree on what follows what: an English
object after a space (``… is French.``), a Chinese object straight after the last character
(``…的母语是法语。``).
"""

from __future__ import annotations

from tools.demo_world.world import Fact, World


def fill(template: str, world: World, subject_id: str, language: str) -> str:
    """A template with the subject's name in its slot."""
    return template.format(world.entity(subject_id).display(language))


def sentence_parts(fact: Fact, world: World, language: str, template: str) -> tuple[str, str, str]:
    """The fact stated with ``template`` as (prompt, object continuation, ending)."""
    stop = "." if language == "en" else "。"
    return (
        fill(template, world, fact.subject_id, language),
        fact.target(language),
        fact.relation.suffix(language) + stop,
    )


def sentence(fact: Fact, world: World, language: str, template: str) -> str:
    """The fact stated in full with ``template`` (prompt, object, relation suffix, full stop)."""
    return "".join(sentence_parts(fact, world, language, template))


def question(fact: Fact, world: World, language: str, index: int = 0) -> str:
    """A question whose answer is the fact's object (reading-comprehension and fine-tuning)."""
    questions = fact.relation.questions(language)
    return fill(questions[index % len(questions)], world, fact.subject_id, language)


def answer(fact: Fact, language: str) -> str:
    """The object as an answer is written: no leading space, as it appears in a document."""
    return fact.object.en if language == "en" else fact.object.zh
