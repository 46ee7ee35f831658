<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdapterList</name>
    <message>
        <source>Adapter</source>
        <translation>适配器</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Trainable</source>
        <translation>可训练参数</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Adapters on</source>
        <translation>启用适配器</translation>
    </message>
    <message>
        <source>Off: the base model, with every adapter kept loaded</source>
        <translation>关闭：使用基座模型，所有适配器仍保持加载</translation>
    </message>
    <message>
        <source>Fold the active LoRA/IA3 adapters into the base weights (W + ΔW); unmerge restores them</source>
        <translation>把启用的 LoRA/IA3 适配器合并进基座权重（W + ΔW）；取消合并可复原</translation>
    </message>
    <message>
        <source>Load adapter folder…</source>
        <translation>加载适配器文件夹…</translation>
    </message>
    <message>
        <source>Remove all</source>
        <translation>全部移除</translation>
    </message>
    <message>
        <source>Remove every adapter: the base model exactly as loaded</source>
        <translation>移除所有适配器：恢复为加载时的基座模型</translation>
    </message>
    <message>
        <source>Tick adapters to make them active: several LoRA (or IA3) adapters stack, their updates add up. Prompt, prefix and BitFit adapters work alone.</source>
        <translation>勾选适配器即可启用：多个 LoRA（或 IA3）适配器可以叠加，其更新量相加；提示微调、前缀微调和 BitFit 适配器只能单独使用。</translation>
    </message>
    <message>
        <source>Unmerge</source>
        <translation>取消合并</translation>
    </message>
    <message>
        <source>Merge into weights</source>
        <translation>合并进权重</translation>
    </message>
    <message>
        <source>One adapter stays active: untick “Adapters on” to use the base model.</source>
        <translation>至少保留一个启用的适配器：如需使用基座模型，请取消勾选“启用适配器”。</translation>
    </message>
    <message>
        <source>No adapter applied: the model is the base model.</source>
        <translation>未应用适配器：当前即基座模型。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Active: {active} · adapters merged into the weights.</source>
        <translation>已启用：{active} · 适配器已合并进权重。</translation>
    </message>
    <message>
        <source>Active: {active} · adapters on.</source>
        <translation>已启用：{active} · 适配器开启。</translation>
    </message>
    <message>
        <source>Active: {active} · adapters off (base model).</source>
        <translation>已启用：{active} · 适配器关闭（基座模型）。</translation>
    </message>
    <message>
        <source>Adapter folder (adapter_config.json)</source>
        <translation>适配器文件夹（含 adapter_config.json）</translation>
    </message>
</context>
<context>
    <name>AnswerCard</name>
    <message>
        <source>no source found</source>
        <translation>未找到出处</translation>
    </message>
    <message>
        <source>{mark} found by meaning (another language), not by shared words: check the span.</source>
        <translation>{mark} 按语义找到（另一种语言），而非按相同词语：请核对该段文字。</translation>
    </message>
    <message>
        <source>(not asked)</source>
        <translation>（未提问）</translation>
    </message>
    <message>
        <source>(empty answer)</source>
        <translation>（空回答）</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>With retrieval</source>
        <translation>使用检索</translation>
    </message>
    <message>
        <source>Without retrieval</source>
        <translation>不使用检索</translation>
    </message>
</context>
<context>
    <name>AskView</name>
    <message>
        <source>How many retrieved chunks go into the prompt (the demo model reads one best).</source>
        <translation>放入提示的检索文本块数量（演示模型只读一个效果最好）。</translation>
    </message>
    <message>
        <source>Passages given to the model</source>
        <translation>提供给模型的段落</translation>
    </message>
    <message>
        <source>Load a model (Model → Load) to ask questions.</source>
        <translation>请先加载模型（模型 → 加载）再提问。</translation>
    </message>
    <message>
        <source>Passage #{rank}, characters {start}–{end}, found by shared words: {percent}% of the sentence&apos;s words are there.</source>
        <translation>段落 #{rank}，第 {start}–{end} 个字符，按相同词语找到：这句话的词语有 {percent}% 出现在这里。</translation>
    </message>
    <message>
        <source>Passage #{rank}, characters {start}–{end}, found by meaning: similarity {similarity} to the sentence, which shares no words with it (another language). Check that it says the same.</source>
        <translation>段落 #{rank}，第 {start}–{end} 个字符，按语义找到：与这句话的相似度为 {similarity}，二者没有相同的词语（另一种语言）。请核对它说的是否相同。</translation>
    </message>
</context>
<context>
    <name>BatchView</name>
    <message>
        <source>Edits the first N cases of the fact file one after another, with the method and settings on the left.</source>
        <translation>用左侧的方法和设置，依次编辑事实文件中的前 N 条案例。</translation>
    </message>
    <message>
        <source>Cases N</source>
        <translation>案例数 N</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Keep the edits in the ledger afterwards</source>
        <translation>完成后将编辑保留在编辑记录中</translation>
    </message>
    <message>
        <source>Run batch</source>
        <translation>运行批量编辑</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Running mean after each edit</source>
        <translation>每次编辑后的累计均值</translation>
    </message>
    <message>
        <source>edits applied</source>
        <translation>已应用的编辑数</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确率</translation>
    </message>
    <message>
        <source>Run a batch: each metric&apos;s mean after every edit</source>
        <translation>运行批量编辑：显示每次编辑后各指标的均值</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>性质</translation>
    </message>
    <message>
        <source>Right after its edit</source>
        <translation>编辑后立即测量</translation>
    </message>
    <message>
        <source>After all edits</source>
        <translation>全部编辑完成后</translation>
    </message>
    <message>
        <source>Editing…</source>
        <translation>编辑中…</translation>
    </message>
    <message>
        <source> · {seconds} s per edit</source>
        <translation> · 每次编辑 {seconds} 秒</translation>
    </message>
    <message>
        <source>{done} cases edited with {method}{rate}.</source>
        <translation>已用 {method} 编辑 {done} 条案例{rate}。</translation>
    </message>
    <message>
        <source>{done} of {total} cases edited{rate}</source>
        <translation>已编辑 {done} / {total} 条案例{rate}</translation>
    </message>
