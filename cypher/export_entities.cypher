// All entities with their names and type (used by `kg export`).
MATCH (e:Entity)
RETURN e.key AS key, e.name AS name, e.canonical AS canonical, e.type AS type,
       e.aliases AS aliases
ORDER BY key
