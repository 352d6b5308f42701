// Every paper with all the fields kg writes and its authors in order (read back by `kg push`
// and `kg export neo4j-import`).
MATCH (p:Paper)
OPTIONAL MATCH (p)-[w:WRITTEN_BY]->(a:Author)
WITH p, w, a
ORDER BY p.id, w.position
WITH p, [name IN collect(a.name) WHERE name IS NOT NULL] AS authors
RETURN p.id AS id, p.title AS title, p.abstract AS abstract, p.date AS date,
       p.upvotes AS upvotes, p.authors_count AS authors_count, p.organization AS organization,
       p.arxiv_id AS arxiv_id, p.doi AS doi, p.published AS published, p.source AS source,
       p.line AS line, p.record AS record, p.input_order AS input_order, authors
ORDER BY id
