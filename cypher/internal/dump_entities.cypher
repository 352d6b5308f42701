// Every entity with its names and type (read back by `kg push` and `kg export neo4j-import`).
MATCH (e:Entity)
RETURN e.key AS key, e.canonical AS canonical, e.name AS name, e.type AS type,
       e.aliases AS aliases, e.formed AS formed, e.kind AS kind
ORDER BY key
