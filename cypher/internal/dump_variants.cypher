// Every entity-to-entity variant link (read back by `kg push` and `kg export neo4j-import`).
MATCH (v:Entity)-[r:VARIANT_OF]->(e:Entity)
RETURN v.key AS key, e.key AS parent, r.reason AS reason
ORDER BY key, parent
