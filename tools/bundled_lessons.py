"""Write the bundled lessons (``workbench/resources/lessons/chN_{zh,en}.wblesson``).

Chapters 1, 4, 5 and 6 of the book (《大语言模型基础》, ``shared/corpus``), in Chinese and
English: the same live steps on the demo model, with the facts of the demo world in each
language and notes in the book's words, citing its sections.  The parameters are built as
the labs' own dataclasses, so a renamed or removed field fails here, not in front of a room.

    python tools/bundled_lessons.py
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from workbench.base.paths import DEMO_MODEL_DIR
from workbench.core.editing.params import EditParams, EditRequest
from workbench.core.finetune.params import DEMO_DATA, DataConfig, FinetuneParams, MethodConfig, TrainConfig
from workbench.core.rag.params import CompareRetrieversParams
from workbench.core.sampling.params import SamplingParams
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.subject import subject_tokens
from workbench.store.bundled_lessons import BUNDLED_LESSONS_DIR
from workbench.store.codec import to_plain_json
from workbench.store.lesson_file import FORMAT, SUFFIX, VERSION

LABS = {SamplingParams: "sampling", TraceParams: "tracing", EditParams: "editing", FinetuneParams: "finetune",
        CompareRetrieversParams: "rag"}  # fmt: skip
DEMO_COLLECTION = "demo-encyclopedia"  # the RAG lab's "Add the demo encyclopedia" collection
SEVERING_TAB, BEAM_TAB, EVALUATE_TAB = ("tracing", 3), ("sampling", 1), ("sampling", 3)
ADAPTERS_TAB, ASK_TAB = ("finetune", 3), ("rag", 3)
"""(lab, tab index): a step may show a tab only of the lab its action runs in."""


@dataclass(frozen=True)
class Step:
    title: str
    notes: str
    params: Any
    tab: tuple[str, int] | None = None
    """The tab of the lab's views to show (None: the one the action shows)."""

    def view(self) -> dict[str, Any] | None:
        if self.tab is None:
            return None
        lab, index = self.tab
        if lab != LABS[type(self.params)]:
            raise ValueError(f"Step {self.title!r} runs in the {LABS[type(self.params)]} lab but shows a {lab} tab.")
        view: dict[str, Any] = {"lab": lab, "tabs": [index]}
        if isinstance(self.params, TraceParams) and self.tab == SEVERING_TAB:
            view["severed"] = _last_subject_token(self.params)  # the step severs there (ROME's choice)
        if self.tab == EVALUATE_TAB:  # the perplexity of the text the step has just generated
            view["evaluate"] = {"use_generation": True, "reference": "", "perplexity": True}
        if self.tab == ASK_TAB:  # the step's question answered with and without retrieval
            view["ask"] = {"question": self.params.query, "k": 1, "retriever": "hybrid"}
        return view


def _last_subject_token(params: TraceParams) -> int:
    """The index of the subject's last token in ``params.prompt`` for the demo model's tokenizer."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(DEMO_MODEL_DIR)
    offsets = tokenizer(params.prompt, return_offsets_mapping=True)["offset_mapping"]
    return subject_tokens(params.prompt, params.subject, offsets)[1] - 1


def _document(title: str, steps: list[Step]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "lesson": {"title": title, "created_at": None},
        "runs": [],
        "steps": [
            {
                "title": step.title,
                "notes": step.notes.strip(),
                "kind": "live",
                "run": None,
                "live": {"lab": LABS[type(step.params)], "params": to_plain_json(step.params)},
                "view": step.view(),
            }
            for step in steps
        ],
    }


# --------------------------------------------------------------------------- chapter 1


def chapter_1(zh: bool) -> tuple[str, list[Step]]:
    prompt = "斑马生活在" if zh else "The zebra lives in"
    greedy = SamplingParams(prompt=prompt, strategy="greedy", max_new_tokens=12)
    sample = SamplingParams(prompt=prompt, strategy="sample", max_new_tokens=12, seed=1)
    if zh:
        return "第 1 章 语言模型基础：解码与评测", [
            Step(
                "贪心搜索",
                """
**§1.4.1 概率最大化方法。** 贪心搜索在每轮预测中都选择概率最大的词。

贪心搜索只顾“眼前利益”，忽略了“远期效益”：当前概率大的词有可能导致后续的词概率都很小，容易陷入局部最优。
点开任一步，看候选词及其概率。""",
                greedy,
            ),
            Step(
                "束搜索",
                """
