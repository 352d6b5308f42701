// Upsert entities; aliases seen before are kept, new ones added.
// The type label (Method, Dataset, ...) is set by the store from a fixed list.
// $rows: [{key, canonical, name, type, kind, aliases, names, formed}]
// kind: named (a proper name) or concept (a generic phrase), #17.
// formed: how the entity was formed (merge reasons, kg/formed.py); kept like aliases.
UNWIND $rows AS row
MERGE (e:Entity {key: row.key})
SET e.canonical = row.canonical,
    e.name = row.name,
    e.type = row.type,
    e.kind = row.kind,
    e.aliases = [a IN coalesce(e.aliases, []) WHERE NOT a IN row.aliases] + row.aliases,
    e.names = [n IN coalesce(e.names, []) WHERE NOT n IN row.names] + row.names,
    e.formed = [f IN coalesce(e.formed, []) WHERE NOT f IN row.formed] + row.formed
