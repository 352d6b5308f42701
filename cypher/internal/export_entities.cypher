// All entities some paper links to, with their names and type (used by `kg export`).
// Variant parents no paper names (LLaMA for LLaMA-3-7B) are left out of the views (#5).
// entity_kind: named or concept (#17); `kind` is the node kind of the views (Paper, Method, ...).
MATCH (e:Entity)<--(:Paper)
WITH DISTINCT e
RETURN e.key AS key, e.name AS name, e.canonical AS canonical, e.type AS type,
       e.aliases AS aliases, coalesce(e.kind, 'named') AS entity_kind
ORDER BY key