**§1.4.1 波束搜索。** 波束搜索在每轮预测中都先保留 b 个可能性最高的词，
再在下一轮中从这些路径出发继续扩展，最后选出整体概率最高的序列。

右侧“束搜索树”展示每一轮被保留与被剪掉的路径。""",
                SamplingParams(prompt=prompt, strategy="beam", num_beams=4, max_new_tokens=12),
                BEAM_TAB,
            ),
            Step(
                "Top-K 采样",
                """
**§1.4.2 随机采样方法。** 为了增加生成文本的多样性，随机采样的方法在预测时增加了随机性。

Top-K 采样在每轮预测中都选取 K 个概率最高的词作为候选词集合，对其概率用 softmax 归一化后再采样。
这里 K = 5：换一个随机种子，结果就会不同。""",
                SamplingParams(prompt=prompt, strategy="sample", top_k=5, max_new_tokens=12, seed=1),
            ),
            Step(
                "Top-P 采样",
                """
**§1.4.2 Top-P 采样（Nucleus 采样）。** 为了解决固定候选集所带来的问题，Top-P 采样设定阈值 p 来对候选集进行选取：
累计概率达到 p 的最少的词构成候选集。

它可以避免选到概率较小、不符合常理的词，从而减少“胡言乱语”。这里 p = 0.9。""",
                SamplingParams(prompt=prompt, strategy="sample", top_k=0, top_p=0.9, max_new_tokens=12, seed=1),
            ),
            Step(
                "Temperature：高温",
                """
**§1.4.2 Temperature 机制。** Top-K 与 Top-P 的随机性由模型输出的概率决定，不可自由调整；
引入温度 T 后，先将 logits 除以 T 再做 softmax。

T > 1 时分布变得平坦，生成更多样也更容易出错。这里 T = 1.5。""",
                SamplingParams(
                    prompt=prompt, strategy="sample", temperature=1.5, top_p=0.9, top_k=0, max_new_tokens=12, seed=1
                ),
            ),
            Step(
                "Temperature：低温",
                """
**§1.4.2** T < 1 时分布变得尖锐，高概率词更占优势，生成结果接近贪心搜索。这里 T = 0.3。

对比上一步：同一个随机种子，温度不同，结果差别有多大？""",
                SamplingParams(
                    prompt=prompt, strategy="sample", temperature=0.3, top_p=0.9, top_k=0, max_new_tokens=12, seed=1
                ),
            ),
            Step(
                "困惑度",
                """
**§1.5.1 内在评测。** 最为常用的内在评测指标是困惑度 (Perplexity)，它度量了语言模型对测试文本感到“困惑”的程度：

PPL(s) = P(w₁…w_N)^(−1/N)

在“评估”页，把刚才的生成结果送去计算困惑度，再换一句模型没见过的话比较。""",
                sample,
                EVALUATE_TAB,
            ),
        ]
    return "Chapter 1 — Language models: decoding and evaluation", [
        Step(
            "Greedy search",
            """
**§1.4.1 Maximising probability.** Greedy search picks the most probable word at every step.

It looks only at the immediate gain and ignores the long-term one: a probable word now may
make every later word improbable, so greedy search easily ends in a local optimum.
Click any step to see the candidates and their probabilities.""",
            greedy,
        ),
        Step(
            "Beam search",
            """
**§1.4.1 Beam search.** At every step beam search keeps the b most probable continuations,
extends each at the next step, and finally returns the sequence with the highest total probability.

The beam search tree shows the paths kept and pruned at every step.""",
            SamplingParams(prompt=prompt, strategy="beam", num_beams=4, max_new_tokens=12),
            BEAM_TAB,
        ),
        Step(
            "Top-K sampling",
            """
**§1.4.2 Random sampling.** To make generated text more diverse, sampling adds randomness to prediction.

Top-K sampling takes the K most probable words as the candidates at each step, renormalises
their probabilities with softmax and samples. Here K = 5: change the seed and the text changes.""",
            SamplingParams(prompt=prompt, strategy="sample", top_k=5, max_new_tokens=12, seed=1),
        ),
        Step(
            "Top-P sampling",
            """
**§1.4.2 Top-P (nucleus) sampling.** To avoid a fixed candidate set, Top-P sampling sets a
threshold p: the fewest words whose probabilities add up to p are the candidates.

