// Entities mentioned by the most papers, optionally of one type.
// @param type string = ""  Method, Dataset, Model, Task, Metric or Organization; empty for all
// @param limit int = 20  most rows returned
MATCH (e:Entity)<-[m:MENTIONS]-(p:Paper)
WHERE $type = '' OR e.type = $type
RETURN e.name AS entity, e.type AS type, count(p) AS papers, toInteger(sum(m.count)) AS mentions
ORDER BY papers DESC, mentions DESC, entity
LIMIT $limit
