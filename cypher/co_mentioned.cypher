// Entities mentioned in the same papers as a given entity (found by any of its names).
// @param name string  the entity's name or one of its aliases
// @param kind string = named  named (proper names), concept (generic phrases) or all
// @param limit int = 20  most rows returned
MATCH (e:Entity)
WHERE e.key = toLower(replace($name, '-', ' ')) OR toLower(replace($name, '-', ' ')) IN e.names
MATCH (e)<-[:MENTIONS]-(p:Paper)-[:MENTIONS]->(other:Entity)
WHERE other <> e AND ($kind = 'all' OR coalesce(other.kind, 'named') = $kind)
RETURN other.name AS entity, other.type AS type, count(DISTINCT p) AS papers,
       collect(DISTINCT p.id)[0..5] AS example_papers
ORDER BY papers DESC, entity
LIMIT $limit