It avoids improbable, nonsensical words and so reduces "gibberish". Here p = 0.9.""",
            SamplingParams(prompt=prompt, strategy="sample", top_k=0, top_p=0.9, max_new_tokens=12, seed=1),
        ),
        Step(
            "Temperature: hot",
            """
**§1.4.2 Temperature.** The randomness of Top-K and Top-P is fixed by the model's probabilities;
a temperature T divides the logits before softmax.

With T > 1 the distribution flattens: more diverse text, and more mistakes. Here T = 1.5.""",
            SamplingParams(
                prompt=prompt, strategy="sample", temperature=1.5, top_p=0.9, top_k=0, max_new_tokens=12, seed=1
            ),
        ),
        Step(
            "Temperature: cold",
            """
**§1.4.2** With T < 1 the distribution sharpens and the probable words dominate; the text comes close to greedy search. Here T = 0.3.

Compare with the last step: the same seed, another temperature.""",
            SamplingParams(
                prompt=prompt, strategy="sample", temperature=0.3, top_p=0.9, top_k=0, max_new_tokens=12, seed=1
            ),
        ),
        Step(
            "Perplexity",
            """
**§1.5.1 Intrinsic evaluation.** The most common intrinsic metric is perplexity, how "perplexed"
the model is by a test text:

PPL(s) = P(w₁…w_N)^(−1/N)

On the Evaluate tab, send the generation to perplexity, then compare with a sentence the model never saw.""",
            sample,
            EVALUATE_TAB,
        ),
    ]


# --------------------------------------------------------------------------- chapter 4


def chapter_4(zh: bool) -> tuple[str, list[Step]]:
    question = "问：尼罗从小说哪种语言？\n答：" if zh else "Q: What is Helperri famous for?\nA:"
    ask = SamplingParams(prompt=question, strategy="greedy", max_new_tokens=10)
    data = DataConfig(source=DEMO_DATA)
    train = TrainConfig(epochs=3.0, max_steps=60, batch_size=8, eval_every=20, patience=0)

    def tune(method: str, **settings: Any) -> FinetuneParams:
        return FinetuneParams(method=MethodConfig(method=method, **settings), data=data, train=train)  # type: ignore[arg-type]

    if zh:
        return "第 4 章 参数高效微调", [
            Step(
                "微调之前",
                """
**§4.1.1 下游任务适配。** 先问演示模型一个演示世界里的问题：它还不会用“答案是……”的格式回答。""",
                ask,
            ),
            Step(
                "LoRA",
                """
**§4.4.1 LoRA。** 低秩适配 (LoRA) 利用低秩矩阵近似参数更新矩阵：将参数更新矩阵低秩分解为两个小矩阵 B·A，
微调时只训练这两个小矩阵，原始参数冻结。

看训练曲线，和左侧“可训练参数”占全部参数的比例。""",
                tune("lora", rank=8),
            ),
            Step(
                "微调之后",
                """
**§4.1.2 参数高效微调。** 参数高效微调 (PEFT) 旨在避免微调全部参数，减少需要更新的参数数量和计算开销。

同一个问题再问一次：适配器已经加到模型上。""",
                ask,
            ),
            Step(
                "(IA)³：加在模型",
                """
**§4.2.2 参数附加方法——加在模型。** (IA)³ 在键、值和前馈层的激活上乘以可学习的向量，新增参数更少。
比较它与 LoRA 的可训练参数量与损失曲线。""",
                tune("ia3"),
            ),
            Step(
                "Prompt-tuning：加在输入",
                """
**§4.2.1 加在输入。** Prompt-tuning 在输入前拼接可学习的“软提示”向量，模型本身完全不动；
代价是占用上下文长度。""",
                tune("prompt"),
            ),
            Step(
                "适配器列表",
                """
**§4.4.1** LoRA 仅微调部分低秩参数，因此具有很高的参数效率，同时不会增加推理延迟（可把 B·A 合并回原权重）。
**§4.5.1 PEFT 实践：** 在“适配器”页启用、停用或合并训练好的适配器，再回到采样实验室比较。""",
                ask,
            ),
        ]
    return "Chapter 4 — Parameter-efficient fine-tuning", [
        Step(
            "Before fine-tuning",
            """
**§4.1.1 Adapting to a downstream task.** Ask the demo model a question about the demo world: it does not yet answer in the "The answer is …" form.""",
            ask,
        ),
        Step(
            "LoRA",
            """
**§4.4.1 LoRA.** Low-rank adaptation approximates the weight update with low-rank matrices: the
update is factored into two small matrices B·A, only they are trained and the original weights stay frozen.