</context>
<context>
    <name>CasePicker</name>
    <message>
        <source>(was {target})</source>
        <translation>（原为 {target}）</translation>
    </message>
    <message>
        <source>Search cases by subject (Anoda, 阿诺达 …)</source>
        <translation>按主体搜索案例（Anoda、阿诺达 …）</translation>
    </message>
    <message>
        <source>Load fact file…</source>
        <translation>加载事实文件…</translation>
    </message>
    <message>
        <source>Demo facts</source>
        <translation>演示事实</translation>
    </message>
    <message>
        <source>Real-world facts</source>
        <translation>真实世界事实</translation>
    </message>
    <message>
        <source>Well-known facts (capitals, companies, athletes …) in English and Chinese, for real models</source>
        <translation>众所周知的事实（首都、公司、运动员……），中英文皆有，供真实模型使用</translation>
    </message>
    <message>
        <source>Search cases by subject (France, 法国 …)</source>
        <translation>按主体搜索案例（France、法国……）</translation>
    </message>
    <message>
        <source>demo world facts</source>
        <translation>演示世界事实</translation>
    </message>
    <message>
        <source>real-world facts</source>
        <translation>真实世界事实</translation>
    </message>
    <message>
        <source>{count} cases · {name}</source>
        <translation>{count} 条案例 · {name}</translation>
    </message>
    <message>
        <source>… {count} more: type more of a subject</source>
        <translation>… 另有 {count} 条：请输入更完整的主体</translation>
    </message>
    <message>
        <source>Fact file (CounterFact-style JSON lines)</source>
        <translation>事实文件（CounterFact 格式的 JSON Lines）</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl *.json);;All files (*)</source>
        <translation>JSON Lines 文件 (*.jsonl *.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ChunkBrowser</name>
    <message>
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>sentences</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>headings</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>No document</source>
        <translation>无文档</translation>
    </message>
    <message>
        <source>Preview (not indexed)</source>
        <translation>预览（未索引）</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>{chunks} chunks · {characters} characters · {method}, size {size}, overlap {overlap} · {overlapping} characters in overlaps</source>
        <translation>{chunks} 个文本块 · {characters} 个字符 · 按{method}分块，大小 {size}，重叠 {overlap} · 重叠部分共 {overlapping} 个字符</translation>
    </message>
    <message>
        <source>Click in the text to inspect a chunk.</source>
        <translation>点击正文可查看对应的文本块。</translation>
    </message>
    <message>
        <source>Chunk {number} of {count}</source>
        <translation>第 {number} / {count} 块</translation>
    </message>
    <message>
        <source>characters {start}–{end} ({length})</source>
        <translation>字符 {start}–{end}（共 {length}）</translation>
    </message>
    <message>
        <source>page {page}</source>
        <translation>第 {page} 页</translation>
    </message>
    <message>
        <source>overlaps the previous chunk by {count}</source>
        <translation>与上一块重叠 {count} 个字符</translation>
    </message>
    <message>
        <source>chunk</source>
        <translation>文本块</translation>
    </message>
    <message>
        <source>next chunk</source>
        <translation>下一块</translation>
    </message>
    <message>
        <source>overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <source>selected</source>
        <translation>选中</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>One prompt per line (write \n for a line break inside a prompt)</source>
        <translation>每行一个提示（提示内部换行请写 \n）</translation>
    </message>
    <message>
        <source>A text to score token by token under both models</source>
        <translation>在两个模型下逐词元打分的文本</translation>
    </message>
    <message>
        <source>Compare base ↔ adapter</source>
        <translation>对比 基座 ↔ 适配器</translation>
    </message>
    <message>
        <source>Prompts</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Eval text</source>
        <translation>评测文本</translation>
    </message>
    <message>
        <source>New tokens</source>
        <translation>新词元数</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基座模型</translation>
    </message>
    <message>
        <source>With adapter</source>
        <translation>加适配器</translation>
    </message>
    <message>
        <source>more likely with the adapter</source>
        <translation>加适配器后概率更高</translation>
    </message>
    <message>
        <source>less likely</source>
        <translation>概率更低</translation>
    </message>
    <message>
        <source>hover a token for both probabilities</source>
        <translation>悬停在词元上可查看两种概率</translation>
    </message>
    <message>
        <source>Per-token probability change on the eval text</source>
        <translation>评测文本上每个词元的概率变化</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>对比中…</translation>
    </message>
    <message>
        <source>The comparison did not finish.</source>
        <translation>对比未完成。</translation>
    </message>
    <message>
        <source>Train or load an adapter, then compare it with the base model.</source>
        <translation>训练或加载一个适配器，再与基座模型对比。</translation>
    </message>
    <message>
        <source>Perplexity of the eval text: base &lt;b&gt;{base}&lt;/b&gt; → with adapter &lt;b&gt;{adapted}&lt;/b&gt;</source>
        <translation>评测文本的困惑度：基座 &lt;b&gt;{base}&lt;/b&gt; → 加适配器 &lt;b&gt;{adapted}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No eval text scored.</source>
        <translation>没有可打分的评测文本。</translation>
    </message>
    <message>
        <source>{token}: base {base} → adapter {adapted}</source>
        <translation>{token}：基座 {base} → 适配器 {adapted}</translation>
    </message>
    <message>
        <source>{raised} of {count} tokens more likely with the adapter</source>
        <translation>{count} 个词元中有 {raised} 个在加适配器后概率更高</translation>
    </message>
</context>
<context>
    <name>DataPicker</name>
    <message>
        <source>Demo world set</source>
        <translation>演示世界数据集</translation>
    </message>
    <message>
        <source>JSONL file</source>
        <translation>JSONL 文件</translation>
    </message>
    <message>
        <source>Text file</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl *.json)</source>
        <translation>JSON Lines 文件 (*.jsonl *.json)</translation>
    </message>
    <message>
        <source>Text (*.txt *.md)</source>
        <translation>文本 (*.txt *.md)</translation>
    </message>
    <message>
        <source>Held out for eval</source>
        <translation>留作验证的比例</translation>
    </message>
    <message>
        <source>Share of the examples kept aside to measure eval loss (without an eval file).</source>
        <translation>留出用于计算验证损失的样本比例（未提供验证文件时）。</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <source>Longer examples are cut; text files are split into chunks this long.</source>
        <translation>超长样本会被截断；文本文件按此长度切分。</translation>
    </message>
    <message>
        <source>a .jsonl of {prompt, completion} or {text}, or a .txt</source>
        <translation>含 {prompt, completion} 或 {text} 的 .jsonl，或 .txt 文本</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>optional: a separate evaluation file</source>
        <translation>可选：单独的验证文件</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Eval file</source>
        <translation>验证文件</translation>
    </message>
    <message>
        <source>Tokenised examples</source>
        <translation>分词后的样本</translation>
    </message>
    <message>
        <source>Choose a data file (or the demo world set) on the Data tab.</source>
        <translation>请在“数据”页选择数据文件（或演示世界数据集）。</translation>
    </message>
    <message>
        <source>The data file {path} does not exist.</source>
        <translation>数据文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>token {index}: trained on (carries loss)</source>
        <translation>词元 {index}：参与训练（计算损失）</translation>
    </message>
    <message>
        <source>token {index}: context only (no loss)</source>
        <translation>词元 {index}：仅作上下文（不计损失）</translation>
    </message>
    <message>
        <source>Example {number} · {tokens} tokens, {targets} trained on</source>
        <translation>样本 {number} · {tokens} 个词元，其中 {targets} 个参与训练</translation>
    </message>
    <message>
        <source>{count} for evaluation</source>
        <translation>{count} 条用于验证</translation>
    </message>
    <message>
        <source>no evaluation examples</source>
        <translation>无验证样本</translation>
    </message>
    <message>
        <source>{train} training examples, {evaluation}; examples cut at {length} tokens. The first {shown}:</source>
        <translation>训练样本 {train} 条，{evaluation}；样本截断长度为 {length} 个词元。前 {shown} 条：</translation>
    </message>
    <message>
        <source>Fine-tuning data</source>
        <translation>微调数据</translation>
    </message>
    <message>
        <source>trained on (loss)</source>
        <translation>参与训练（计算损失）</translation>
    </message>
    <message>
        <source>prompt (no loss)</source>
        <translation>提示（不计损失）</translation>
    </message>
</context>
<context>
    <name>EditForm</name>
    <message>
        <source>English words keep their leading space (␣), as the model writes “ Paris” after “in”; Chinese targets need none.</source>
        <translation>英文目标要保留前导空格（␣），因为模型写出的英文词元带空格，如“␣Paris”；中文目标不需要。</translation>
    </message>
    <message>
        <source>Edit a fact</source>
        <translation>编辑一条事实</translation>
    </message>
    <message>
        <source>Pick a case from a fact file, start from a trace cell (“Edit here”), or type one.</source>
        <translation>从事实文件中选一条案例、从追踪热图的单元格开始（“在此编辑”），或直接输入。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>主体</translation>
    </message>
    <message>
        <source>New target</source>
        <translation>新目标</translation>
    </message>
    <message>
        <source>Old target</source>
        <translation>原目标</translation>
    </message>
    <message>
        <source>{} is located in   ({} marks the subject)</source>
        <translation>{}位于   （{} 表示主体所在位置）</translation>
    </message>
    <message>
        <source>optional: the answer now (␣Ensia)</source>
        <translation>可选：模型当前的回答（␣Ensia）</translation>
    </message>
    <message>
        <source>Suggest layer</source>
        <translation>推荐编辑层</translation>
    </message>
    <message>
        <source>Trace the MLPs at the last subject token and pick the layer with the largest effect</source>
        <translation>在主体最后一个词元处追踪各层 MLP，选出效应最大的层</translation>
    </message>
    <message>
        <source>Apply edit</source>
        <translation>执行编辑</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Largest MLP effect at layer {largest}: layer {layer} chosen.</source>
        <translation>MLP 效应最大的是第 {largest} 层：已选第 {layer} 层。</translation>
    </message>
    <message>
        <source>Taught as “{token}”. </source>
        <translation>将教给模型“{token}”。</translation>
    </message>
    <message>
        <source>Case #{case}: its paraphrases, neighbours and related questions are evaluated too.</source>
        <translation>案例 #{case}：还会评测它的释义、邻域事实和相关问题。</translation>
    </message>
