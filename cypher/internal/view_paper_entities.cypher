// The entities each given paper names (mentions, proposes or is affiliated with), of the
// kinds asked for: one step of the ego view of a big graph, which grows its ball in Cypher.
// $ids: paper ids
// @param kind string = named  named, concept or all
UNWIND $ids AS id
MATCH (p:Paper {id: id})-[:MENTIONS|PROPOSES|AFFILIATED_WITH]->(e:Entity)
WITH id, e.key AS key, coalesce(e.kind, 'named') AS kind
WHERE $kind = 'all' OR kind = $kind
RETURN id, collect(DISTINCT key) AS entities