Watch the loss curves, and the share of trainable parameters on the left.""",
            tune("lora", rank=8),
        ),
        Step(
            "After fine-tuning",
            """
**§4.1.2 Parameter-efficient fine-tuning.** PEFT avoids fine-tuning all parameters, reducing the
parameters to update and the compute. Ask the same question again: the adapter is now on the model.""",
            ask,
        ),
        Step(
            "(IA)³: added to the model",
            """
**§4.2.2 Additive methods — in the model.** (IA)³ multiplies the activations of keys, values and the
feed-forward layer by learned vectors: even fewer new parameters. Compare its count and loss with LoRA's.""",
            tune("ia3"),
        ),
        Step(
            "Prompt tuning: added to the input",
            """
**§4.2.1 Added to the input.** Prompt tuning prepends learned "soft prompt" vectors to the input and
leaves the model untouched; the price is context length.""",
            tune("prompt"),
        ),
        Step(
            "The adapters",
            """
**§4.4.1** LoRA tunes only a few low-rank parameters, so it is very parameter-efficient and adds no
inference latency (B·A can be merged into the weights). **§4.5.1 PEFT in practice:** enable, disable
or merge adapters on the Adapters tab, then compare in the Sampling lab.""",
            ask,
        ),
    ]


# --------------------------------------------------------------------------- chapter 5