</context>
<context>
    <name>EditingPanel</name>
    <message>
        <source>Load a model first (Model ▸ Load Model…): editing needs one, and none is loaded.</source>
        <translation>请先加载模型（模型 ▸ 加载模型…）：模型编辑需要一个模型，而当前未加载。</translation>
    </message>
    <message>
        <source>initial NLL</source>
        <translation>初始 NLL</translation>
    </message>
    <message>
        <source>final NLL</source>
        <translation>最终 NLL</translation>
    </message>
    <message>
        <source>residual norm</source>
        <translation>残差范数</translation>
    </message>
    <message>
        <source>final v* loss</source>
        <translation>v* 最终损失</translation>
    </message>
    <message>
        <source>final KL</source>
        <translation>最终 KL</translation>
    </message>
    <message>
        <source>v* steps run</source>
        <translation>v* 实际步数</translation>
    </message>
    <message>
        <source>δ norm</source>
        <translation>δ 范数</translation>
    </message>
    <message>
        <source>v₀ norm</source>
        <translation>v₀ 范数</translation>
    </message>
    <message>
        <source>k* norm</source>
        <translation>k* 范数</translation>
    </message>
    <message>
        <source>update norm</source>
        <translation>更新范数</translation>
    </message>
    <message>
        <source>covariance seconds</source>
        <translation>协方差耗时（秒）</translation>
    </message>
    <message>
        <source>activation on the edit</source>
        <translation>编辑输入上的激活</translation>
    </message>
    <message>
        <source>largest memory activation</source>
        <translation>记忆中的最大激活</translation>
    </message>
    <message>
        <source>memory kept silent</source>
        <translation>记忆保持静默比例</translation>
    </message>
    <message>
        <source>memory tokens</source>
        <translation>记忆词元数</translation>
    </message>
    <message>
        <source>hard negatives</source>
        <translation>难负例数</translation>
    </message>
    <message>
        <source>hard negatives kept silent</source>
        <translation>难负例保持静默比例</translation>
    </message>
    <message>
        <source>initial loss</source>
        <translation>初始损失</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Model Editing</source>
        <translation>模型编辑</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Ledger</source>
        <translation>编辑记录</translation>
    </message>
    <message>
        <source>Re-trace</source>
        <translation>重新追踪</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批量编辑</translation>
    </message>
    <message>
        <source>From the trace: layer {layer}. Type the new target and press Apply edit.</source>
        <translation>来自追踪：第 {layer} 层。请输入新目标，然后点击“执行编辑”。</translation>
    </message>
    <message>
        <source>Submitting the edit…</source>
        <translation>正在提交编辑…</translation>
    </message>
    <message>
        <source>Edit ({method}): {prompt}</source>
        <translation>编辑（{method}）：{prompt}</translation>
    </message>
    <message>
        <source>Suggest a layer to edit</source>
        <translation>推荐编辑层</translation>
    </message>
    <message>
        <source>Edit ledger: {action}</source>
        <translation>编辑记录：{action}</translation>
    </message>
    <message>
        <source>Export the edited model</source>
        <translation>导出编辑后的模型</translation>
    </message>
    <message>
        <source>Exported the edited model to {folder}: AutoModelForCausalLM.from_pretrained loads it.</source>
        <translation>已将编辑后的模型导出到 {folder}：可用 AutoModelForCausalLM.from_pretrained 加载。</translation>
    </message>
    <message>
        <source>Exporting to {folder}…</source>
        <translation>正在导出到 {folder}…</translation>
    </message>
    <message>
        <source>Load a model first (Model ▸ Load Model…).</source>
        <translation>请先加载模型（模型 ▸ 加载模型…）。</translation>
    </message>
    <message>
        <source>Batch edit: {cases} cases ({language})</source>
        <translation>批量编辑：{cases} 条案例（{language}）</translation>
    </message>
    <message>
        <source>Apply an edit first: re-trace needs an edit that is still in the ledger.</source>
        <translation>请先执行一次编辑：重新追踪需要一条仍在编辑记录中的编辑。</translation>
    </message>
    <message>
        <source>Tracing “{prompt}” → {target} with the edit off…</source>
        <translation>正在关闭编辑的情况下追踪“{prompt}” → {target}…</translation>
    </message>
    <message>
        <source>Re-trace: ledger</source>
        <translation>重新追踪：编辑记录</translation>
    </message>
    <message>
        <source>Re-trace: trace before</source>
        <translation>重新追踪：编辑前</translation>
    </message>
    <message>
        <source>Re-trace: trace after</source>
        <translation>重新追踪：编辑后</translation>
    </message>
    <message>
        <source>Edit #{edit} applied in {seconds} s.</source>
        <translation>编辑 #{edit} 已完成，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>Batch of {count} cases done.</source>
        <translation>{count} 条案例的批量编辑已完成。</translation>
    </message>
    <message>
        <source>Stopped: the model is as the ledger shows.</source>
        <translation>已停止：模型状态以编辑记录为准。</translation>
    </message>
    <message>
        <source>Apply an edit, then re-trace its prompt with the new target.</source>
        <translation>先执行一次编辑，再用新目标重新追踪它的提示。</translation>
    </message>
    <message>
        <source>Run #{run} {status}.</source>
        <translation>运行 #{run}：{status}。</translation>
    </message>
    <message>
        <source>Apply an edit to see the model before and after.</source>
        <translation>执行一次编辑，即可对比编辑前后的模型。</translation>
    </message>
    <message>
        <source>run #{run}</source>
        <translation>运行 #{run}</translation>
    </message>
    <message>
        <source>this session</source>
        <translation>本次会话</translation>
    </message>
    <message>
        <source>&lt;b&gt;{method}&lt;/b&gt; edit #{edit} at layer {layer} ({label}): </source>
        <translation>&lt;b&gt;{method}&lt;/b&gt; 编辑 #{edit}，第 {layer} 层（{label}）：</translation>
    </message>
    <message>
        <source> (was {target})</source>
        <translation>（原为 {target}）</translation>
    </message>
    <message>
        <source>Apply an edit, then re-trace its prompt with the new target: before the edit (switched off) and after.</source>
        <translation>执行一次编辑后，用新目标重新追踪其提示：分别在编辑前（关闭编辑）和编辑后。</translation>
    </message>
