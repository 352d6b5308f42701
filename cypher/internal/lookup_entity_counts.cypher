// How many papers mention each of the given entities, and how often in all (kg update).
// Only papers stored completely (their content hash is written) count. Entities not stored
// yet return no row.
// $keys: [entity key]
UNWIND $keys AS key
MATCH (e:Entity {key: key})
OPTIONAL MATCH (p:Paper)-[m:MENTIONS]->(e)
WHERE p.content_hash IS NOT NULL
RETURN key, e.name AS name, e.type AS type, count(p) AS papers, coalesce(sum(m.count), 0) AS mentions
