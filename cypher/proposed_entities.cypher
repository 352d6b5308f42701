// What papers propose: new methods, datasets and models, optionally of one type.
// @param type string = ""  Method, Dataset, Model, Task, Metric; empty for all
// @param limit int = 50  most rows returned
MATCH (p:Paper)-[r:PROPOSES]->(e:Entity)
WHERE $type = '' OR e.type = $type
RETURN e.name AS entity, e.type AS type, p.id AS paper, p.title AS title, r.evidence AS evidence
ORDER BY type, entity
LIMIT $limit
