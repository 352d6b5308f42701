// Paper pairs that share the most entities, with what they share.
// Entities mentioned by more than $max_papers papers are skipped: they join everything to
// everything (and make the pair count grow quadratically).
// @param limit int = 20  most pairs returned
// @param kind string = named  named (proper names), concept (generic phrases) or all
// @param max_papers int = 50  ignore entities mentioned by more papers than this
MATCH (e:Entity)<-[:MENTIONS]-(x:Paper)
WHERE ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
WITH e, count(x) AS papers
WHERE papers > 1 AND papers <= $max_papers
MATCH (a:Paper)-[:MENTIONS]->(e)<-[:MENTIONS]-(b:Paper)
WHERE a.id < b.id
WITH a, b, collect(e.name) AS shared, count(e) AS overlap
RETURN a.id AS paper_a, b.id AS paper_b, overlap, shared, a.title AS title_a, b.title AS title_b
ORDER BY overlap DESC, paper_a, paper_b
LIMIT $limit