def chapter_5(zh: bool) -> tuple[str, list[Step]]:
    if zh:
        subject, prompt, true, new = "斑马", "斑马的颜色是", "黑白", "金色"
        paraphrase, neighbour = "斑马通常的颜色是", "熊猫的颜色是"
        home, home_true, home_new = "斑马生活在", "草原", "沙漠"
    else:
        subject, prompt, true, new = "zebra", "The colour of the zebra is", " black and white", " golden"
        paraphrase, neighbour = "The usual colour of the zebra is", "The colour of the panda is"
        home, home_true, home_new = "The zebra lives in", " grasslands", " deserts"
    ask = lambda text: SamplingParams(prompt=text, strategy="greedy", max_new_tokens=6)  # noqa: E731
    trace = TraceParams(prompt=prompt, subject=subject, target=true)
    rome = EditParams(
        method="rome", request=EditRequest(prompt=prompt, subject=subject, target_new=new, target_true=true)
    )
    tpatcher = EditParams(
        method="tpatcher", request=EditRequest(prompt=home, subject=subject, target_new=home_new, target_true=home_true)
    )
    if zh:
        return "第 5 章 模型编辑：以“斑马”为例", [
            Step(
                "斑马的颜色",
                """
**§5.1.1 模型编辑思想。** 模型编辑要纠正模型的错误回答，使其给出我们期望的答案，同时不影响其他知识。
先看演示模型对“斑马的颜色是”的回答。""",
                ask(prompt),
            ),
            Step(
                "因果跟踪",
                """
**§5.4.1 知识存储位置——因果跟踪实验。** ROME 采用控制变量的策略：先对推理过程实施干扰（向主体“斑马”的嵌入加噪声），
再逐层局部恢复并观察影响，从而确定知识在模型中的具体位置。

热力图越亮，恢复该位置越能找回正确答案。点一个格子，看恢复后的预测。""",
                trace,
            ),
            Step(
                "阻断实验",
                """
**§5.4.1 阻断实验。** 在恢复隐藏状态的同时阻断 MLP（或注意力）的计算，看恢复效果下降多少：
阻断 MLP 后中间层的作用明显减弱，说明知识主要存于主体最后一个词处的中间层 MLP。

在“阻断”页选择主体最后一个词运行。""",
                trace,
                SEVERING_TAB,
            ),
            Step(
                "ROME 编辑",
                """
**§5.4.3 精准知识编辑。** ROME 把 MLP 看作键值存储：主体的表示是键 k，知识是值 v。
它求出新的 v*，并对该层权重作一次秩一更新，使 k 映射到 v*。

把“斑马的颜色是”改为“金色”。""",
                rome,
            ),
            Step(
                "五个性质：泛化性",
                """
**§5.1.3 模型编辑性质。** 本书将模型编辑的性质归纳为五个方面：**准确性**、**泛化性**、**可迁移性**、**局部性**和**高效性**。

泛化性衡量编辑后模型能否适应目标问题的其他表达形式：换一种问法，答案是否也变了？
（编辑实验室的指标表给出全部五项。）""",
                ask(paraphrase),
            ),
            Step(
                "五个性质：局部性",
                """
**§5.1.3 局部性。** 局部性要求编辑后的模型不影响其他不相关问题的输出：熊猫的颜色不应改变。""",
                ask(neighbour),
            ),
            Step(
                "T-Patcher 编辑",
                """
**§5.3 附加参数法：T-Patcher。** T-Patcher 在模型最后一层前馈网络中为每条知识添加一个“补丁”神经元（§5.3.1 补丁的位置、§5.3.2 补丁的形式），
只在相关输入上被激活。

把“斑马生活在”改为“沙漠”。""",
                tpatcher,
            ),
            Step(
                "方法比较",
                """
**§5.2.3 方法比较。** 附加参数法（T-Patcher）在准确性、泛化性上表现好，但每条编辑都增加参数；
定位编辑法（ROME）不增加参数，却会改动原有权重。

在“编辑记录”页逐条开关两次编辑，再回到采样实验室比较。""",
                ask(home),
            ),
        ]
    return "Chapter 5 — Model editing: the zebra", [
        Step(
            "The zebra's colour",
            """
**§5.1.1 The idea of model editing.** Editing corrects a wrong answer of the model so that it gives the
answer we want, without disturbing other knowledge. First ask the demo model for the zebra's colour.""",
            ask(prompt),
        ),
        Step(
            "Causal tracing",
            """
**§5.4.1 Where knowledge is stored — causal tracing.** ROME controls variables: it corrupts the run
(noise on the subject "zebra"), then restores single states layer by layer and watches the effect, to
locate the knowledge in the model.

The brighter a cell, the more restoring it brings the answer back. Click a cell for its restored predictions.""",
            trace,
        ),
        Step(
            "Severing",
            """
**§5.4.1 Severing.** Restore a hidden state while the MLP (or attention) computation is cut off, and see how
much of the effect is lost: without the MLPs the middle layers lose most of it, so the fact lives in the
middle-layer MLPs at the subject's last token.

On the Severing tab, run it for the subject's last token.""",
            trace,
            SEVERING_TAB,
        ),
        Step(
            "A ROME edit",
            """
**§5.4.3 Precise knowledge editing.** ROME treats an MLP as a key–value store: the subject's
representation is the key k, the fact the value v. It finds a new v* and makes a rank-one update of
the layer's weight so that k maps to v*.

Change the zebra's colour to golden.""",
            rome,
        ),
        Step(
            "Five properties: generality",
            """
**§5.1.3 Properties of model editing.** The book sums them up in five: **accuracy**, **generality**,
**portability**, **locality** and **efficiency**.

Generality: does the edited model answer other phrasings of the question the new way?
(The editing lab's metrics table shows all five.)""",
            ask(paraphrase),
        ),
        Step(
            "Five properties: locality",
            """
**§5.1.3 Locality.** The edit must not change answers to unrelated questions: the panda keeps its colour.""",
            ask(neighbour),
        ),
        Step(
            "A T-Patcher edit",
            """
**§5.3 Additional parameters: T-Patcher.** T-Patcher adds one "patch" neuron per fact to the last
feed-forward layer (§5.3.1 where, §5.3.2 what form), active only on related inputs.

Move the zebra to the deserts.""",
            tpatcher,
        ),
        Step(
            "Comparing the methods",
            """
**§5.2.3 Comparison.** Additional-parameter methods (T-Patcher) do well on accuracy and generality but
add parameters with every edit; locate-then-edit methods (ROME) add none but change existing weights.

Toggle the two edits on the Ledger tab and compare in the Sampling lab.""",
            ask(home),
        ),
    ]


# --------------------------------------------------------------------------- chapter 6


