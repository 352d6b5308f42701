// All entities some paper links to, with their names and type (used by `kg export`).
// Variant parents no paper names (LLaMA for LLaMA-3-7B) are left out of the views (#5).
MATCH (e:Entity)<--(:Paper)
WITH DISTINCT e
RETURN e.key AS key, e.name AS name, e.canonical AS canonical, e.type AS type,
       e.aliases AS aliases
ORDER BY key
