// Every paper-to-organisation affiliation (read back by `kg push` and `kg export neo4j-import`).
MATCH (p:Paper)-[:AFFILIATED_WITH]->(o:Entity)
RETURN p.id AS paper, o.key AS key
ORDER BY paper, key
