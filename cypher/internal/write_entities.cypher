// Upsert entities with exactly the graph's names: a build of a grown corpus sets the aliases,
// search names and formation facts one build of it gives, dropping those it no longer has.
// The type label (Method, Dataset, ...) is set by the store from a fixed list.
// $rows: [{key, canonical, name, type, kind, aliases, names, formed}]
// kind: named (a proper name) or concept (a generic phrase), #17.
// formed: how the entity was formed (merge reasons, kg/formed.py).
UNWIND $rows AS row
MERGE (e:Entity {key: row.key})
SET e.canonical = row.canonical,
    e.name = row.name,
    e.type = row.type,
    e.kind = row.kind,
    e.aliases = row.aliases,
    e.names = row.names,
    e.formed = row.formed
