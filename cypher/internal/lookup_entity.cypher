// Entities that go by a name: its key or any stored spelling. Used by `kg entities show`.
// $key: the name's key (kg.catalog.name_key)
// $name: the name, lowercase and hyphen-free
MATCH (e:Entity)
WHERE e.key = $key OR $name IN e.names
RETURN e.key AS key, e.canonical AS canonical, e.name AS name, e.type AS type,
       e.aliases AS aliases, e.formed AS formed
ORDER BY key
