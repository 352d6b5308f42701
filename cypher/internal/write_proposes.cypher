// Mark the entities a paper itself proposes (we propose / introduce / present X).
// $rows: [{paper, key, evidence}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})
MATCH (e:Entity {key: row.key})
MERGE (p)-[r:PROPOSES]->(e)
SET r.evidence = row.evidence
