// Entities that go by a name: its key or any stored spelling, most papers first, with their
// kind and paper count. Used by `kg entities show`.
// $key: the name's key (kg.catalog.name_key)
// $name: the name, lowercase and hyphen-free
MATCH (e:Entity)
WHERE e.key = $key OR $name IN e.names
OPTIONAL MATCH (p:Paper)-[:MENTIONS]->(e)
RETURN e.key AS key, e.canonical AS canonical, e.name AS name, e.type AS type,
       coalesce(e.kind, 'named') AS kind, e.aliases AS aliases, e.formed AS formed,
       count(p) AS papers
ORDER BY papers DESC, key
