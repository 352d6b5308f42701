// Upsert authors and link each paper to them: (:Paper)-[:WRITTEN_BY {position}]->(:Author).
// An author's key is the normalised name (kg.ids.author_key); position counts from 1.
// $rows: [{paper, key, name, position}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})
MERGE (a:Author {key: row.key})
SET a.name = row.name
MERGE (p)-[w:WRITTEN_BY]->(a)
SET w.position = row.position
