// Entities mentioned by the most papers, optionally of one type; named entities unless asked.
// @param type string = ""  Method, Dataset, Model, Task, Metric or Organization; empty for all
// @param kind string = named  named (proper names), concept (generic phrases), ambiguous (bare acronyms of several meanings) or all
// @param limit int = 20  most rows returned
MATCH (e:Entity)<-[m:MENTIONS]-(p:Paper)
WHERE ($type = '' OR e.type = $type) AND ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
RETURN e.name AS entity, e.type AS type, count(p) AS papers, toInteger(sum(m.count)) AS mentions
ORDER BY papers DESC, mentions DESC, entity
LIMIT $limit
