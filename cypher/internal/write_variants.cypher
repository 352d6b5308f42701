// Link each entity to the entity it is a variant of: a size (MMaDA-8B -> MMaDA), a version
// (LLaMA-3 -> LLaMA), a catalog family or an affix (UniGRPO -> GRPO). Runs after the entities.
// $rows: [{key, parent, reason}]
UNWIND $rows AS row
MATCH (v:Entity {key: row.key})
MATCH (e:Entity {key: row.parent})
MERGE (v)-[r:VARIANT_OF]->(e)
SET r.reason = row.reason
