// Every paper-to-entity and paper-to-repository link with its evidence (used by `kg export`).
MATCH (p:Paper)-[m:MENTIONS]->(e:Entity)
RETURN p.id AS paper, e.key AS target, 'MENTIONS' AS rel, m.count AS count,
       m.evidence AS evidence
UNION ALL
MATCH (p:Paper)-[r:PROPOSES]->(e:Entity)
RETURN p.id AS paper, e.key AS target, 'PROPOSES' AS rel, 1 AS count, r.evidence AS evidence
UNION ALL
MATCH (p:Paper)-[:AFFILIATED_WITH]->(o:Entity)
RETURN p.id AS paper, o.key AS target, 'AFFILIATED_WITH' AS rel, 1 AS count, '' AS evidence
UNION ALL
MATCH (p:Paper)-[c:HAS_CODE]->(r:Repository)
RETURN p.id AS paper, r.url AS target, 'HAS_CODE' AS rel, 1 AS count, c.evidence AS evidence
