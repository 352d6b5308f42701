// The papers that mention an entity: spellings used, count, evidence, proposed or not.
// $key: entity key
MATCH (p:Paper)-[m:MENTIONS]->(e:Entity {key: $key})
OPTIONAL MATCH (p)-[r:PROPOSES]->(e)
RETURN p.id AS paper, p.title AS title, m.count AS count, m.surfaces AS surfaces,
       r IS NOT NULL AS proposed, m.via AS via, m.evidence AS evidence
ORDER BY count DESC, paper