def chapter_6(zh: bool) -> tuple[str, list[Step]]:
    """A person of the demo world whose job and instrument only the encyclopedia knows: the demo
    model guesses wrong on its own (水手 / violin) and reads the right answer from the retrieved
    article (护士 / piano), so the lesson ends with retrieval visibly helping."""

    def search(query: str, **settings: Any) -> CompareRetrieversParams:
        return CompareRetrieversParams(collection=DEMO_COLLECTION, query=query, k=5, **settings)

    if zh:
        question = "佐梅是做什么工作的？"
        return "第 6 章 检索增强生成", [
            Step(
                "没有检索时",
                """
**§6.1.1 检索增强生成的背景。** 大模型生成的内容可能存在“幻觉”。先让演示模型直接回答：它没见过佐梅的资料，只能猜。

（项目里还没有演示百科时，下一步会先把它导入知识库，约需一分钟：§6.3.1 知识库构建。）""",
                SamplingParams(prompt=f"问题：{question}\n答案：", strategy="greedy", max_new_tokens=6),
            ),
            Step(
                "稀疏、稠密与混合检索",
                """
**§6.3.3 检索器。** 判别式检索器分为**稀疏检索器**和**稠密检索器**。稀疏检索器（如 TF-IDF、BM25）通过统计词项的出现特征来匹配文本；
稠密检索器把查询和文档编码为稠密向量，按相似度排序。三列并排比较。""",
                search(question),
            ),
            Step(
                "换一种说法",
                """
**§6.3.3** 换一种说法：“靠什么谋生”，而文档里写的是“工作”“职业”。BM25 只能靠名字“佐梅”匹配，
稠密检索按语义匹配；比较两列的分数。""",
                search("佐梅靠什么谋生？"),
            ),
            Step(
                "倒数排名融合",
                """
**§6.3.3 混合检索。** 把两种排序融合：这里用倒数排名融合 (RRF)，只看名次，不看分数。""",
                search(question, fusion="rrf"),
            ),
            Step(
                "检索结果重排",
                """
**§6.3.5 检索结果重排。** 用语言模型为候选文档重新打分：log P(查询 | 文档)。需要已加载模型。""",
                search(question, rerank=True),
            ),
            Step(
                "生成增强",
                """
**§6.4 生成增强、§6.5.1 搭建简单 RAG 系统。** 把检索到的文档放进提示词再生成：
“使用检索”一栏读出了正确答案，并标出了出处；“不使用检索”一栏与第一步一样在猜。""",
                search(question),
                ASK_TAB,
            ),
        ]
    question = "Which instrument does Matteo Zomer play?"
    return "Chapter 6 — Retrieval-augmented generation", [
        Step(
            "Without retrieval",
            """
**§6.1.1 Why retrieval.** What a large model generates may be a "hallucination". Let the demo model answer on its
own first: it has never seen anything about Matteo Zomer, so it guesses.

(If the project has no demo encyclopedia yet, the next step adds it to the knowledge base first, in about a
minute: §6.3.1 building the knowledge base.)""",
            SamplingParams(prompt=f"question: {question}\nanswer:", strategy="greedy", max_new_tokens=6),
        ),
        Step(
            "Sparse, dense and hybrid",
            """
**§6.3.3 Retrievers.** Discriminative retrievers are **sparse** or **dense**. Sparse ones (TF-IDF, BM25)
match texts by statistics of their terms; dense ones encode query and document as vectors and rank by
similarity. The three rankings side by side.""",
            search(question),
        ),
        Step(
            "Other words",
            """
**§6.3.3** In other words: "music", while the article says "instrument" and "piano". BM25 matches the name alone,
dense retrieval the meaning; compare the two columns' scores.""",
            search("What music does Matteo Zomer make?"),
        ),
        Step(
            "Reciprocal-rank fusion",
            """
**§6.3.3 Hybrid retrieval.** Fuse the two rankings; here by reciprocal-rank fusion (RRF), which looks at ranks only.""",
            search(question, fusion="rrf"),
        ),
        Step(
            "Reranking",
            """
**§6.3.5 Reranking.** The language model re-scores the candidates by log P(query | document). Needs a loaded model.""",
            search(question, rerank=True),
        ),
        Step(
            "Augmented generation",
            """
**§6.4 Augmenting generation, §6.5.1 a simple RAG system.** Put the retrieved documents into the prompt and
generate: "With retrieval" reads the right answer and marks its source; "Without retrieval" guesses as in the
first step.""",
            search(question),
            ASK_TAB,
        ),
    ]


CHAPTERS = {1: chapter_1, 4: chapter_4, 5: chapter_5, 6: chapter_6}


def main() -> None:
    BUNDLED_LESSONS_DIR.mkdir(parents=True, exist_ok=True)
    for number, chapter in CHAPTERS.items():
        for language in ("zh", "en"):
            title, steps = chapter(language == "zh")
            path = BUNDLED_LESSONS_DIR / f"ch{number}_{language}{SUFFIX}"
            path.write_text(json.dumps(_document(title, steps), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{path.name}: {len(steps)} steps")


if __name__ == "__main__":
    main()
