"""T-Patcher (book §5.3): a trained patch neuron writes the new fact, stays silent elsewhere,
and comes out again without a trace."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from model_builders import build_tiny_gpt2, build_tiny_neox

from workbench.base.errors import JobCancelled
from workbench.base.jobs import CancelToken
from workbench.core.editing.cases import fact_file_path, load_cases
from workbench.core.editing.params import EditRequest, TPatcherSettings
from workbench.core.editing.tpatcher import compute_patch, installed_patches
from workbench.core.editing.tpatcher_memory import (
    context_prefixes,
    demo_corpus_sentences,
    edit_rows,
    fact_statements,
    ffn_inputs,
    hard_negative_prompts,
)
from workbench.core.model.arch import adapter_for

SETTINGS = TPatcherSettings(steps=40, lr=0.05, memory_size=60)
EDIT = EditRequest(
    prompt="{} is located in the city of",
    subject="The Eiffel Tower",
    target_new=" city",
)
OTHER = EditRequest(prompt="{}'s mother tongue is", subject="Danielle Darrieux", target_new=" the")


@pytest.fixture(params=["gpt2", "gpt_neox"])
def model(request, tiny_tokenizer):
    if request.param == "gpt2":
        return build_tiny_gpt2(len(tiny_tokenizer))
    return build_tiny_neox(len(tiny_tokenizer))


def logits(model, tokenizer, text: str) -> torch.Tensor:
    with torch.no_grad():
        return model(torch.tensor([tokenizer(text)["input_ids"]])).logits[0]


def predicts(model, tokenizer, request: EditRequest) -> bool:
    """Every token of the new target is top-1 under teacher forcing."""
    prompt = tokenizer(request.rendered())["input_ids"]
    target = tokenizer(request.target_new, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        out = model(torch.tensor([prompt + target[:-1]])).logits[0, len(prompt) - 1 :]
    return out.argmax(-1).tolist() == target


def patch_for(model, tokenizer, request=EDIT, settings=SETTINGS):
    return compute_patch(
        model,
        tokenizer,
        adapter_for(model),
        request,
        settings,
        lambda *a: None,
        CancelToken(),
    )


def test_installed_patch_makes_the_model_predict_the_new_target(model, tiny_tokenizer):
    assert not predicts(model, tiny_tokenizer, EDIT)
    patch = patch_for(model, tiny_tokenizer)
    assert not predicts(model, tiny_tokenizer, EDIT)  # computing does not install
    patch.install(model, adapter_for(model))
    assert predicts(model, tiny_tokenizer, EDIT)


def test_patch_stays_below_the_memory_margin_on_most_memory_tokens(tiny_gpt2, tiny_tokenizer):
    patch = patch_for(tiny_gpt2, tiny_tokenizer)
    adapter = adapter_for(tiny_gpt2)
    silent = total = 0
    for sentence in (demo_corpus_sentences() + fact_statements(str(fact_file_path("demo"))))[::40]:
        ids = torch.tensor([tiny_tokenizer(sentence)["input_ids"][:48]])
        x = ffn_inputs(tiny_gpt2, adapter, patch.layer, ids, torch.ones_like(ids))[0]
        pre = x @ patch.key + patch.bias
        silent += int((pre < SETTINGS.memory_margin).sum())
        total += pre.numel()
    ids = torch.tensor([tiny_tokenizer(EDIT.rendered())["input_ids"]])
    x_edit = ffn_inputs(tiny_gpt2, adapter, patch.layer, ids, torch.ones_like(ids))[0, -1]
    assert float(x_edit @ patch.key + patch.bias) > SETTINGS.activation_margin - 1e-3
    assert silent / total > 0.9


def test_uninstalling_restores_the_logits_bit_for_bit(model, tiny_tokenizer):
    adapter = adapter_for(model)
    before = logits(model, tiny_tokenizer, EDIT.rendered())
    patch = patch_for(model, tiny_tokenizer)
    patch.install(model, adapter)
    patch.install(model, adapter)  # idempotent
    assert len(installed_patches(model)[patch.layer]) == 1
    assert not torch.equal(logits(model, tiny_tokenizer, EDIT.rendered()), before)
    patch.uninstall(model, adapter)
    assert torch.equal(logits(model, tiny_tokenizer, EDIT.rendered()), before)
    assert installed_patches(model) == {}
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


def test_two_sequential_patches_in_one_layer_both_work_and_each_can_be_removed(tiny_gpt2, tiny_tokenizer):
    adapter = adapter_for(tiny_gpt2)
    first = patch_for(tiny_gpt2, tiny_tokenizer, EDIT)
    first.install(tiny_gpt2, adapter)
    second = patch_for(tiny_gpt2, tiny_tokenizer, OTHER)  # trained on the model carrying the first
    alone_second = logits(tiny_gpt2, tiny_tokenizer, OTHER.rendered())
    second.install(tiny_gpt2, adapter)
    assert first.layer == second.layer
    assert predicts(tiny_gpt2, tiny_tokenizer, EDIT) and predicts(tiny_gpt2, tiny_tokenizer, OTHER)
    first.uninstall(tiny_gpt2, adapter)
    assert predicts(tiny_gpt2, tiny_tokenizer, OTHER)
    assert installed_patches(tiny_gpt2) == {second.layer: [second]}
    second.uninstall(tiny_gpt2, adapter)
    first.install(tiny_gpt2, adapter)
    assert torch.equal(logits(tiny_gpt2, tiny_tokenizer, OTHER.rendered()), alone_second)


def test_training_leaves_base_weights_and_requires_grad_as_they_were(tiny_gpt2, tiny_tokenizer):
    tiny_gpt2.transformer.wte.weight.requires_grad_(False)
    state = {name: p.detach().clone() for name, p in tiny_gpt2.named_parameters()}
    flags = {name: p.requires_grad for name, p in tiny_gpt2.named_parameters()}
    patch = patch_for(tiny_gpt2, tiny_tokenizer)
    assert patch.value.abs().sum() > 0
    for name, p in tiny_gpt2.named_parameters():
        assert torch.equal(p, state[name]), name
        assert p.requires_grad == flags[name], name
        assert p.grad is None, name


def test_cancel_during_training_leaves_the_model_unchanged(tiny_gpt2, tiny_tokenizer):
    before = logits(tiny_gpt2, tiny_tokenizer, EDIT.rendered())
    cancel = CancelToken()

    def progress(fraction, message="", partial=None):
        if fraction > 0.2:
            cancel.cancel()

    with pytest.raises(JobCancelled):
        compute_patch(
            tiny_gpt2,
            tiny_tokenizer,
            adapter_for(tiny_gpt2),
            EDIT,
            SETTINGS,
            progress,
            cancel,
        )
    assert installed_patches(tiny_gpt2) == {}
    assert all(p.requires_grad for p in tiny_gpt2.parameters())
    assert torch.equal(logits(tiny_gpt2, tiny_tokenizer, EDIT.rendered()), before)


def test_hard_negatives_ask_the_edit_question_about_other_subjects_never_the_held_out_prompts():
    cases = load_cases()
    case = cases[0]
    request, held_out = case.request, case.neighborhood_prompts
    negatives = hard_negative_prompts(str(fact_file_path("demo")), request, held_out)
    same_question = {
        c.request.rendered()
        for c in cases
        if c.request.prompt == request.prompt and c.request.subject != request.subject
    }
    same_subject = {
        c.request.rendered()
        for c in cases
        if c.request.subject == request.subject and c.request.prompt != request.prompt
    }
    assert same_question - set(held_out) <= set(negatives)
    assert same_subject <= set(negatives)
    assert not any(n.startswith(held_out) for n in negatives)
    assert request.rendered() not in negatives
    answer = request.target_true.strip()
    leading_to_answer = [s for s in demo_corpus_sentences() if answer in s and request.subject not in s]
    assert leading_to_answer
    assert all(
        s[: s.index(answer)].rstrip() in negatives
        for s in leading_to_answer
        if not s.startswith(held_out) and s.index(answer) > 0
    )


def test_a_prompt_typed_with_its_subject_has_the_hard_negatives_of_its_template() -> None:
    """The GUI's prompt box holds "The zebra lives in", not "The {} lives in": that prompt used
    to miss its own question, so the edit prompt itself (and "Zebras live in", a sentence about
    the subject in another case) became hard negatives, and every such T-Patcher edit failed."""
    facts = str(fact_file_path("demo"))
    typed = EditRequest(prompt="The zebra lives in", subject="zebra", target_new=" deserts", target_true=" grasslands")
    template = replace(typed, prompt="The {} lives in")
    negatives = hard_negative_prompts(facts, typed)
    assert negatives == hard_negative_prompts(facts, template)
    assert "The giraffe lives in" in negatives  # the same question about another subject
    assert typed.rendered() not in negatives
    assert not [n for n in negatives if "zebra" in n.casefold() and " liv" in n]  # "Zebras live in"
    assert "The zebra eats" in negatives  # the subject's other questions stay


def test_patch_stays_silent_on_the_hard_negatives(tiny_gpt2, tiny_tokenizer):
    case = load_cases()[0]
    patch = patch_for(tiny_gpt2, tiny_tokenizer, case.request)
    adapter = adapter_for(tiny_gpt2)
    negatives = hard_negative_prompts(str(fact_file_path("demo")), case.request, case.neighborhood_prompts)
    silent = 0
    for prompt in negatives:
        ids = torch.tensor([tiny_tokenizer(prompt)["input_ids"][:48]])
        x = ffn_inputs(tiny_gpt2, adapter, patch.layer, ids, torch.ones_like(ids))[0, -1]
        silent += int(float(x @ patch.key + patch.bias) < SETTINGS.memory_margin)
    assert patch.details["hard_negatives"] == len(negatives)
    assert silent / len(negatives) > 0.9


def test_edit_rows_put_the_prompt_behind_each_prefix_and_label_every_target_token(
    tiny_tokenizer,
):
    prefixes = context_prefixes(EDIT, 3, seed=0)
    assert len(prefixes) == 3 and all(EDIT.subject not in p for p in prefixes)
    rows = edit_rows(tiny_tokenizer, EDIT, prefixes, torch.device("cpu"))
    target = tiny_tokenizer(EDIT.target_new, add_special_tokens=False)["input_ids"]
    prompt = tiny_tokenizer(EDIT.rendered())["input_ids"]
    assert rows.ids[0, : len(prompt)].tolist() == prompt
    assert rows.labels.tolist() == target * 4
    for row in range(4):
        last = int(rows.last_prompt_token[row])
        text = tiny_tokenizer.decode(rows.ids[row, : last + 1])
        assert text.endswith(EDIT.rendered())
        positions = rows.answer_positions[rows.answer_rows == row].tolist()
        assert positions == list(range(last, last + len(target)))
        assert rows.ids[row, last + 1 : last + len(target)].tolist() == target[:-1]
        assert int(rows.mask[row].sum()) == last + len(target)


def test_the_bundled_lessons_t_patcher_edits_take_on_the_demo_model() -> None:
    """Chapter 5's lesson patches "The zebra lives in" / "斑马生活在" as a person types them;
    both edits failed (the edit prompt was among the hard negatives) in front of the class."""
    from workbench.base.jobs import JobContext, Progress, run_job
    from workbench.base.paths import DEMO_MODEL_DIR
    from workbench.core.editing import jobs  # noqa: F401  (registers the edit job)
    from workbench.core.editing.params import EditParams
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    for prompt, subject, new, true in (
        ("The zebra lives in", "zebra", " deserts", " grasslands"),
        ("斑马生活在", "斑马", "沙漠", "草原"),
    ):
        ctx = JobContext(model=ModelSession.load(ModelSpec(source="folder", name=str(DEMO_MODEL_DIR))))
        request = EditRequest(prompt=prompt, subject=subject, target_new=new, target_true=true)
        result = run_job(EditParams(method="tpatcher", request=request), ctx, Progress(), CancelToken())
        assert result.metrics.accuracy == 1.0, (prompt, result.details)