</context>
<context>
    <name>EvalView</name>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Retriever</source>
        <translation>检索器</translation>
    </message>
    <message>
        <source>Embedder</source>
        <translation>嵌入模型</translation>
    </message>
    <message>
        <source>Index</source>
        <translation>索引</translation>
    </message>
    <message>
        <source>Questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>ms mean</source>
        <translation>平均耗时 (ms)</translation>
    </message>
    <message>
        <source>ms p95</source>
        <translation>P95 耗时 (ms)</translation>
    </message>
    <message>
        <source>labelled questions (.jsonl): question + gold document or evidence</source>
        <translation>带标注的问题（.jsonl）：问题 + 标准文档或证据</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Evaluating…</source>
        <translation>评测中…</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评测</translation>
    </message>
    <message>
        <source>All groups</source>
        <translation>全部分组</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Evaluate a collection on labelled questions (the demo world&apos;s by default).</source>
        <translation>用带标注的问题评测一个文档集（默认使用演示世界的问题）。</translation>
    </message>
    <message>
        <source>{questions} questions on “{collection}” · {rows} rows · recall@k: the gold document among the top k; MRR@10: mean of 1/rank of the first hit.</source>
        <translation>在“{collection}”上评测 {questions} 个问题 · 共 {rows} 行 · Recall@k：标准文档出现在前 k 个结果中的比例；MRR@10：首个命中结果排名倒数的平均值。</translation>
    </message>
    <message>
        <source>Skipped {count}: {questions}</source>
        <translation>跳过 {count} 个：{questions}</translation>
    </message>
    <message>
        <source>Labelled questions</source>
        <translation>带标注的问题</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
</context>
<context>
    <name>FinetunePanel</name>
    <message>
        <source>Load a model to see the tokenised examples.</source>
        <translation>加载模型后即可查看分词后的样本。</translation>
    </message>
    <message>
        <source>Fine-tuning</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>A/B compare</source>
        <translation>A/B 对比</translation>
    </message>
    <message>
        <source>Adapters</source>
        <translation>适配器</translation>
    </message>
    <message>
        <source>Fine-tune ({method})</source>
        <translation>微调（{method}）</translation>
    </message>
    <message>
        <source>Fine-tune ({method}, resumed)</source>
        <translation>微调（{method}，续训）</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Type the text the soft prompt starts from.</source>
        <translation>请输入软提示的初始化文本。</translation>
    </message>
    <message>
        <source>Count trainable parameters</source>
        <translation>统计可训练参数</translation>
    </message>
    <message>
        <source>These settings cannot be counted; see the message.</source>
        <translation>无法按这些设置统计参数，请查看提示信息。</translation>
    </message>
    <message>
        <source>Preview fine-tuning data</source>
        <translation>预览微调数据</translation>
    </message>
    <message>
        <source>Give prompts to continue or a text to score.</source>
        <translation>请提供待续写的提示或待打分的文本。</translation>
    </message>
    <message>
        <source>A/B: base vs adapter</source>
        <translation>A/B：基座 vs 适配器</translation>
    </message>
    <message>
        <source>Adapters: {action}</source>
        <translation>适配器：{action}</translation>
    </message>
    <message>
        <source>List training runs</source>
        <translation>列出训练运行</translation>
    </message>
    <message>
        <source>Stopped · Resume continues from the last finished step.</source>
        <translation>已停止 · 点击“继续训练”将从最后完成的一步继续。</translation>
    </message>
    <message>
        <source>Stopped before the first step finished.</source>
        <translation>在第一步完成前已停止。</translation>
    </message>
    <message>
        <source>Load a model to count parameters.</source>
        <translation>加载模型后即可统计参数量。</translation>
    </message>
    <message>
        <source>Run #{run} ({status})</source>
        <translation>运行 #{run}（{status}）</translation>
    </message>
    <message>
        <source>Run #{run} {status}.</source>
        <translation>运行 #{run}：{status}。</translation>
    </message>
    <message>
        <source>Train for a positive number of epochs or steps.</source>
        <translation>训练轮数或步数必须为正数。</translation>
    </message>
    <message>
        <source>Initialising the soft prompt from text needs a text.</source>
        <translation>用文本初始化软提示需要提供文本。</translation>
    </message>
    <message>
        <source>Choose a folder to save adapters in.</source>
        <translation>请选择保存适配器的文件夹。</translation>
    </message>
    <message>
        <source>Training {method} from its checkpoint → {folder}</source>
        <translation>从检查点继续训练 {method} → {folder}</translation>
    </message>
    <message>
        <source>Training {method} → {folder}</source>
        <translation>正在训练 {method} → {folder}</translation>
    </message>
</context>
<context>
    <name>GenerationsView</name>
    <message>
        <source>Greedy continuations before and after the edit appear here.</source>
        <translation>编辑前后的贪心搜索续写将显示在这里。</translation>
    </message>
    <message>
        <source>Before the edit</source>
        <translation>编辑前</translation>
    </message>
    <message>
        <source>After the edit</source>
        <translation>编辑后</translation>
    </message>
</context>
<context>
    <name>HitList</name>
    <message>
        <source>The retrieved passages appear here.</source>
        <translation>检索到的段落将显示在这里。</translation>
    </message>
    <message>
        <source>No passage was retrieved.</source>
        <translation>没有检索到段落。</translation>
    </message>
    <message>
        <source>BM25</source>
        <translation>BM25</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>稠密检索</translation>
    </message>
    <message>
        <source>cross-lingual</source>
        <translation>跨语言</translation>
    </message>
    <message>
        <source>second embedder</source>
        <translation>第二嵌入模型</translation>
    </message>
    <message>
        <source>reranker</source>
        <translation>重排序</translation>
    </message>
    <message>
        <source>No results yet.</source>
        <translation>暂无结果。</translation>
    </message>
    <message>
        <source>found by {paths}</source>
        <translation>检索路径：{paths}</translation>
    </message>
    <message>
        <source>p. {page}</source>
        <translation>第 {page} 页</translation>
    </message>
    <message>
        <source>pp. {first}–{last}</source>
        <translation>第 {first}–{last} 页</translation>
    </message>
    <message>
        <source>Run a query to see this retriever&apos;s ranking.</source>
        <translation>运行查询即可查看该检索器的排序结果。</translation>
    </message>
    <message>
        <source>No chunk matched.</source>
        <translation>没有匹配的文本块。</translation>
    </message>
    <message>
        <source>Not part of this run.</source>
        <translation>本次运行未包含此项。</translation>
    </message>
