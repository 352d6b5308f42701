// Every paper-to-entity mention with all its fields, and whether the paper proposes the entity
// (read back by `kg push` and `kg export neo4j-import`).
MATCH (p:Paper)-[m:MENTIONS]->(e:Entity)
OPTIONAL MATCH (p)-[r:PROPOSES]->(e)
RETURN p.id AS paper, e.key AS key, m.count AS count, m.evidence AS evidence,
       m.surfaces AS surfaces, m.section AS section, m.start AS start_offset,
       m.end AS end_offset, r IS NOT NULL AS proposed, m.via AS via, m.kind AS kind
ORDER BY paper, key
