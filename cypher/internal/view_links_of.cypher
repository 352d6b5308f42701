// Every link of the given papers to entities and repositories, with its evidence: the rows
// of export_links for a part of the graph (the ego view of a big graph).
// $ids: paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})-[r:MENTIONS|PROPOSES|AFFILIATED_WITH]->(e:Entity)
RETURN p.id AS paper, e.key AS target, type(r) AS rel, coalesce(r.count, 1) AS count,
       coalesce(r.evidence, '') AS evidence
UNION ALL
UNWIND $ids AS id
MATCH (p:Paper {id: id})-[c:HAS_CODE]->(r:Repository)
RETURN p.id AS paper, r.url AS target, 'HAS_CODE' AS rel, 1 AS count, c.evidence AS evidence