</context>
<context>
    <name>IngestBox</name>
    <message>
        <source>Documents (*.txt *.md *.markdown *.html *.htm *.pdf *.docx);;All files (*)</source>
        <translation>文档 (*.txt *.md *.markdown *.html *.htm *.pdf *.docx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>multilingual-E5-small: Chinese, English and cross-lingual (default)</source>
        <translation>multilingual-E5-small：支持中文、英文及跨语言检索（默认）</translation>
    </message>
    <message>
        <source>multilingual Universal Sentence Encoder: Chinese and English</source>
        <translation>多语言 Universal Sentence Encoder：支持中文和英文</translation>
    </message>
    <message>
        <source>all-MiniLM-L6-v2: English only, fastest</source>
        <translation>all-MiniLM-L6-v2：仅支持英文，速度最快</translation>
    </message>
    <message>
        <source>chars</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>sentences</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>headings</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>added</source>
        <translation>已添加</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>未变化</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>已替换</translation>
    </message>
    <message>
        <source>rechunked</source>
        <translation>已重新分块</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>已移除</translation>
    </message>
    <message>
        <source>Chunk by</source>
        <translation>分块方式</translation>
    </message>
    <message>
        <source>characters, tokens, sentences (。！？ . ! ?) or markdown headings</source>
        <translation>按字符、词元、句子（。！？ . ! ?）或 Markdown 标题分块</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>块大小</translation>
    </message>
    <message>
        <source>characters (tokens for &apos;tokens&apos;)</source>
        <translation>字符数（按词元分块时为词元数）</translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation>重叠</translation>
    </message>
    <message>
        <source>shared with the next chunk</source>
        <translation>与下一块共享的部分</translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <source>new or existing collection</source>
        <translation>新的或已有的文档集</translation>
    </message>
    <message>
        <source>Encodes the chunks for dense retrieval; any sentence-transformers folder by path.</source>
        <translation>为稠密检索编码文本块；也可填写任意 sentence-transformers 模型文件夹的路径。</translation>
    </message>
    <message>
        <source>jieba words</source>
        <translation>jieba 分词</translation>
    </message>
    <message>
        <source>character bigrams</source>
        <translation>字符二元组</translation>
    </message>
    <message>
        <source>How BM25 cuts Chinese text; English words are lower-cased and stemmed either way.</source>
        <translation>BM25 如何切分中文文本；英文单词始终会转为小写并做词干化。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the cross-lingual companion: ≈ +8 % ingest time</source>
        <translation>跨语言辅助模型：入库时间约增加 8%</translation>
    </message>
    <message>
        <source>Also encode the chunks with a second embedder; hybrid search then fuses three lists (0.4·dense + 0.3·second + 0.3·BM25). On the textbook it found English paraphrases of Chinese passages better (MRR@10 0.709 → 0.749) and Chinese questions slightly worse.</source>
        <translation>再用第二个嵌入模型编码文本块；混合检索随后融合三个列表（0.4·稠密 + 0.3·第二模型 + 0.3·BM25）。在教材上，它更能找到中文段落的英文转述（MRR@10 0.709 → 0.749），中文问题则略差。</translation>
    </message>
    <message>
        <source>Collection</source>
        <translation>文档集</translation>
    </message>
    <message>
        <source>Embedder</source>
        <translation>嵌入模型</translation>
    </message>
    <message>
        <source>BM25 tokens</source>
        <translation>BM25 切分</translation>
    </message>
    <message>
        <source>Second embedder</source>
        <translation>第二嵌入模型</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Demo encyclopedia</source>
        <translation>演示百科</translation>
    </message>
    <message>
        <source>Ingest {folder} (Chinese and English articles) into &apos;{collection}&apos;.</source>
        <translation>将 {folder}（中英文条目）导入文档集“{collection}”。</translation>
    </message>
    <message>
        <source>Quick demo (≈ {seconds} s)</source>
        <translation>快速演示（约 {seconds} 秒）</translation>
    </message>
    <message>
        <source>Ingest {count} articles of the demo encyclopedia (every kind of entity, both languages) into &apos;{collection}&apos; with the default embedder and chunking: a collection to ask questions of in seconds.</source>
        <translation>用默认的嵌入模型和分块方式，把演示百科中的 {count} 篇文章（涵盖各类实体，中英文都有）导入“{collection}”：几秒钟就有一个可以提问的文档集。</translation>
    </message>
    <message>
        <source>Preview on a file…</source>
        <translation>在文件上预览…</translation>
    </message>
    <message>
        <source>Preview on selected document</source>
        <translation>在所选文档上预览</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Name the collection to add documents to (type a new name to create one).</source>
        <translation>请填写要添加文档的文档集名称（输入新名称即可新建）。</translation>
    </message>
    <message>
        <source>Reading files…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>Estimating how long the ingest will take…</source>
        <translation>正在估算导入所需时间…</translation>
    </message>
    <message>
        <source> · about {duration} left</source>
        <translation> · 约剩 {duration}</translation>
    </message>
    <message>
        <source>Files {done}/{total} · chunks {encoded}/{chunks} · {rate} chunks/s{eta}</source>
        <translation>文件 {done}/{total} · 文本块 {encoded}/{chunks} · 每秒 {rate} 块{eta}</translation>
    </message>
    <message>
        <source>Cancelling… the collection stays as it was.</source>
        <translation>正在取消… 文档集保持原样。</translation>
    </message>
    <message>
        <source>no files</source>
        <translation>无文件</translation>
    </message>
    <message>
        <source>“{collection}”: {documents} documents, {chunks} chunks · {encoded} encoded with {embedder} in {seconds} · total {total}</source>
        <translation>“{collection}”：{documents} 篇文档，{chunks} 个文本块 · 用 {embedder} 编码 {encoded} 块，耗时 {seconds} · 总计 {total}</translation>
    </message>
    <message>
        <source>Files: {outcome}.</source>
        <translation>文件：{outcome}。</translation>
    </message>
    <message>
        <source>Add a folder of documents</source>
        <translation>添加文档文件夹</translation>
    </message>
    <message>
        <source>Preview chunking on a file</source>
        <translation>在文件上预览分块</translation>
    </message>
</context>
<context>
    <name>LayerEffects</name>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
</context>
<context>
    <name>LedgerView</name>
    <message>
        <source>Edits are layered on the loaded weights in order. Untick one to switch it off, undo one or all to take them out for good, or export the edited model so that plain transformers loads it.</source>
        <translation>编辑按顺序叠加在已加载的权重上。取消勾选可暂时关闭某条编辑，撤销可将其彻底移除；也可导出编辑后的模型，用普通的 transformers 加载。</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑内容</translation>
    </message>
    <message>
        <source>Undo selected</source>
        <translation>撤销所选</translation>
    </message>
    <message>
        <source>Undo all</source>
        <translation>全部撤销</translation>
    </message>
    <message>
        <source>Export edited model…</source>
        <translation>导出编辑后的模型…</translation>
    </message>
    <message>
        <source>No edit applied: the model is the model as loaded.</source>
        <translation>尚未编辑：模型与加载时相同。</translation>
    </message>
    <message>
        <source>{count} edit</source>
        <translation>{count} 条编辑</translation>
    </message>
    <message>
        <source>{count} edits</source>
        <translation>{count} 条编辑</translation>
    </message>
    <message>
        <source>{edits}, {enabled} on · the model differs from the loaded one.</source>
        <translation>{edits}，{enabled} 条开启 · 模型已不同于加载时。</translation>
    </message>
    <message>
        <source>{edits}, {enabled} on · the model equals the loaded one.</source>
        <translation>{edits}，{enabled} 条开启 · 模型与加载时相同。</translation>
    </message>
    <message>
        <source>Folder for the edited model (save_pretrained)</source>
        <translation>编辑后模型的保存文件夹（save_pretrained）</translation>
    </message>
</context>
<context>
    <name>LibraryTree</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>文本块</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>indexed</source>
        <translation>已索引</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Delete collection</source>
        <translation>删除文档集</translation>
    </message>
    <message>
        <source>Remove document</source>
        <translation>移除文档</translation>
    </message>
    <message>
        <source>{count} docs</source>
        <translation>{count} 篇文档</translation>
    </message>
    <message>
        <source>, {count} failed</source>
        <translation>，{count} 篇失败</translation>
    </message>
    <message>
        <source>Embedder: {embedder}
Sparse tokenizer: {sparse}
Chunking: {method}, size {size}, overlap {overlap}
Indexes: {indexes}</source>
        <translation>嵌入模型：{embedder}
稀疏检索切分：{sparse}
分块：按{method}，大小 {size}，重叠 {overlap}
索引：{indexes}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source> · {count} pages</source>
        <translation> · {count} 页</translation>
    </message>
    <message>
        <source>Delete the collection “{name}” with its documents, chunks and indexes from this project?</source>
        <translation>要从本项目中删除文档集“{name}”及其文档、文本块和索引吗？</translation>
    </message>
    <message>
        <source>Remove “{name}” and its chunks from the collection? The other chunks keep their embeddings.</source>
        <translation>要从文档集中移除“{name}”及其文本块吗？其他文本块的嵌入保持不变。</translation>
    </message>
</context>
<context>
    <name>MethodSettings</name>
    <message>
        <source>ROME (rank-one update)</source>
        <translation>ROME（秩一更新）</translation>
    </message>
    <message>
        <source>T-Patcher (patch neuron)</source>
        <translation>T-Patcher（补丁神经元）</translation>
    </message>
    <message>
        <source>corpus</source>
        <translation>语料估计</translation>
    </message>
    <message>
        <source>identity</source>
        <translation>单位矩阵</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>suggested by a trace</source>
        <translation>由追踪推荐</translation>
    </message>
    <message>
        <source>Prefixes N</source>
        <translation>前缀数 N</translation>
    </message>
    <message>
        <source>Random prefixes generated by the model; k* is averaged over them</source>
        <translation>由模型生成的随机前缀；k* 取它们的平均</translation>
    </message>
    <message>
        <source>Prefix tokens</source>
        <translation>前缀词元数</translation>
    </message>
    <message>
        <source>v* steps</source>
        <translation>v* 优化步数</translation>
    </message>
    <message>
        <source>v* learning rate</source>
        <translation>v* 学习率</translation>
    </message>
    <message>
        <source>Adam&apos;s step in units of ‖h‖/√d, h the residual stream at the edit position</source>
        <translation>Adam 的步长，单位为 ‖h‖/√d，h 为编辑位置的残差流</translation>
    </message>
    <message>
        <source>KL factor</source>
        <translation>KL 系数</translation>
    </message>
    <message>
        <source>Weight of the KL term on “{subject} is a” that keeps the subject&apos;s other properties</source>
        <translation>“{subject} is a” 上 KL 项的权重，用于保持主体的其他属性</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Norm clamp ×‖h‖</source>
        <translation>范数上限 ×‖h‖</translation>
    </message>
    <message>
        <source>‖v − v₀‖ is clamped to this multiple of the residual norm ‖h‖</source>
        <translation>‖v − v₀‖ 被限制在残差范数 ‖h‖ 的该倍数以内</translation>
    </message>
    <message>
        <source>Covariance C</source>
        <translation>协方差 C</translation>
    </message>
    <message>
        <source>corpus: C = E[kkᵀ] over a text; identity: C = I (the paper&apos;s ablation)</source>
        <translation>语料估计：在一段文本上计算 C = E[kkᵀ]；单位矩阵：C = I（论文中的消融设置）</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>“demo” or the path of a UTF-8 text file</source>
        <translation>“demo”或一个 UTF-8 文本文件的路径</translation>
    </message>
    <message>
        <source>Corpus tokens</source>
        <translation>语料词元数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>last FFN (paper)</source>
        <translation>最后一层 FFN（论文设置）</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>训练步数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Activation weight a</source>
        <translation>激活损失权重 a</translation>
    </message>
    <message>
        <source>Memory weight m</source>
        <translation>记忆损失权重 m</translation>
    </message>
    <message>
        <source>Activation margin</source>
        <translation>激活间隔</translation>
    </message>
    <message>
        <source>Memory margin</source>
        <translation>记忆间隔</translation>
    </message>
    <message>
        <source>Memory sentences</source>
        <translation>记忆句子数</translation>
    </message>
    <message>
        <source>Training value scale</source>
        <translation>训练值缩放</translation>
    </message>
    <message>
        <source>Context prefixes</source>
        <translation>上下文前缀数</translation>
    </message>
    <message>
        <source>Hard-negative weight</source>
        <translation>难负例权重</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Low-rank update ΔW = B·A beside frozen weights (Hu et al., 2021).</source>
        <translation>在冻结的权重旁加入低秩更新 ΔW = B·A（Hu 等，2021）。</translation>
    </message>
    <message>
        <source>Prompt tuning</source>
        <translation>提示微调</translation>
    </message>
    <message>
        <source>Learned soft-prompt vectors before the input (Lester et al., 2021).</source>
        <translation>在输入前加入可学习的软提示向量（Lester 等，2021）。</translation>
    </message>
    <message>
        <source>Prefix tuning</source>
        <translation>前缀微调</translation>
    </message>
    <message>
        <source>Learned keys and values in every layer&apos;s attention (Li &amp; Liang, 2021).</source>
        <translation>在每一层注意力中加入可学习的键和值（Li 与 Liang，2021）。</translation>
    </message>
    <message>
        <source>Learned scales on keys, values and FFN activations (Liu et al., 2022).</source>
        <translation>学习键、值和 FFN 激活上的缩放向量（Liu 等，2022）。</translation>
    </message>
    <message>
        <source>Train only the bias terms, nothing added (Ben Zaken et al., 2022).</source>
        <translation>只训练偏置项，不增加任何参数（Ben Zaken 等，2022）。</translation>
    </message>
    <message>
        <source>Rank r</source>
        <translation>秩 r</translation>
    </message>
    <message>
        <source>Rank of the update ΔW = B·A.</source>
        <translation>更新 ΔW = B·A 的秩。</translation>
    </message>
    <message>
        <source>Alpha α</source>
        <translation>缩放系数 α</translation>
    </message>
    <message>
        <source>ΔW is scaled by α/r (α/√r with rsLoRA).</source>
        <translation>ΔW 按 α/r 缩放（使用 rsLoRA 时为 α/√r）。</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>丢弃率</translation>
    </message>
    <message>
        <source>rsLoRA</source>
        <translation>rsLoRA</translation>
    </message>
    <message>
        <source>Scale by α/√r so high ranks still learn (Kalajdzievski, 2023).</source>
        <translation>按 α/√r 缩放，使高秩时仍能有效学习（Kalajdzievski，2023）。</translation>
    </message>
    <message>
        <source>DoRA</source>
        <translation>DoRA</translation>
    </message>
    <message>
        <source>Learn a magnitude and a LoRA-updated direction (Liu et al., 2024).</source>
        <translation>分别学习幅值和由 LoRA 更新的方向（Liu 等，2024）。</translation>
    </message>
    <message>
        <source>Virtual tokens</source>
        <translation>虚拟词元数</translation>
    </message>
    <message>
        <source>Length of the soft prompt or prefix; it takes context positions.</source>
        <translation>软提示或前缀的长度，会占用上下文位置。</translation>
    </message>
    <message>
        <source>Initialise</source>
        <translation>初始化方式</translation>
    </message>
    <message>
        <source>random, or the embeddings of a text (trains faster).</source>
        <translation>随机初始化，或使用一段文本的嵌入（训练更快）。</translation>
    </message>
    <message>
        <source>Init text</source>
        <translation>初始化文本</translation>
    </message>
    <message>
        <source>The soft prompt starts as this text&apos;s token embeddings.</source>
        <translation>软提示以这段文本的词元嵌入作为初始值。</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>mlp</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Target modules</source>
        <translation>目标模块</translation>
    </message>
    <message>
        <source>Adapt every block&apos;s {path}</source>
        <translation>适配每个模块的 {path}</translation>
    </message>
    <message>
        <source>None ticked: the paper&apos;s choice (LoRA: query and value; IA3: keys, values, FFN).</source>
        <translation>未勾选时采用论文的默认选择（LoRA：查询和值；IA3：键、值和 FFN）。</translation>
    </message>
</context>
<context>
    <name>MetricsTable</name>
    <message>
        <source>Fluency (n-gram entropy)</source>
        <translation>流畅性（n-gram 熵）</translation>
    </message>
    <message>
        <source>Accuracy (edit prompt)</source>
        <translation>准确性（编辑提示）</translation>
    </message>
    <message>
        <source>Generality (paraphrases)</source>
        <translation>泛化性（释义）</translation>
    </message>
    <message>
        <source>Portability (related facts)</source>
        <translation>可迁移性（相关事实）</translation>
    </message>
    <message>
        <source>Locality (neighbours kept)</source>
        <translation>局部性（邻域事实）</translation>
    </message>
    <message>
        <source>Property / prompt</source>
        <translation>性质 / 提示</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>期望答案</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>编辑前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>编辑后</translation>
    </message>
    <message>
        <source>{count} prompt</source>
        <translation>{count} 条</translation>
    </message>
    <message>
        <source>{count} prompts</source>
        <translation>{count} 条</translation>
    </message>
    <message>
        <source>Time to edit</source>
        <translation>编辑耗时</translation>
    </message>
    <message>
        <source>Peak memory</source>
        <translation>峰值内存</translation>
    </message>
    <message>
        <source>p(expected) {when} = {p}</source>
        <translation>{when} p(期望答案) = {p}</translation>
    </message>
    <message>
        <source>before</source>
        <translation>编辑前</translation>
    </message>
    <message>
        <source>after</source>
        <translation>编辑后</translation>
    </message>
</context>
<context>
    <name>ParameterTable</name>
    <message>
        <source>Trainable</source>
        <translation>可训练参数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总参数</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Adapts: {modules}</source>
        <translation>适配模块：{modules}</translation>
    </message>
</context>
<context>
    <name>Playground</name>
    <message>
        <source>BM25 (sparse)</source>
        <translation>BM25（稀疏检索）</translation>
    </message>
    <message>
        <source>Dense</source>
        <translation>稠密检索</translation>
    </message>
    <message>
        <source>Hybrid</source>
        <translation>混合检索</translation>
    </message>
    <message>
        <source>Reranked by the model</source>
        <translation>由模型重排</translation>
    </message>
    <message>
        <source>convex</source>
        <translation>凸组合</translation>
    </message>
    <message>
        <source>BM25 score</source>
        <translation>BM25 得分</translation>
    </message>
    <message>
        <source>similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>fused score</source>
        <translation>融合得分</translation>
    </message>
    <message>
        <source>mean log-probability of the query&apos;s tokens after the chunk (higher: the chunk explains the query)</source>
        <translation>在文本块之后查询各词元的平均对数概率（越高说明该文本块越能解释查询）</translation>
    </message>
    <message>
        <source>faiss index for the dense side: exact (flat), HNSW graph or IVF lists (§6.3.4)</source>
        <translation>稠密检索使用的 FAISS 索引：精确检索（Flat）、HNSW 图或 IVF 倒排表（§6.3.4）</translation>
    </message>
    <message>
        <source>convex fusion</source>
        <translation>凸组合融合</translation>
    </message>
    <message>
        <source>RRF fusion</source>
        <translation>RRF 融合</translation>
    </message>
    <message>
        <source>How the hybrid column combines BM25 and dense: 0.65·dense + 0.35·BM25 on scores rescaled to 0–1 (convex), or reciprocal-rank fusion of the ranks alone (RRF, k = 60)</source>
        <translation>混合检索列如何结合 BM25 与稠密检索：将得分缩放到 0–1 后取 0.65·稠密 + 0.35·BM25（凸组合），或只根据排名做倒数排名融合（RRF，k = 60）</translation>
    </message>
    <message>
        <source>Rerank</source>
        <translation>重排</translation>
    </message>
    <message>
        <source>Add a column: the top {depth} hybrid chunks re-scored by the loaded language model, by how well each chunk predicts the query (log P(query | chunk), §6.3.5). Needs a model.</source>
        <translation>增加一列：用已加载的语言模型为混合检索的前 {depth} 个文本块重新打分，依据是每个文本块对查询的预测程度（log P(查询 | 文本块)，§6.3.5）。需要加载模型。</translation>
    </message>
    <message>
        <source>Scores are the {score}.</source>
        <translation>得分为{score}。</translation>
    </message>
    <message>
        <source>Three lists are fused: dense, the second embedder ({companion}) and BM25 — convex: {dense}·dense + {second}·{companion} + {bm25}·BM25 on scores rescaled to 0–1; RRF: the sum of 1/(k + rank) over the three. Each chunk&apos;s “found by” line gives its rank and score in each list.</source>
        <translation>融合了三个列表：稠密、第二嵌入模型（{companion}）和 BM25——凸组合：{dense}·稠密 + {second}·{companion} + {bm25}·BM25，分数先缩放到 0–1；RRF：三个列表上 1/(k + 名次) 之和。每个文本块的“检索路径”一行给出它在各列表中的名次和分数。</translation>
    </message>
</context>
<context>
    <name>QueryBar</name>
    <message>
        <source>dense</source>
        <translation>稠密检索</translation>
    </message>
    <message>
        <source>hybrid</source>
        <translation>混合检索</translation>
    </message>
    <message>
        <source>A question for the active model — 索德位于哪个国家？ / In which country is Anoda?</source>
        <translation>向当前模型提问，例如：索德位于哪个国家？</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <source>chunks: </source>
        <translation>文本块：</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>回答中…</translation>
    </message>
    <message>
        <source>flat index</source>
        <translation>精确索引</translation>
    </message>
    <message>
        <source>hnsw index</source>
        <translation>HNSW 索引</translation>
    </message>
    <message>
        <source>ivf index</source>
        <translation>IVF 索引</translation>
    </message>
    <message>
        <source>Search the collection — 斑马是什么颜色的？ / What colour is a zebra?</source>
        <translation>检索文档集，例如：斑马是什么颜色的？</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>检索</translation>
    </message>
    <message>
        <source>top </source>
        <translation>前 </translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>检索中…</translation>
    </message>
</context>
<context>
    <name>RagPanel</name>
    <message>
        <source>Select a document in the library, or preview chunk settings on a file.</source>
        <translation>在文档库中选择一篇文档，或在某个文件上预览分块设置。</translation>
    </message>
    <message>
        <source>Open or create a project, then add documents.</source>
        <translation>请打开或新建一个项目，然后添加文档。</translation>
    </message>
    <message>
        <source>No collections yet. Add files or a folder, or try the demo encyclopedia.</source>
        <translation>还没有文档集。请添加文件或文件夹，或试试演示百科。</translation>
    </message>
    <message>
        <source>RAG Documents</source>
        <translation>RAG 文档</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>文本块</translation>
    </message>
    <message>
        <source>Retrieval playground</source>
        <translation>检索试验场</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评测</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>提问</translation>
    </message>
    <message>
        <source>Document library</source>
        <translation>文档库</translation>
    </message>
    <message>
        <source>List RAG collections</source>
        <translation>列出 RAG 文档集</translation>
    </message>
    <message>
        <source>An ingest is already running; wait for it or cancel it.</source>
        <translation>已有导入任务在运行，请等待其完成或取消。</translation>
    </message>
    <message>
        <source>Estimate the ingest</source>
        <translation>估算导入耗时</translation>
    </message>
    <message>
        <source>Ingest {count} path into {collection}</source>
        <translation>将 {count} 个路径导入 {collection}</translation>
    </message>
    <message>
        <source>Ingest {count} paths into {collection}</source>
        <translation>将 {count} 个路径导入 {collection}</translation>
    </message>
    <message>
        <source>Preview chunks</source>
        <translation>预览分块</translation>
    </message>
    <message>
        <source>Type a query to search the collection.</source>
        <translation>请输入查询以检索文档集。</translation>
    </message>
    <message>
        <source>Search {collection}</source>
        <translation>检索 {collection}</translation>
    </message>
    <message>
        <source>Choose a file of labelled questions (.jsonl).</source>
        <translation>请选择带标注问题的文件（.jsonl）。</translation>
    </message>
    <message>
        <source>Evaluate retrieval on {collection}</source>
        <translation>评测 {collection} 上的检索</translation>
    </message>
    <message>
        <source>Type a question to ask.</source>
        <translation>请输入要提的问题。</translation>
    </message>
    <message>
        <source>Ask {collection}</source>
        <translation>向 {collection} 提问</translation>
    </message>
    <message>
        <source>Delete collection {name}</source>
        <translation>删除文档集 {name}</translation>
    </message>
    <message>
        <source>Remove document</source>
        <translation>移除文档</translation>
    </message>
    <message>
        <source>Stopped · the collection was left as it was.</source>
        <translation>已停止 · 文档集保持原样。</translation>
    </message>
    <message>
        <source>Failed: {message}</source>
        <translation>失败：{message}</translation>
    </message>
    <message>
        <source>The collection was deleted.</source>
        <translation>文档集已删除。</translation>
    </message>
    <message>
        <source>Run #{run} ({kind}) {status} without a result to show.</source>
        <translation>运行 #{run}（{kind}）{status}，没有可显示的结果。</translation>
    </message>
    <message>
        <source>Run #{run} {status}: {error}</source>
        <translation>运行 #{run} {status}：{error}</translation>
    </message>
    <message>
        <source>Choose a collection in the library first (or add documents to create one).</source>
        <translation>请先在文档库中选择一个文档集（或添加文档以新建一个）。</translation>
    </message>
    <message>
        <source>Open or create a project: collections are stored in it.</source>
        <translation>请打开或新建一个项目：文档集保存在项目中。</translation>
    </message>
    <message>
        <source>Show document chunks</source>
        <translation>显示文档的文本块</translation>
    </message>
    <message>
        <source>Not started · {estimate}</source>
        <translation>未开始 · {estimate}</translation>
    </message>
    <message>
        <source>Long ingest</source>
        <translation>导入耗时较长</translation>
    </message>
    <message>
        <source>This ingest will take about {duration}.

{estimate}.

Start?</source>
        <translation>此次导入大约需要 {duration}。

{estimate}。

要开始吗？</translation>
    </message>
</context>
<context>
    <name>RetraceView</name>
    <message>
        <source>Before</source>
        <translation>编辑前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>编辑后</translation>
    </message>
    <message>
        <source>After − before</source>
        <translation>编辑后 − 编辑前</translation>
    </message>
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
        <source>restored layer</source>
        <translation>恢复的层</translation>
    </message>
    <message>
        <source>window centre (layer)</source>
        <translation>窗口中心（层）</translation>
    </message>
    <message>
        <source>Re-trace before / after</source>
        <translation>重新追踪编辑前 / 后</translation>
    </message>
    <message>
        <source>Trace the edit prompt with the new target, with the last edit off and on</source>
        <translation>用新目标追踪编辑提示，分别关闭和开启最近一次编辑</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>{pane} · clean p = {p}</source>
        <translation>{pane} · 干净运行 p = {p}</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Δp  (after − before)</source>
        <translation>Δp（编辑后 − 编辑前）</translation>
    </message>
    <message>
        <source>{kind} restored, p({target}) for “{prompt}”</source>
        <translation>恢复{kind}，“{prompt}”的 p({target})</translation>
    </message>
    <message>
        <source> · tracing after the edit…</source>
        <translation> · 正在追踪编辑后…</translation>
    </message>
</context>
<context>
    <name>SettingsColumn</name>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Max steps</source>
        <translation>最大步数</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Stop after this many optimiser steps, whatever the epochs.</source>
        <translation>达到该优化步数后停止，不论已训练几轮。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>method default</source>
        <translation>方法默认值</translation>
    </message>
    <message>
        <source>AdamW peak rate after a short warm-up, then linear decay.</source>
        <translation>AdamW 在短暂预热后的峰值学习率，之后线性衰减。</translation>
    </message>
    <message>
        <source>Eval every</source>
        <translation>验证间隔</translation>
    </message>
    <message>
        <source>auto (10 evals)</source>
        <translation>自动（共验证 10 次）</translation>
    </message>
    <message>
        <source>Steps between evaluations of the eval loss.</source>
        <translation>两次计算验证损失之间的步数。</translation>
    </message>
    <message>
        <source>Early-stop patience</source>
        <translation>早停耐心值</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Stop after this many evaluations without a lower eval loss; the best weights are kept.</source>
        <translation>连续这么多次验证损失没有下降就停止；保留最佳权重。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Quick demo (≈ {seconds} s)</source>
        <translation>快速演示（约 {seconds} 秒）</translation>
    </message>
    <message>
        <source>Full training (the defaults)</source>
        <translation>完整训练（默认设置）</translation>
    </message>
    <message>
        <source>Fine-tuning lab</source>
        <translation>微调实验</translation>
    </message>
    <message>
        <source>Book §4.5.1 · parameter-efficient fine-tuning</source>
        <translation>教材 §4.5.1 · 参数高效微调</translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation>选择预设…</translation>
    </message>
    <message>
        <source>Quick demo: LoRA on the demo data for 60 steps, enough to change the answers in a lecture; the defaults train 8 epochs (about 100 s on two CPU cores) for the polished result.</source>
        <translation>快速演示：在演示数据上训练 LoRA 60 步，足以在课堂上看到回答的变化；默认设置训练 8 轮（两个 CPU 核心上约 100 秒），效果更完整。</translation>
    </message>
    <message>
        <source>Each training saves its adapter in a new sub-folder here</source>
        <translation>每次训练都会把适配器保存到这里的一个新子文件夹中</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Continue the cancelled training from its checkpoint</source>
        <translation>从检查点继续已取消的训练</translation>
    </message>
    <message>
        <source>No model loaded: choose Model ▸ Load Demo Model (or Load Model…).</source>
        <translation>未加载模型：请选择 模型 ▸ 加载演示模型（或 加载模型…）。</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Save adapters in</source>
        <translation>适配器保存位置</translation>
    </message>
</context>
<context>
    <name>TrainingView</name>
    <message>
        <source>train loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>eval loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示微调</translation>
    </message>
    <message>
        <source>prefix</source>
        <translation>前缀微调</translation>
    </message>
    <message>
        <source>No training yet.</source>
        <translation>尚未训练。</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Log-scale loss axis: slow late progress becomes visible</source>
        <translation>损失轴使用对数坐标：后期缓慢的下降也能看清</translation>
    </message>
    <message>
        <source>loss (nats / token)</source>
        <translation>损失（nats / 词元）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Compare with earlier runs</source>
        <translation>与之前的运行对比</translation>
    </message>
    <message>
        <source>Tick a run to draw its curves muted under the live ones</source>
        <translation>勾选一次运行，其曲线将以淡色画在当前曲线下方</translation>
    </message>
    <message>
        <source>Refresh list</source>
        <translation>刷新列表</translation>
    </message>
    <message>
        <source>Preparing…</source>
        <translation>准备中…</translation>
    </message>
    <message>
        <source>step {step} / {total} · epoch {epoch}</source>
        <translation>第 {step} / {total} 步 · 第 {epoch} 轮</translation>
    </message>
    <message>
        <source>{rate} tokens/s · ETA {eta} · {message}</source>
        <translation>每秒 {rate} 个词元 · 预计剩余 {eta} · {message}</translation>
    </message>
    <message>
        <source>done · {steps} steps · epoch {epoch}</source>
        <translation>完成 · 共 {steps} 步 · 第 {epoch} 轮</translation>
    </message>
    <message>
        <source> (stopped early: eval loss stopped improving)</source>
        <translation>（提前停止：验证损失不再下降）</translation>
    </message>
    <message>
        <source>{rate} tokens/s · {duration} in all{ending}</source>
        <translation>每秒 {rate} 个词元 · 共用时 {duration}{ending}</translation>
    </message>
    <message>
        <source> · run #{run}</source>
        <translation> · 运行 #{run}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{method}&lt;/b&gt; adapter &lt;b&gt;{name}&lt;/b&gt;{run}: train loss {loss}</source>
        <translation>&lt;b&gt;{method}&lt;/b&gt; 适配器 &lt;b&gt;{name}&lt;/b&gt;{run}：训练损失 {loss}</translation>
    </message>
    <message>
        <source>eval loss &lt;b&gt;{before} → {after}&lt;/b&gt; (perplexity {ppl_before} → {ppl_after}, best at step {best})</source>
        <translation>验证损失 &lt;b&gt;{before} → {after}&lt;/b&gt;（困惑度 {ppl_before} → {ppl_after}，最佳在第 {best} 步）</translation>
    </message>
    <message>
        <source>saved in {folder}</source>
        <translation>保存在 {folder}</translation>
    </message>
    <message>
        <source>No earlier training runs in this project yet.</source>
        <translation>本项目中还没有之前的训练运行。</translation>
    </message>
    <message>
        <source>Open a project to keep runs and compare them.</source>
        <translation>打开一个项目即可保存运行并进行对比。</translation>
    </message>
</context>
</TS>
