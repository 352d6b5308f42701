// The given entities with their names and type: the rows of export_entities for a part of
// the graph (the ego view of a big graph).
// $keys: entity keys
UNWIND $keys AS key
MATCH (e:Entity {key: key})
RETURN e.key AS key, e.name AS name, e.canonical AS canonical, e.type AS type,
       e.aliases AS aliases, coalesce(e.kind, 'named') AS entity_kind
