"""Perplexity and surprisal against the model's own loss; BLEU and ROUGE against worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from workbench.base.errors import InvalidParameters
from workbench.cli import main
from workbench.core.text_metrics import (
    bleu,
    longest_common_subsequence,
    perplexity,
    rouge_l,
    rouge_n,
    text_units,
)

TEXT = "Once upon a time a giraffe lived near the river and told stories to the zebras. 长颈鹿住在河边。"


# -- perplexity -----------------------------------------------------------------------------


def test_perplexity_is_exp_of_the_models_own_mean_loss(tiny_gpt2, tiny_tokenizer) -> None:
    result = perplexity(tiny_gpt2, tiny_tokenizer, TEXT)
    ids = torch.tensor([result.token_ids.tolist()])
    with torch.inference_mode():
        loss = tiny_gpt2(ids, labels=ids).loss
    assert result.perplexity == pytest.approx(math.exp(float(loss)), rel=1e-5)
    assert np.isnan(result.nll[0]) and not np.isnan(result.nll[1:]).any()
    np.testing.assert_allclose(result.surprisal_bits[1:], result.nll[1:] / math.log(2))


def test_each_tokens_surprisal_is_its_negative_log_probability(tiny_gpt2, tiny_tokenizer) -> None:
    result = perplexity(tiny_gpt2, tiny_tokenizer, TEXT)
    ids = torch.tensor([result.token_ids.tolist()])
    with torch.inference_mode():
        log_probs = tiny_gpt2(ids).logits[0].log_softmax(-1)
    for t in (1, 7, len(result.token_ids) - 1):
        assert result.nll[t] == pytest.approx(-float(log_probs[t - 1, ids[0, t]]), abs=1e-5)


@pytest.mark.parametrize(("window", "stride"), [(8, 4), (8, 3), (10, 1)])
def test_a_sliding_window_scores_every_token_once_with_at_least_window_minus_stride_context(
    tiny_gpt2, tiny_tokenizer, window, stride
) -> None:
    result = perplexity(tiny_gpt2, tiny_tokenizer, TEXT, window=window, stride=stride)
    ids = result.token_ids.tolist()
    assert len(ids) > 3 * window and not np.isnan(result.nll[1:]).any()
    # Recompute each token by brute force with the context the strided scheme gives it.
    for t in range(1, len(ids)):
        start = next(s for s in range(0, len(ids), stride) if s + window > t)  # first window holding t
        context = torch.tensor([ids[start : t + 1]])
        with torch.inference_mode():
            log_probs = tiny_gpt2(context).logits[0, -2].log_softmax(-1)
        assert t - start >= min(t, window - stride)
        assert result.nll[t] == pytest.approx(-float(log_probs[ids[t]]), abs=1e-4), t
    full = perplexity(tiny_gpt2, tiny_tokenizer, TEXT)
    assert result.perplexity != pytest.approx(full.perplexity, rel=1e-6)  # less context, other numbers


def test_perplexity_refuses_empty_text(tiny_gpt2, tiny_tokenizer) -> None:
    with pytest.raises(InvalidParameters, match="empty"):
        perplexity(tiny_gpt2, tiny_tokenizer, "   ")


def test_cli_perplexity_prints_the_same_number(capsys, tiny_model_dir, tiny_tokenizer) -> None:
    import json

    from transformers import AutoModelForCausalLM

    assert main(["perplexity", "--model", str(tiny_model_dir), "--text", TEXT, "--json", "--quiet"]) == 0
    printed = json.loads(capsys.readouterr().out, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert printed["nll"][0] is None and len(printed["nll"]) == len(printed["token_ids"])
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    assert printed["perplexity"] == pytest.approx(perplexity(model, tiny_tokenizer, TEXT).perplexity, rel=1e-6)


# -- units ----------------------------------------------------------------------------------


def test_text_units_split_words_punctuation_and_single_cjk_characters() -> None:
    assert text_units("The cat, 长颈鹿住在河边。OK") == [
        "the",
        "cat",
        ",",
        "长",
        "颈",
        "鹿",
        "住",
        "在",
        "河",
        "边",
        "。",
        "ok",
    ]
    assert text_units("The Cat", lowercase=False) == ["The", "Cat"]


# -- BLEU -----------------------------------------------------------------------------------


def test_bleu_worked_example_with_exponential_smoothing() -> None:
    """p1 = 5/6, p2 = 3/5, p3 = 1/4, p4 = 0 → 1/(2·3); BP = 1; BLEU = (5/6·3/5·1/4·1/6)^(1/4) = (1/48)^(1/4)."""
    score = bleu("the cat sat on the mat", "the cat is on the mat")
    assert score.precisions == pytest.approx((5 / 6, 3 / 5, 1 / 4, 1 / 6))
    assert score.brevity_penalty == 1.0
    assert score.score == pytest.approx((1 / 48) ** 0.25)


def test_bleu_worked_example_with_add_one_smoothing_and_without_smoothing() -> None:
    add1 = bleu("the cat sat on the mat", "the cat is on the mat", smoothing="add1")
    assert add1.precisions == pytest.approx((5 / 6, 4 / 6, 2 / 5, 1 / 4))
    assert add1.score == pytest.approx((1 / 18) ** 0.25)
    assert bleu("the cat sat on the mat", "the cat is on the mat", smoothing="none").score == 0.0


def test_bleu_clips_repeated_words_papinenis_example() -> None:
    """'the the the the the the the' against 'the cat is on the mat': modified unigram precision 2/7."""
    score = bleu("the the the the the the the", "the cat is on the mat", max_n=1)
    assert score.precisions == pytest.approx((2 / 7,))


def test_bleu_brevity_penalty_and_the_closest_reference() -> None:
    short = bleu("the cat", ["the cat is on the mat", "a cat is on a mat today"])
    assert short.reference_length == 6
    assert short.brevity_penalty == pytest.approx(math.exp(1 - 6 / 2))
    assert short.precisions == pytest.approx((1.0, 1.0))  # 3- and 4-grams do not exist in 2 words
    assert short.score == pytest.approx(math.exp(-2))


def test_bleu_on_chinese_counts_characters() -> None:
    score = bleu("长颈鹿住在河边", "长颈鹿住在森林里", max_n=2, smoothing="none")
    assert score.precisions == pytest.approx((5 / 7, 4 / 6))
    assert score.brevity_penalty == pytest.approx(math.exp(1 - 8 / 7))


# -- ROUGE ----------------------------------------------------------------------------------


def test_rouge_n_counts_overlapping_ngrams() -> None:
    one = rouge_n("the cat sat on the mat", "the cat is on the mat", 1)
    assert (one.precision, one.recall, one.f1) == pytest.approx((5 / 6, 5 / 6, 5 / 6))
    two = rouge_n("the cat sat on the mat", "the cat is on the mat today", 2)
    assert (two.precision, two.recall) == pytest.approx((3 / 5, 3 / 6))
    assert two.f1 == pytest.approx(2 * 0.6 * 0.5 / 1.1)


def test_rouge_l_uses_the_longest_common_subsequence_lins_examples() -> None:
    """Lin (2004): against 'police killed the gunman', 'police kill the gunman' has LCS 3,
    'the gunman kill police' only 2 — ROUGE-L tells them apart where ROUGE-2 cannot."""
    reference = "police killed the gunman"
    first = rouge_l("police kill the gunman", reference)
    second = rouge_l("the gunman kill police", reference)
    assert first.f1 == pytest.approx(3 / 4)
    assert second.f1 == pytest.approx(2 / 4)
    assert rouge_n("police kill the gunman", reference, 2).f1 == rouge_n("the gunman kill police", reference, 2).f1


def test_rouge_on_chinese_and_the_lcs_itself() -> None:
    assert rouge_l("长颈鹿住在河边", "长颈鹿住在森林").f1 == pytest.approx(5 / 7)
    assert longest_common_subsequence(list("ABCBDAB"), list("BDCABA")) == 4  # CLRS's example
    assert rouge_n("", "the cat", 1).f1 == 0.0
