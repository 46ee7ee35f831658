"""The labs in tab order. A lab whose panel is not built yet shows a placeholder card."""

from __future__ import annotations

from workbench.ui.panels.base import Panel
from workbench.ui.panels.editing import EditingPanel
from workbench.ui.panels.finetune import FinetunePanel
from workbench.ui.panels.placeholder import PlaceholderPanel
from workbench.ui.panels.rag import RagPanel
from workbench.ui.panels.sampling import SamplingPanel
from workbench.ui.panels.tracing import TracingPanel
from workbench.worker import WorkerHost

PLANNED_LABS: dict[str, tuple[str, str, str]] = {
    "sampling": (
        "Sampling",
        "Book §1.4–1.5 · decoding and evaluation",
        "Greedy, beam search, top-k, top-p and temperature step by step: the next-token "
        "distribution at every step, branching on any alternative, beam trees, side-by-side "
        "comparisons and perplexity, BLEU and ROUGE.",
    ),
    "tracing": (
        "Causal Tracing",
        "Book §5.4.1 · 因果追踪 and 阻断",
        "Corrupt the subject, restore one hidden state, MLP or attention output at a time and "
        "see where a fact lives: live heatmaps, severing and averages over a fact set.",
    ),
    "editing": (
        "Model Editing",
        "Book ch. 5 · ROME and T-Patcher",
        "Edit a fact where the trace points and measure accuracy, generality, portability, "
        "locality and efficiency before and after.",
    ),
    "finetune": (
        "Fine-tuning",
        "Book ch. 4 · parameter-efficient fine-tuning",
        "LoRA, prompt tuning, prefix tuning, IA3 and BitFit with live loss curves and an A/B "
        "comparison against the base model.",
    ),
    "rag": (
        "RAG Documents",
        "Book ch. 6 · retrieval-augmented generation",
        "Ingest Chinese and English documents, chunk and index them, compare BM25, dense and "
        "hybrid retrieval, and answer questions with sources.",
    ),
}


def create_panels(host: WorkerHost) -> dict[str, Panel]:
    built: dict[str, type[Panel]] = {"sampling": SamplingPanel, "tracing": TracingPanel, "editing": EditingPanel, "finetune": FinetunePanel, "rag": RagPanel}
    return {
        name: built[name](host) if name in built else PlaceholderPanel(host, *texts)
        for name, texts in PLANNED_LABS.items()
    }
