// Papers that mention an entity, found by any of its names (PPO, Proximal Policy Optimisation).
// @param name string  the entity's name or one of its aliases
// @param limit int = 50  most rows returned
MATCH (e:Entity)
WHERE e.key = toLower(replace($name, '-', ' ')) OR toLower(replace($name, '-', ' ')) IN e.names
MATCH (p:Paper)-[m:MENTIONS]->(e)
RETURN e.name AS entity, p.id AS paper, p.title AS title, p.date AS date,
       m.count AS mentions, m.evidence AS evidence
ORDER BY mentions DESC, date DESC, paper
LIMIT $limit
