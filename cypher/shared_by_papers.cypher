// Entities several papers mention, optionally of one type, with the papers that share each
// and the entity's idf (kg/specificity.py).
// @param type string = ""  Method, Dataset, Model, Task, Metric or Organization; empty for all
// @param kind string = named  named (proper names), concept (generic phrases) or all
// @param min_papers int = 2  fewest papers that must mention the entity
// @param limit int = 20  most rows returned
MATCH (e:Entity)<-[:MENTIONS]-(p:Paper)
WHERE ($type = '' OR e.type = $type) AND ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
WITH e, p
ORDER BY p.id
WITH e, count(p) AS papers, collect(p.id) AS paper_ids, collect(p.title) AS titles
WHERE papers >= $min_papers
RETURN e.name AS entity, e.type AS type, papers, paper_ids, titles, e.idf AS idf
ORDER BY papers DESC, entity
LIMIT $limit
