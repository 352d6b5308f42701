"""VARIANT_OF: sizes, versions, families and affixes, and the X-style cue (#5)."""

from pathlib import Path

from kg.catalog import load_catalog
from kg.extract import extract
from kg.link import link
from kg.link.variants import find_variants
from kg.models import Entity, EntityType, Graph, Paper, PaperEntity, Variant
from kg.names import name_key
from kg.store import FalkorStore, write_graph
from kg.store.transfer import read_stored_graph


def entity(name: str, type_: EntityType = EntityType.MODEL, *aliases: str) -> Entity:
    return Entity(name_key(name), name, name, type_, aliases)


def variants_by_name(entities: list[Entity]) -> list[tuple[str, str, str]]:
    variants, created = find_variants({e.key: e for e in entities}, load_catalog())
    known = {e.key: e for e in entities} | created
    return [(known[v.key].canonical, known[v.parent].canonical, v.reason) for v in variants]


def test_affix_size_and_version_chain() -> None:
    grpo = Entity(
        "group relative policy optimization",
        "Group Relative Policy Optimization",
        "GRPO",
        EntityType.METHOD,
        ("GRPO",),
    )
    found = variants_by_name(
        [grpo, entity("UniGRPO", EntityType.METHOD), entity("MMaDA-8B"), entity("LLaMA-3-7B")]
    )
    assert sorted(found) == [
        ("LLaMA-3", "LLaMA", "family"),
        ("LLaMA-3-7B", "LLaMA-3", "size"),
        ("MMaDA-8B", "MMaDA", "size"),
        ("UniGRPO", "Group Relative Policy Optimization", "affix"),
    ]


def test_distinct_names_are_not_variants_of_each_other() -> None:
    # GPT-4o is no version of GPT-4, DeepSeekMath no variant of DeepSeek the company, and
    # CIFAR-100 or AdamW no variant of CIFAR-10 or Adam.
    found = variants_by_name(
        [
            entity("GPT-4"),
            entity("GPT-4o"),
            entity("DeepSeek", EntityType.ORGANIZATION),
            entity("DeepSeekMath"),
            entity("CIFAR-10", EntityType.DATASET),
            entity("CIFAR-100", EntityType.DATASET),
            entity("Adam", EntityType.METHOD),
            entity("AdamW", EntityType.METHOD),
        ]
    )
    assert found == [("GPT-4", "GPT", "family"), ("GPT-4o", "GPT", "family")]


def test_ambiguous_short_name_is_no_affix() -> None:
    mpi = [
        Entity(name_key(long), long, "MPI", EntityType.METHOD, ("MPI",))
        for long in ("Message Passing Interface", "Model Predictive Inference")
    ]
    assert variants_by_name([*mpi, entity("FastMPI", EntityType.METHOD)]) == []


def test_style_cue_is_kept_and_links_to_the_name(nlp) -> None:  # type: ignore[no-untyped-def]
    paper = Paper("p1", "Paper 1", "We train with GRPO-style updates and a PPO-based critic.")
    (extraction,) = extract(nlp, [paper])
    assert [(m.text, m.canonical, m.cue) for m in extraction.mentions] == [
        ("GRPO", "Group Relative Policy Optimization", "style"),
        ("PPO", "Proximal Policy Optimization", "based"),
    ]
    graph = link([extraction])
    assert sorted(m.key for m in graph.mentions) == [
        "group relative policy optimization",
        "proximal policy optimization",
    ]


def test_variants_are_written_and_read_back_on_the_embedded_store(tmp_path: Path) -> None:
    paper = Paper("p1", "Paper 1", "MMaDA-8B and UniGRPO.")
    entities = {e.key: e for e in (entity("MMaDA-8B"), entity("MMaDA"), entity("UniGRPO"))}
    entities["grpo"] = entity("GRPO")
    mentions = [
        PaperEntity(
            "p1", "mmada 8b", 1, "MMaDA-8B and UniGRPO.", ("MMaDA-8B",), "abstract", 0, 8, 0
        )
    ]
    variants = [Variant("mmada 8b", "mmada", "size"), Variant("unigrpo", "grpo", "affix")]
    graph = Graph([paper], entities, mentions, [], [], variants)
    with FalkorStore(tmp_path / "kg.db") as store:
        write_graph(store, graph)
        write_graph(store, graph)  # again: nothing doubles
        rows = store.run(
            "MATCH (v:Entity)-[r:VARIANT_OF]->(e:Entity) "
            "RETURN v.key, e.key, r.reason ORDER BY v.key"
        ).rows
        assert rows == [["mmada 8b", "mmada", "size"], ["unigrpo", "grpo", "affix"]]
        assert read_stored_graph(store).variants == variants


def test_checkpoints_sizes_and_hyphen_prefixes_chain_up() -> None:
    found = variants_by_name([entity("Qwen2.5"), entity("Qwen2.5-VL-7B-Instruct")])
    assert sorted(found) == [
        ("Qwen2.5", "Qwen", "family"),
        ("Qwen2.5-VL", "Qwen2.5", "affix"),
        ("Qwen2.5-VL-7B", "Qwen2.5-VL", "size"),
        ("Qwen2.5-VL-7B-Instruct", "Qwen2.5-VL-7B", "checkpoint"),
    ]


def test_acronym_affixes_need_long_forms_that_agree() -> None:
    def defined(long: str, short: str) -> Entity:
        return Entity(name_key(long), long, short, EntityType.METHOD, (short,))

    found = variants_by_name(
        [
            defined("Diffusion Transformer", "DiT"),
            defined("Multimodal Diffusion Transformer", "MMDiT"),
            defined("Feature Activation Coverage", "FAC"),
            defined("Kronecker-factored approximate curvature", "K-FAC"),
        ]
    )
    assert found == [("Multimodal Diffusion Transformer", "Diffusion Transformer", "affix")]


def test_a_mistyped_name_still_finds_its_parent_model_or_named_parent() -> None:
    # The types are votes of the mentions: DeepSeek-R1 and T-CoT voted datasets here.
    cot = Entity(
        name_key("Chain-of-Thought"), "Chain-of-Thought", "CoT", EntityType.METHOD, ("CoT",)
    )
    t_cot = Entity(
        name_key("Traceability CoT"), "Traceability CoT", "T-CoT", EntityType.DATASET, ("T-CoT",)
    )
    found = variants_by_name(
        [entity("DeepSeek"), entity("DeepSeek-R1", EntityType.DATASET), cot, t_cot]
    )
    assert sorted(found) == [
        ("DeepSeek-R1", "DeepSeek", "version"),
        ("Traceability CoT", "Chain-of-Thought", "affix"),
    ]
    # ... but never across an organisation.
    assert (
        variants_by_name([entity("DeepSeek", EntityType.ORGANIZATION), entity("DeepSeek-R1")]) == []
    )
